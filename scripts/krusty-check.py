#!/usr/bin/env python3
"""Run kustomize's own krusty test suite against `gitops build`.

The krusty tests (sigs.k8s.io/kustomize/api@v0.21.1/krusty/*_test.go) are read
from the Go module cache at run time; nothing of them is copied into this
repository. Each test writes an in-memory file tree (th.WriteK / WriteC /
WriteF / WriteLegacyConfigs), runs a build (th.Run / th.RunWithErr) and
compares the result (th.AssertActualEqualsExpected..., error substrings).
This script extracts those steps with a small Go lexer, writes each file tree
into a temporary directory, runs `gitops build` on it and compares.

A test is skipped (with a reason) when its extraction would be a guess: loops
and table-driven sub-tests, string values computed at run time, plugins that
need Go/exec/containers/helm/network, or harness methods with no CLI
equivalent.

With --reference, the real kustomize binary is run on every extracted case as
well, and the summary says how many cases the kustomize 5.8.1 CLI itself
passes (the bar: every case kustomize passes, we pass).

Usage:
  python3 scripts/krusty-check.py [--gitops PATH] [--reference PATH]
                                  [--only SUBSTR] [-v] [--min-pass N]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

MODULE = "sigs.k8s.io/kustomize/api@v0.21.1"

# ---------------------------------------------------------------- Go lexer


class Tok:
    __slots__ = ("kind", "val", "line")

    def __init__(self, kind, val, line):
        self.kind = kind  # ident, str, num, op, nl
        self.val = val
        self.line = line

    def __repr__(self):
        return "%s:%r" % (self.kind, self.val)


_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'",
        "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(body):
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = body[i + 1] if i + 1 < len(body) else ""
        if n in _ESC:
            out.append(_ESC[n])
            i += 2
        elif n == "x":
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif n == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif n == "U":
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        elif n.isdigit():
            out.append(chr(int(body[i + 1:i + 4], 8)))
            i += 4
        else:
            raise ValueError("bad escape")
    return "".join(out)


def lex(src):
    toks = []
    i = 0
    line = 1
    n = len(src)
    while i < n:
        c = src[i]
        if c == "\n":
            toks.append(Tok("nl", "\n", line))
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            line += src.count("\n", i, j)
            i = j
        elif c == "`":
            j = src.find("`", i + 1)
            if j < 0:
                j = n
            raw = src[i + 1:j].replace("\r", "")
            toks.append(Tok("str", raw, line))
            line += src.count("\n", i, j)
            i = j + 1
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            toks.append(Tok("str", _unquote(src[i + 1:j]), line))
            i = j + 1
        elif c == "'":
            j = i + 1
            while j < n and src[j] != "'":
                j += 2 if src[j] == "\\" else 1
            toks.append(Tok("num", src[i:j + 1], line))
            i = j + 1
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (src[j].isalnum() or src[j] == "_"):
                j += 1
            toks.append(Tok("ident", src[i:j], line))
            i = j
        elif c.isdigit():
            j = i
            while j < n and (src[j].isalnum() or src[j] in "._"):
                j += 1
            toks.append(Tok("num", src[i:j], line))
            i = j
        else:
            for op in (":=", "==", "!=", "&&", "||", "<-", "...", "++", "--",
                       "+=", "<=", ">="):
                if src.startswith(op, i):
                    toks.append(Tok("op", op, line))
                    i += len(op)
                    break
            else:
                toks.append(Tok("op", c, line))
                i += 1
    return toks


def match_close(toks, i):
    """Index of the bracket closing toks[i]."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    stack = [pairs[toks[i].val]]
    j = i + 1
    while j < len(toks):
        v = toks[j].val if toks[j].kind == "op" else None
        if v in pairs:
            stack.append(pairs[v])
        elif v in (")", "}", "]"):
            if not stack or stack[-1] != v:
                raise ValueError("unbalanced")
            stack.pop()
            if not stack:
                return j
        j += 1
    raise ValueError("unbalanced")


def split_args(toks):
    """Split a token list (inside call parens) at top-level commas."""
    args, cur, depth = [], [], 0
    for t in toks:
        if t.kind == "op" and t.val in "([{":
            depth += 1
        elif t.kind == "op" and t.val in ")]}":
            depth -= 1
        if depth == 0 and t.kind == "op" and t.val == ",":
            args.append(cur)
            cur = []
            continue
        if t.kind == "nl":
            continue
        cur.append(t)
    if cur:
        args.append(cur)
    return args


class Unresolved(Exception):
    pass


def eval_str(toks, env):
    """Value of a string expression: literals and known names joined by +."""
    toks = [t for t in toks if t.kind != "nl"]
    if not toks:
        raise Unresolved("empty expression")
    parts = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "str":
            parts.append(t.val)
            i += 1
        elif t.kind == "ident" and i + 1 < len(toks) and toks[i + 1].val == "(":
            # filepath.Join / th.Join style helpers are handled by callers.
            raise Unresolved("call in string expression")
        elif t.kind == "ident":
            if t.val not in env:
                raise Unresolved("unknown name %s" % t.val)
            parts.append(env[t.val])
            i += 1
        else:
            raise Unresolved("unsupported token %r" % t.val)
        if i < len(toks):
            if toks[i].val != "+":
                raise Unresolved("unsupported operator %r" % toks[i].val)
            i += 1
    return "".join(parts)


def eval_path(toks, env):
    toks = [t for t in toks if t.kind != "nl"]
    # filepath.Join(a, b...), th.Join(a...), th.GetRoot()
    if len(toks) >= 3 and toks[0].kind == "ident" and toks[1].val == ".":
        name = toks[0].val + "." + toks[2].val
        if name in ("filepath.Join", "th.Join", "path.Join") and toks[3].val == "(":
            close = match_close(toks, 3)
            if close != len(toks) - 1:
                raise Unresolved("path expression")
            parts = [eval_path(a, env) for a in split_args(toks[4:close])]
            return os.path.join(*parts) if parts else ""
        if name == "th.GetRoot" and len(toks) == 5:
            return "/"
    return eval_str(toks, env)


def top_level_strings(toks, env):
    """Collect package-level `name = <string expr>` (const/var)."""
    depth = 0
    i = 0
    pending = []
    while i < len(toks):
        t = toks[i]
        if t.kind == "op" and t.val == "{":
            depth += 1
        elif t.kind == "op" and t.val == "}":
            depth -= 1
        elif (depth == 0 and t.kind == "ident" and i + 1 < len(toks)
              and toks[i + 1].kind == "op" and toks[i + 1].val == "="
              and (i == 0 or toks[i - 1].kind == "nl" or toks[i - 1].val in ("const", "var", "("))):
            j = i + 2
            expr = []
            while j < len(toks):
                tj = toks[j]
                if tj.kind == "nl" and (not expr or expr[-1].val != "+"):
                    break
                expr.append(tj)
                j += 1
            pending.append((t.val, expr))
            i = j
            continue
        i += 1
    # resolve in several passes (constants may refer to later constants)
    for _ in range(4):
        for name, expr in pending:
            if name in env:
                continue
            try:
                env[name] = eval_str(expr, env)
            except (Unresolved, ValueError, IndexError):
                pass


# ---------------------------------------------------------------- extraction

SKIP_IDENTS = {
    "for": "loop",
    "go": "goroutine",
    "BuildGoPlugin": "Go plugin",
    "PrepExecPlugin": "exec plugin",
    "ErrIfNoHelm": "helm",
    "MakeHarnessWithFs": "custom file system (function plugins)",
    "MakeEnhancedHarnessWithTmpRoot": "temporary on-disk root",
    "CreateKustDir": "on-disk helper",
    "GetFSys": "direct file-system access",
    "os": "direct OS access",
    "exec": "runs external commands",
    "LoadAndRunGenerator": "plugin unit call",
    "LoadAndRunTransformer": "plugin unit call",
    "RunTransformerAndCheckResult": "plugin unit call",
    "ResetLoaderRoot": "loader reset",
    "Setup": "custom setup",
    "EvalSymlinks": "symlinks",
    "AssertActualEqualsExpectedWithTweak": "output tweak function",
    "remoteloader": "network",
}

KNOWN_TH = {"WriteK", "WriteC", "WriteF", "WriteLegacyConfigs", "Run", "RunWithErr",
            "AssertActualEqualsExpected", "AssertActualEqualsExpectedNoIdAnnotations",
            "MakeDefaultOptions", "MakeOptionsPluginsDisabled", "MakeOptionsPluginsEnabled",
            "Reset", "PrepBuiltin", "MkDir", "GetRoot", "Join", "GetT"}

K_HEADER = "\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
C_HEADER = "\napiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n"


class Case:
    def __init__(self, name, files, dirs, path, opts):
        self.name = name
        self.files = dict(files)
        self.dirs = list(dirs)
        self.path = path
        self.opts = dict(opts)
        self.expected = None  # output text
        self.errors = None  # list of substrings (error expected)


def extract_test(name, body, env, legacy_configs):
    """Cases of one test body; raises Unresolved(reason) to skip."""
    for t in body:
        if t.kind == "ident" and t.val in SKIP_IDENTS:
            raise Unresolved(SKIP_IDENTS[t.val])
    for i, t in enumerate(body):
        if t.kind == "ident" and t.val == "Run" and i >= 2 and body[i - 1].val == "." \
                and body[i - 2].val == "t":
            raise Unresolved("table-driven sub-tests (t.Run)")
        if t.kind == "ident" and t.val == "th" and i + 2 < len(body) and body[i + 1].val == "." \
                and body[i + 2].kind == "ident" and body[i + 2].val not in KNOWN_TH:
            raise Unresolved("harness method th.%s" % body[i + 2].val)
    local = dict(env)
    files = {}
    dirs = []
    opts_vars = {}
    cases = []
    last = None
    err_var = None

    def norm(p):
        p = os.path.normpath(p)
        return p.lstrip("/") or "."

    def opts_of(arg):
        a = [t for t in arg if t.kind != "nl"]
        if len(a) == 1 and a[0].kind == "ident" and a[0].val in opts_vars:
            return opts_vars[a[0].val]
        if len(a) == 5 and a[0].val == "th" and a[2].val.startswith("MakeOptions") or \
                len(a) == 5 and a[0].val == "th" and a[2].val == "MakeDefaultOptions":
            return {"plugins": a[2].val == "MakeOptionsPluginsEnabled"}
        raise Unresolved("options expression")

    i = 0
    while i < len(body):
        t = body[i]
        # local string assignment: name := <str expr> / name = <str expr>
        if t.kind == "ident" and i + 1 < len(body) and body[i + 1].val in (":=", "=") \
                and (i == 0 or body[i - 1].kind == "nl" or body[i - 1].val in ("{", ";")):
            j = i + 2
            expr = []
            while j < len(body):
                if body[j].kind == "nl" and (not expr or expr[-1].val != "+"):
                    break
                expr.append(body[j])
                j += 1
            rhs = [x for x in expr if x.kind != "nl"]
            if rhs and rhs[0].kind in ("str",) or (rhs and rhs[0].kind == "ident" and rhs[0].val in local
                                                  and all(x.kind in ("str", "ident") or x.val == "+" for x in rhs)):
                try:
                    local[t.val] = eval_str(rhs, local)
                except Unresolved:
                    local.pop(t.val, None)
                i = j
                continue
            if len(rhs) == 5 and rhs[0].val == "th" and rhs[2].val in (
                    "MakeDefaultOptions", "MakeOptionsPluginsDisabled", "MakeOptionsPluginsEnabled"):
                opts_vars[t.val] = {"plugins": rhs[2].val == "MakeOptionsPluginsEnabled"}
                i = j
                continue
            if len(rhs) >= 3 and rhs[0].val == "th" and rhs[2].val in ("Run", "RunWithErr"):
                pass  # handled below
            elif rhs and rhs[0].val == "th":
                pass
            else:
                i += 1
                continue
        # option tweaks: o.Reorder = krusty.ReorderOptionLegacy, ...
        if t.kind == "ident" and t.val in opts_vars and i + 4 < len(body) and body[i + 1].val == "." \
                and body[i + 3].val == "=":
            field = body[i + 2].val
            j = i + 4
            rhs = []
            while j < len(body) and body[j].kind != "nl":
                rhs.append(body[j].val)
                j += 1
            val = "".join(rhs)
            o = opts_vars[t.val]
            if field == "Reorder":
                o["reorder"] = "legacy" if val.endswith("Legacy") else "none"
            elif field == "LoadRestrictions":
                o["restrict"] = val.split(".")[-1]
            elif field == "AddManagedbyLabel":
                if val == "true":
                    raise Unresolved("AddManagedbyLabel option (no gitops flag)")
            else:
                raise Unresolved("option %s" % field)
            i = j
            continue
        if t.kind == "ident" and t.val == "th" and i + 3 < len(body) and body[i + 1].val == "." \
                and body[i + 3].val == "(":
            meth = body[i + 2].val
            close = match_close(body, i + 3)
            args = split_args(body[i + 4:close])
            if meth in ("WriteK", "WriteC"):
                p = norm(eval_path(args[0], local))
                head = K_HEADER if meth == "WriteK" else C_HEADER
                files[os.path.join(p, "kustomization.yaml")] = head + eval_str(args[1], local)
            elif meth == "WriteF":
                files[norm(eval_path(args[0], local))] = eval_str(args[1], local)
            elif meth == "WriteLegacyConfigs":
                if legacy_configs is None:
                    raise Unresolved("default field specs not found")
                files[norm(eval_path(args[0], local))] = legacy_configs
            elif meth == "MkDir":
                dirs.append(norm(eval_path(args[0], local)))
            elif meth in ("Run", "RunWithErr"):
                o = dict({"reorder": "none", "restrict": "LoadRestrictionsRootOnly"})
                o.update(opts_of(args[1]))
                last = Case("%s#%d" % (name, len(cases) + 1), files, dirs,
                            norm(eval_path(args[0], local)), o)
                if meth == "RunWithErr":
                    last.errors = []
                    # name of the error variable: `err := th.RunWithErr(...)`
                    k = i - 1
                    while k >= 0 and body[k].kind != "nl" and body[k].val not in (":=", "="):
                        k -= 1
                    err_var = body[k - 1].val if k >= 1 and body[k].val in (":=", "=") else None
                cases.append(last)
            elif meth in ("AssertActualEqualsExpected", "AssertActualEqualsExpectedNoIdAnnotations"):
                if last is None:
                    raise Unresolved("assertion before run")
                exp = eval_str(args[1], local)
                if exp.startswith("\n"):
                    exp = exp[1:]
                if last.expected is not None:
                    raise Unresolved("two assertions for one run")
                last.expected = exp
            i = close + 1
            continue
        # error checks
        if last is not None and last.errors is not None and t.kind == "ident":
            call = None
            if t.val in ("assert", "require") and i + 3 < len(body) and body[i + 1].val == "." \
                    and body[i + 3].val == "(":
                call = body[i + 2].val
                close = match_close(body, i + 3)
                args = split_args(body[i + 4:close])
                if call in ("Contains", "ErrorContains", "EqualError", "Equal") and len(args) >= 3:
                    try:
                        last.errors.append(eval_str(args[2], local))
                    except Unresolved:
                        a1 = [x.val for x in args[1]]
                        a2 = [x.val for x in args[2]]
                        if call == "Equal" and (err_var in a2 and "Error" in a2):
                            last.errors.append(eval_str(args[1], local))
                        elif call == "Contains" and "Error" in a1:
                            raise
                        elif err_var in a1 or err_var in a2:
                            raise
                i = close + 1
                continue
            if t.val == "strings" and i + 3 < len(body) and body[i + 2].val == "Contains" \
                    and body[i + 3].val == "(":
                close = match_close(body, i + 3)
                args = split_args(body[i + 4:close])
                if len(args) == 2 and err_var and any(x.val == err_var for x in args[0]):
                    last.errors.append(eval_str(args[1], local))
                i = close + 1
                continue
        i += 1
    if not cases:
        raise Unresolved("no build run")
    return cases


def find_helpers(toks, helpers):
    """Package-level helper functions taking the harness `th` (inlined into tests)."""
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "ident" and t.val == "func" and i + 2 < len(toks) \
                and toks[i + 1].kind == "ident" and not toks[i + 1].val.startswith("Test") \
                and toks[i + 2].val == "(" and (i == 0 or toks[i - 1].kind == "nl"):
            pclose = match_close(toks, i + 2)
            params = [[x.val for x in p] for p in split_args(toks[i + 3:pclose])]
            j = pclose
            while j < len(toks) and toks[j].val != "{":
                j += 1
            close = match_close(toks, j)
            names = [p[0] for p in params if p]
            if "th" in names:
                helpers[toks[i + 1].val] = (names, toks[j + 1:close])
            i = close + 1
            continue
        i += 1


def inline_helpers(body, helpers, depth=0):
    if depth > 5:
        raise Unresolved("helper nesting")
    out = []
    i = 0
    while i < len(body):
        t = body[i]
        if t.kind == "ident" and t.val in helpers and i + 1 < len(body) and body[i + 1].val == "(" \
                and (i == 0 or body[i - 1].val != "."):
            close = match_close(body, i + 1)
            names, hbody = helpers[t.val]
            args = split_args(body[i + 2:close])
            if len(args) != len(names):
                raise Unresolved("helper %s arguments" % t.val)
            out.append(Tok("op", "{", t.line))
            out.append(Tok("nl", "\n", t.line))
            for n, a in zip(names, args):
                if n == "th":
                    if [x.val for x in a] != ["th"]:
                        raise Unresolved("helper %s harness argument" % t.val)
                    continue
                out.append(Tok("ident", n, t.line))
                out.append(Tok("op", ":=", t.line))
                out.extend(a)
                out.append(Tok("nl", "\n", t.line))
            out.extend(inline_helpers(hbody, helpers, depth + 1))
            out.append(Tok("nl", "\n", t.line))
            out.append(Tok("op", "}", t.line))
            i = close + 1
            continue
        out.append(t)
        i += 1
    return out


def find_tests(toks):
    out = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "ident" and t.val == "func" and i + 1 < len(toks) \
                and toks[i + 1].kind == "ident" and toks[i + 1].val.startswith("Test") \
                and (i == 0 or toks[i - 1].kind == "nl"):
            name = toks[i + 1].val
            j = i + 2
            while j < len(toks) and toks[j].val != "{":
                j += 1
            close = match_close(toks, j)
            out.append((name, toks[j + 1:close]))
            i = close + 1
            continue
        i += 1
    return out


# ---------------------------------------------------------------- running


def materialise(case, root):
    for d in case.dirs:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    for p, content in case.files.items():
        full = os.path.join(root, p)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8", newline="") as f:
            f.write(content)
    os.makedirs(os.path.join(root, case.path), exist_ok=True)


def run_build(binary, case, root, is_kustomize):
    args = [binary, "build", os.path.join(root, case.path),
            "--load-restrictor", case.opts["restrict"]]
    args += ["--reorder", case.opts["reorder"]]
    if is_kustomize and case.opts.get("plugins"):
        args.append("--enable-alpha-plugins")
    try:
        p = subprocess.run(args, capture_output=True, timeout=60, cwd=root)
    except subprocess.TimeoutExpired:
        return False, "", "timeout"
    return p.returncode == 0, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def verdict(case, ok, out, err):
    if case.errors is not None:
        if ok:
            return False, "expected an error, build succeeded"
        msg = err.replace(os.linesep, " ")
        for s in case.errors:
            if s not in msg:
                return False, "error lacks %r: %s" % (s, err.strip()[:300])
        return True, ""
    if not ok:
        return False, "failed: " + err.strip()[:300]
    if case.expected is None or out == case.expected:
        return True, ""
    return False, "output differs"


def module_dir():
    gomod = os.environ.get("GOMODCACHE") or os.path.join(os.path.expanduser("~"), "go", "pkg", "mod")
    d = os.path.join(gomod, MODULE)
    if os.path.isdir(d):
        return d
    try:
        subprocess.run(["go", "mod", "download", MODULE], check=True, cwd=tempfile.gettempdir(),
                       env=dict(os.environ, GOFLAGS="-mod=mod", GO111MODULE="on"))
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit("krusty-check: %s not in the module cache and `go mod download` failed: %s" % (MODULE, e))
    if not os.path.isdir(d):
        sys.exit("krusty-check: %s not found after download" % d)
    return d


def legacy_field_specs(mod):
    d = os.path.join(mod, "internal", "konfig", "builtinpluginconsts")
    env = {}
    try:
        for fn in sorted(os.listdir(d)):
            if fn.endswith(".go") and not fn.endswith("_test.go"):
                with open(os.path.join(d, fn), encoding="utf-8") as f:
                    top_level_strings(lex(f.read()), env)
    except OSError:
        return None
    order = ["namePrefixFieldSpecs", "nameSuffixFieldSpecs", "commonLabelFieldSpecs",
             "templateLabelFieldSpecs", "commonAnnotationFieldSpecs", "namespaceFieldSpecs",
             "varReferenceFieldSpecs", "nameReferenceFieldSpecs", "imagesFieldSpecs",
             "replicasFieldSpecs"]
    if not all(k in env for k in order):
        return None
    return "".join(env[k] for k in order)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser()
    ap.add_argument("--gitops", default=os.path.join(repo, "target", "release", "gitops"))
    ap.add_argument("--reference", help="real kustomize binary to run on every case as well")
    ap.add_argument("--only", help="only tests whose name contains this")
    ap.add_argument("--min-pass", type=int, default=0, help="fail unless at least N cases pass")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--keep", help="write each case under this directory instead of a temp dir")
    a = ap.parse_args()
    a.gitops = os.path.abspath(a.gitops)
    if a.reference:
        a.reference = os.path.abspath(a.reference)

    mod = module_dir()
    kdir = os.path.join(mod, "krusty")
    legacy = legacy_field_specs(mod)
    env = {}
    helpers = {}
    parsed = []
    for fn in sorted(os.listdir(kdir)):
        if not fn.endswith("_test.go"):
            continue
        with open(os.path.join(kdir, fn), encoding="utf-8") as f:
            toks = lex(f.read())
        top_level_strings(toks, env)
        find_helpers(toks, helpers)
        parsed.append((fn, toks))

    cases, skipped = [], []
    for fn, toks in parsed:
        for name, body in find_tests(toks):
            if a.only and a.only not in name:
                continue
            try:
                cases.extend(extract_test(name, inline_helpers(body, helpers), env, legacy))
            except (Unresolved, ValueError, IndexError) as e:
                skipped.append((name, str(e) or type(e).__name__))

    passed, failed = [], []
    ref_pass = 0
    both = 0
    ref_only = []
    tmp = tempfile.mkdtemp(prefix="krusty-")
    try:
        for n, case in enumerate(cases):
            root = os.path.join(a.keep, case.name.replace("#", "_")) if a.keep else os.path.join(tmp, str(n))
            if a.keep:
                shutil.rmtree(root, ignore_errors=True)
            materialise(case, root)
            good, why = verdict(case, *run_build(a.gitops, case, root, False))
            if a.reference:
                rgood, rwhy = verdict(case, *run_build(a.reference, case, root, True))
                if a.verbose and not rgood:
                    print("REFFAIL %s: %s" % (case.name, rwhy))
                ref_pass += rgood
                both += rgood and good
                if rgood and not good:
                    ref_only.append(case.name)
            (passed if good else failed).append((case.name, why))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("krusty tests (%s): %d passed / %d extracted / %d skipped"
          % (MODULE, len(passed), len(cases), len(skipped)))
    if a.reference:
        print("kustomize 5.8.1 CLI passes %d of %d extracted; gitops passes %d of those"
              % (ref_pass, len(cases), both))
        if ref_only:
            print("failing where kustomize passes: " + ", ".join(ref_only))
    for name, why in failed:
        print("FAIL %s: %s" % (name, why))
    if a.verbose:
        for name, why in skipped:
            print("SKIP %s: %s" % (name, why))
    return 0 if len(passed) >= a.min_pass else 1


if __name__ == "__main__":
    sys.exit(main())
