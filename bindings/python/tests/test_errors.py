"""Bad input raises the typed exception with the Rust error's message; nothing crashes."""

import pytest

import gitops_sdk


def test_hierarchy_and_module() -> None:
    assert issubclass(gitops_sdk.KustomizeError, gitops_sdk.GitopsError)
    assert issubclass(gitops_sdk.NotifyError, gitops_sdk.GitopsError)
    assert issubclass(gitops_sdk.ResourceSetError, gitops_sdk.GitopsError)
    assert issubclass(gitops_sdk.PromoteError, gitops_sdk.GitopsError)
    assert issubclass(gitops_sdk.GitopsError, Exception)
    for cls in (gitops_sdk.GitopsError, gitops_sdk.KustomizeError, gitops_sdk.NotifyError):
        assert cls.__module__ == "gitops_sdk"


@pytest.mark.parametrize(
    ("files", "kind", "file", "message"),
    [
        (
            {"a.yaml": "x: 1\n"},
            "root",
            "/",
            "/: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '/'",
        ),
        (
            {"kustomization.yaml": "resources:\n- missing.yaml\n"},
            "entry",
            "/kustomization.yaml",
            "/kustomization.yaml: accumulating resources from 'missing.yaml': no such file or directory: '/missing.yaml'",
        ),
        (
            {"kustomization.yaml": "resources: [\n"},
            "kustomization",
            "/kustomization.yaml",
            "/kustomization.yaml: invalid Kustomization: line 2, column 1: ",
        ),
        (
            {"kustomization.yaml": "resources:\n- r.yaml\n", "r.yaml": "kind: ConfigMap\nmetadata:\n  name: [\n"},
            "entry",
            "/kustomization.yaml",
            "/kustomization.yaml: accumulating resources from 'r.yaml': r.yaml:4:1: MalformedYAMLError: ",
        ),
    ],
)
def test_kustomize_errors(files: dict[str, str], kind: str, file: str, message: str) -> None:
    with pytest.raises(gitops_sdk.KustomizeError) as info:
        gitops_sdk.build_files(files)
    err = info.value
    assert str(err).startswith(message), str(err)
    assert "\n" not in str(err)
    assert err.kind == kind
    assert err.file == file
    assert err.line is None
    assert isinstance(err, gitops_sdk.GitopsError)


def test_missing_directory_on_disk(tmp_path: object) -> None:
    with pytest.raises(gitops_sdk.KustomizeError) as info:
        gitops_sdk.build("/definitely/not/here")
    assert info.value.kind == "root"
    assert info.value.file == "/definitely/not/here"


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02",
        "a: &x [*x]\n",
        "[" * 10000,
        "{a: 1, a: 2}\n",
        "- - - - -\n" * 100,
        "key: \"unterminated\n",
        "\ufeff\ufeffa: 1\n",
    ],
)
def test_garbage_never_crashes(text: str) -> None:
    files = {"kustomization.yaml": "resources:\n- r.yaml\n", "r.yaml": text}
    try:
        gitops_sdk.build_files(files)
    except gitops_sdk.KustomizeError as err:
        assert str(err)


def test_wrong_argument_types_are_type_errors() -> None:
    with pytest.raises(TypeError):
        gitops_sdk.build_files({"a": 1})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        gitops_sdk.build(42)  # type: ignore[arg-type]
