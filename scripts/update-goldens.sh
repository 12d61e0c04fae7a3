#!/usr/bin/env bash
# Run the real kustomize (v5.8.1) on every differential fixture and write, or
# with --check compare, its output.
#
#   bash scripts/update-goldens.sh            # (re)write expected.yaml / expected.err
#   bash scripts/update-goldens.sh --check    # compare only; exit 1 on any difference
#
# Fixture directories (see tests/fixtures/README.md):
#   tests/fixtures/kustomize/<case>/     a kustomization root plus optional
#                                        `args` (extra flags) and `root` (sub-directory to build)
#   tests/fixtures/examples/<case>/      `root` names a directory under examples/
#
# Each case is built from inside its own directory with a relative root, so
# absolute paths rarely appear; any that do (the case directory, the checkout)
# are replaced by <CASE> and <REPO> in expected.err.
#
# kustomize comes from $KUSTOMIZE if set, else scripts/install-kustomize.sh
# (which installs it with `go install` into .tools/ on first use).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
mode=write
case "${1:-}" in
  --check) mode=check ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

if [ -n "${KUSTOMIZE:-}" ]; then
  # Cases are built from inside their own directories: make the path absolute first, or a
  # relative KUSTOMIZE would turn every case into a "command not found" failure.
  case "$KUSTOMIZE" in
    */*) kz=$(cd "$(dirname "$KUSTOMIZE")" && pwd)/$(basename "$KUSTOMIZE") ;;
    *) kz=$(command -v "$KUSTOMIZE") ;;
  esac
else
  kz=$(bash "$here/scripts/install-kustomize.sh" | tail -n 1)
fi
"$kz" version >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

total=0
same=0
changed=()

# run_case <case-dir> <dir-to-cd-into> <root-arg>
run_case() {
  local dir=$1 workdir=$2 root=$3
  local args=()
  if [ -f "$dir/args" ]; then
    read -r -a args <"$dir/args"
  fi
  local rc=0
  (cd "$workdir" && "$kz" build "${args[@]}" "$root") >"$tmp/out" 2>"$tmp/err" || rc=$?
  if [ "$rc" -eq 0 ]; then
    cp "$tmp/out" "$tmp/expected.yaml"
    rm -f "$tmp/expected.err"
  else
    local case_abs repo_abs
    case_abs=$(cd "$workdir" && pwd -P)
    repo_abs=$(cd "$here" && pwd -P)
    # Go pointers in kustomize's messages ("merging from generator &{0xc000123 <nil>}")
    # change from run to run.
    sed -e "s#${case_abs}#<CASE>#g" -e "s#${repo_abs}#<REPO>#g" -e 's#&{0x[0-9a-f]*#\&{0xADDR#g' \
      "$tmp/err" >"$tmp/expected.err"
    rm -f "$tmp/expected.yaml"
  fi
  total=$((total + 1))
  local ok=1 f
  for f in expected.yaml expected.err; do
    if [ -f "$tmp/$f" ]; then
      cmp -s "$tmp/$f" "$dir/$f" || ok=0
    elif [ -f "$dir/$f" ]; then
      ok=0
    fi
  done
  if [ "$ok" -eq 1 ]; then
    same=$((same + 1))
    return
  fi
  changed+=("${dir#"$here"/}")
  if [ "$mode" = write ]; then
    rm -f "$dir/expected.yaml" "$dir/expected.err"
    for f in expected.yaml expected.err; do
      if [ -f "$tmp/$f" ]; then cp "$tmp/$f" "$dir/$f"; fi
    done
  fi
}

for dir in "$here"/tests/fixtures/kustomize/*/; do
  dir=${dir%/}
  root=.
  if [ -f "$dir/root" ]; then root=$(head -n 1 "$dir/root"); fi
  run_case "$dir" "$dir" "$root"
done

for dir in "$here"/tests/fixtures/examples/*/; do
  [ -d "$dir" ] || continue
  dir=${dir%/}
  root=$(head -n 1 "$dir/root")
  run_case "$dir" "$here/examples" "$root"
done

if [ "$mode" = check ]; then
  echo "kustomize goldens: $same of $total identical to $("$kz" version)"
  if [ "${#changed[@]}" -gt 0 ]; then
    printf 'differs: %s\n' "${changed[@]}" | head -n 50
    exit 1
  fi
else
  echo "kustomize goldens: $total cases, ${#changed[@]} rewritten"
fi
