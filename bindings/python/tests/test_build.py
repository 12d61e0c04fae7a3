"""build / build_yaml / build_files: results, options, and the GIL."""

import threading
import time
from pathlib import Path

import pytest

import gitops_sdk
from conftest import EXAMPLES

BASE = {
    "kustomization.yaml": "namePrefix: p-\nresources:\n- cm.yaml\n- svc.yaml\n",
    "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  n: '1'\n  on: yes\n",
    "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 80\n",
}


def test_build_files_dicts_keep_types_and_legacy_order() -> None:
    got = gitops_sdk.build_files(BASE)
    # legacy order: Service (rank 7) after ConfigMap... kustomize puts ConfigMap first.
    assert [r["kind"] for r in got] == ["ConfigMap", "Service"]
    assert got[0]["metadata"] == {"name": "p-a"}
    assert got[0]["data"] == {"n": "1", "on": "yes"}
    assert got[1]["spec"]["ports"] == [{"port": 80}]
    assert isinstance(got[1]["spec"]["ports"][0]["port"], int)


def test_build_files_reorder_none_keeps_input_order() -> None:
    files = dict(BASE, **{"kustomization.yaml": "resources:\n- svc.yaml\n- cm.yaml\n"})
    assert [r["kind"] for r in gitops_sdk.build_files(files, reorder="none")] == ["Service", "ConfigMap"]
    assert [r["kind"] for r in gitops_sdk.build_files(files)] == ["ConfigMap", "Service"]


def test_build_files_yaml_is_kustomize_text() -> None:
    assert gitops_sdk.build_files_yaml(BASE) == (
        "apiVersion: v1\ndata:\n  \"n\": \"1\"\n  \"on\": \"yes\"\nkind: ConfigMap\nmetadata:\n  name: p-a\n"
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: p-s\nspec:\n  ports:\n  - port: 80\n"
    )


def test_build_files_sub_directory_and_absolute_names() -> None:
    files = {f"/app/{k}": v for k, v in BASE.items()}
    assert gitops_sdk.build_files(files, "app") == gitops_sdk.build_files(BASE)
    assert gitops_sdk.build_files(files, Path("/app")) == gitops_sdk.build_files(BASE)


def test_disk_and_memory_agree() -> None:
    root = EXAMPLES / "apps" / "web" / "base"
    files = {str(p.relative_to(root)): p.read_text() for p in root.rglob("*") if p.is_file()}
    assert gitops_sdk.build_files_yaml(files) == gitops_sdk.build_yaml(root)
    assert gitops_sdk.build_files(files) == gitops_sdk.build(str(root))


def test_build_accepts_pathlike_and_str() -> None:
    root = EXAMPLES / "apps" / "web" / "base"
    assert gitops_sdk.build(root) == gitops_sdk.build(str(root))
    assert len(gitops_sdk.build(root)) > 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("reorder", "sideways", r"^illegal flag value --reorder sideways; legal values: \[legacy none\]$"),
        ("load_restrictor", "Sometimes", r"^illegal flag value --load-restrictor Sometimes; legal values: "),
    ],
)
def test_bad_option_values_are_value_errors(option: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        gitops_sdk.build_files(BASE, **{option: value})  # type: ignore[arg-type]


def _large_tree(n: int) -> dict[str, str]:
    docs = []
    for i in range(n):
        docs.append(
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n"
            f"  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.{i}\n"
        )
    return {
        "kustomization.yaml": "namePrefix: x-\ncommonLabels:\n  app: big\nresources:\n- r.yaml\n",
        "r.yaml": "---\n".join(docs),
    }


def test_gil_is_released_during_a_build() -> None:
    files = _large_tree(3000)
    ticks: list[float] = []
    stop = threading.Event()

    def ticker() -> None:
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    time.sleep(0.02)
    start = time.perf_counter()
    out = gitops_sdk.build_files_yaml(files)
    end = time.perf_counter()
    stop.set()
    t.join()
    assert out.count("kind: Deployment") == 3000
    assert end - start > 0.05, "build too fast to observe"
    inside = [x for x in ticks if start + 0.01 < x < end - 0.01]
    # With the GIL held for the whole build the ticker could not run at all.
    assert len(inside) >= 5, (len(inside), end - start)


def test_threads_build_concurrently_and_agree() -> None:
    files = _large_tree(200)
    want = gitops_sdk.build_files_yaml(files)
    results: list[str] = []

    def work() -> None:
        results.append(gitops_sdk.build_files_yaml(files))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [want] * 4
