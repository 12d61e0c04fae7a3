"""Shared paths for the tests: the repository's fixtures and examples."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures"
EXAMPLES = REPO / "examples"
