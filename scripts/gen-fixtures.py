#!/usr/bin/env python3
"""Write the inputs of the kustomize differential fixtures.

Every case is a directory tests/fixtures/kustomize/<NNN-short-name>/ holding a
kustomization root (kustomization.yaml plus resource files, maybe bases in
sub-directories) and, optionally:

  args    extra `kustomize build` flags, e.g. `--reorder none`
  root    a sub-directory to build instead of the case directory
  fault   a substring that our own one-line error message must contain
          (only for cases where kustomize fails)

The expected output (expected.yaml, or expected.err when kustomize fails) is
NOT written here: scripts/update-goldens.sh runs the real kustomize for that.

Regenerating rewrites every input file, keeps expected.* files of cases whose
directory name did not change, and removes directories of cases that no longer
exist (only those listed in the GENERATED manifest it wrote last time: case
sets numbered 600 and up are written by hand or by other scripts and are never
touched here).  Python 3 standard library only; output is deterministic.

Usage: python3 scripts/gen-fixtures.py [--out DIR]
"""

import os
import random
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "tests", "fixtures", "kustomize")

CASES = []
NAMES = set()


def uniq(name):
    """Make a derived case name unique (e.g. 0x1F and 0X1f slug alike)."""
    base, n = name, 2
    while name in NAMES:
        name = f"{base}-v{n}"
        n += 1
    return name


def case(name, files, args=None, root=None, fault=None):
    """Register one case. files maps relative path -> str or bytes."""
    if name in NAMES:
        raise SystemExit(f"duplicate case name {name}")
    NAMES.add(name)
    CASES.append((name, files, args, root, fault))


KUST = "resources:\n- r.yaml\n"


def simple(name, resource, kust=KUST, args=None, fault=None, extra=None):
    files = {"kustomization.yaml": kust, "r.yaml": resource}
    if extra:
        files.update(extra)
    case(name, files, args=args, fault=fault)


def cm(name, data, meta=""):
    """A ConfigMap; data is the already indented body of `data:`."""
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n{meta}data:\n{data}"


def obj(kind, name, body="", api="v1", ns=None):
    meta = f"metadata:\n  name: {name}\n"
    if ns:
        meta += f"  namespace: {ns}\n"
    return f"apiVersion: {api}\nkind: {kind}\n{meta}{body}"


def slug(s):
    out = []
    for ch in s:
        if ch.isalnum():
            out.append(ch.lower() if ch.isascii() else "u")
        elif ch in "-_.":
            out.append("-")
        else:
            out.append("x")
    r = "".join(out).strip("-")
    return r or "empty"


def deployment(name, image="nginx:1.25", replicas=1, labels="app: web", extra_pod=""):
    sel = "".join("      " + x + "\n" for x in labels.split("\n"))
    tpl = "".join("        " + x + "\n" for x in labels.split("\n"))
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n"
            f"  replicas: {replicas}\n  selector:\n    matchLabels:\n{sel}"
            f"  template:\n    metadata:\n      labels:\n{tpl}"
            f"    spec:\n      containers:\n      - name: main\n        image: {image}\n"
            f"        resources:\n          requests:\n            cpu: 100m\n            memory: 64Mi\n{extra_pod}")


# ---------------------------------------------------------------------------
# 1. YAML 1.1 special words
# ---------------------------------------------------------------------------
WORDS = ["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
         "true", "True", "TRUE", "false", "False", "FALSE",
         "on", "On", "ON", "off", "Off", "OFF",
         "null", "Null", "NULL", "~"]


def gen_words():
    for w in WORDS:
        meta = (f"  labels:\n    lplain: {w}\n    lsingle: '{w}'\n    ldouble: \"{w}\"\n"
                f"  annotations:\n    asingle: '{w}'\n    adouble: \"{w}\"\n    aplain: {w}\n")
        data = (f"  plain: {w}\n  single: '{w}'\n  double: \"{w}\"\n"
                f"  literal: |-\n    {w}\n  folded: >-\n    {w}\n"
                f"  literalclip: |\n    {w}\n  prefixed: x{w}\n  suffixed: {w}x\n"
                f"  spaced: {w} {w}\n  seq-in-str: '[{w}]'\n")
        simple(f"word-{slug(w) if w != '~' else 'tilde'}-{'upper' if w.isupper() and len(w) > 1 else 'cap' if w[:1].isupper() else 'lower'}-values",
               cm("words", data, meta))
    for w in WORDS:
        data = f"  {w}: plain-key\n  other: v\n"
        meta = f"  annotations:\n    \"{w}\": double-quoted-key\n"
        simple(f"word-{slug(w) if w != '~' else 'tilde'}-{'upper' if w.isupper() and len(w) > 1 else 'cap' if w[:1].isupper() else 'lower'}-keys",
               cm("keys", data, meta))
    # Words inside sequences and flow collections.
    items = "".join(f"  - {w}\n" for w in WORDS)
    simple("words-in-block-sequence", obj("Thing", "seq", "spec:\n  items:\n" + items, api="example.com/v1"))
    flow = ", ".join(WORDS)
    simple("words-in-flow-sequence", obj("Thing", "flow", f"spec:\n  items: [{flow}]\n", api="example.com/v1"))
    qitems = "".join(f"  - '{w}'\n" for w in WORDS)
    simple("words-quoted-in-sequence", obj("Thing", "qseq", "spec:\n  items:\n" + qitems, api="example.com/v1"))
    # Words through kustomization-level fields (sigs.k8s.io/yaml reads these with YAML 1.1).
    labs = "".join(f"  k{i}: '{w}'\n" for i, w in enumerate(WORDS))
    simple("kust-commonlabels-quoted-words", cm("c", "  a: b\n"), kust=KUST + "commonLabels:\n" + labs)
    simple("kust-commonannotations-quoted-words", cm("c", "  a: b\n"), kust=KUST + "commonAnnotations:\n" + labs)
    dlabs = "".join(f"  k{i}: \"{w}\"\n" for i, w in enumerate(WORDS))
    simple("kust-commonlabels-double-quoted-words", cm("c", "  a: b\n"), kust=KUST + "commonLabels:\n" + dlabs)
    simple("kust-labels-pairs-quoted-words", cm("c", "  a: b\n"),
           kust=KUST + "labels:\n- pairs:\n" + "".join(f"    k{i}: '{w}'\n" for i, w in enumerate(WORDS)))
    simple("kust-commonlabels-plain-yes", cm("c", "  a: b\n"), kust=KUST + "commonLabels:\n  env: yes\n",
           fault="kustomization")
    simple("kust-commonlabels-plain-on", cm("c", "  a: b\n"), kust=KUST + "commonLabels:\n  env: on\n",
           fault="kustomization")
    simple("kust-commonannotations-plain-true", cm("c", "  a: b\n"), kust=KUST + "commonAnnotations:\n  flag: true\n",
           fault="kustomization")
    simple("kust-commonannotations-plain-null", cm("c", "  a: b\n"), kust=KUST + "commonAnnotations:\n  flag: null\n")
    simple("kust-commonannotations-plain-int", cm("c", "  a: b\n"), kust=KUST + "commonAnnotations:\n  n: 5\n",
           fault="kustomization")
    simple("kust-commonlabels-plain-y", cm("c", "  a: b\n"), kust=KUST + "commonLabels:\n  env: y\n",
           fault="kustomization")
    simple("kust-commonlabels-quoted-keys", cm("c", "  a: b\n"),
           kust=KUST + "commonLabels:\n  'yes': 'no'\n  'on': 'off'\n  '1': two\n")
    simple("kust-namespace-quoted-word", cm("c", "  a: b\n"), kust=KUST + "namespace: 'on'\n")
    simple("kust-nameprefix-word", cm("c", "  a: b\n"), kust=KUST + "namePrefix: 'yes-'\nnameSuffix: '-no'\n")


# ---------------------------------------------------------------------------
# 2. Numbers
# ---------------------------------------------------------------------------
NUMS = ["0", "1", "-1", "+1", "007", "0755", "08", "09.5", "0o755", "0x1F", "0X1f", "0xff_ff",
        "0b1010", "1_000", "1_000.5", "1.0", "1.", "-1.0", "1.50", "1e3", "1E3", "1e+3",
        "1.5e-3", "1000000.5", "123456.789", "0.000001", "1e-7", ".5", "-.5", "+.5",
        "1e21", "1e20", "100000000000000000000", "123456789012345678901234567890",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "18446744073709551615", "18446744073709551616", "-0", "-0.0", "0.0", "+0",
        "1:20", "190:20:30", "-1:20", "1:60", "6.8523015e+5", "685.230_15e+03",
        "0x", "1e", "1.2.3", "1,000", "12e03", "0xFFFFFFFFFFFFFFFF",
        "3.14159265358979323846", "2.5e-324", "1.7976931348623157e308", "4.9e-324",
        "0.1", "0.30000000000000004", "100", "1e100", "123456789", "1234567", "12345678",
        "1e6", "1e7", "1.23456789e-5", "0e0", "00", "0000.0", "+", "-", "1e1_0"]


def gen_numbers():
    for n in NUMS:
        data = f"  plain: {n}\n  single: '{n}'\n  double: \"{n}\"\n  inseq:\n  - {n}\n  - '{n}'\n"
        simple(uniq(f"num-{slug(n.replace('.', 'p').replace('+', 'plus').replace('-', 'minus'))}"),
               obj("Thing", "num", "spec:\n" + data, api="example.com/v1"))
    for special in [".inf", "-.Inf", "+.INF", ".NaN", ".nan"]:
        simple(uniq(f"num-plain-{slug(special.replace('.', 'dot').replace('+', 'plus').replace('-', 'minus'))}"),
               obj("Thing", "num", f"spec:\n  value: {special}\n", api="example.com/v1"), fault="r.yaml|/num.")
    simple("num-quoted-inf-nan", obj("Thing", "num", "spec:\n  a: '.inf'\n  b: \"-.Inf\"\n  c: '.NaN'\n  d: .infinity\n", api="example.com/v1"))
    simple("num-keys-int", cm("numkeys", "  1: one\n  2: two\n  10: ten\n  '3': three\n"))
    simple("num-keys-float", cm("numkeys", "  1.5: x\n  '2.5': y\n"))
    # go-yaml v2 orders keys with a comparison that is not transitive for
    # some sets ('01' < '10' < '1a' < '01'; '9' < '10' < '1a' < '9'), and
    # Go's map order is random, so kustomize prints such maps in varying
    # order.  These key sets are chosen so that the order is total.
    simple("num-keys-quoted-mixed", cm("numkeys", "  '10': a\n  '9': b\n  '1': c\n  a1: f\n  _1: g\n  '01x': h\n"))
    simple("num-replicas-variants", "\n".join([
        deployment("d1", replicas="3"), "---", deployment("d2", replicas="0x3"),
        "---", deployment("d3", replicas="'4'"), "---", deployment("d4", replicas="5.0")]))
    simple("num-container-ports", obj("Service", "svc",
           "spec:\n  ports:\n  - port: 80\n    targetPort: 8080\n  - port: 0443\n    targetPort: '8443'\n  - port: 0x50\n    targetPort: http\n"))


# ---------------------------------------------------------------------------
# 3. Dates and timestamps
# ---------------------------------------------------------------------------
DATES = ["2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.10Z",
         "2001-12-14 21:59:43.10 -5", "2001-12-15 2:59:43.10", "2002-1-1",
         "2001-12-14T21:59:43Z", "1999-12-31T23:59:59.999999999+14:00",
         "2001-12-14T21:59:43", "20011214", "2001-13-45", "2024-02-29",
         "2001-12-14T21:59:43+01:00", "0001-01-01", "9999-12-31T23:59:59Z",
         "2001-12-14 21:59:43", "12:30", "12:30:45", "2001-12"]


def gen_dates():
    for d in DATES:
        data = f"  plain: {d}\n  single: '{d}'\n  double: \"{d}\"\n"
        simple(uniq(f"date-{slug(d)}"), obj("Thing", "date", "spec:\n" + data, api="example.com/v1"))
    simple("date-as-keys", cm("datekeys", "  2001-12-14: plain\n  '2002-12-14': quoted\n"))
    simple("date-in-annotation", cm("dateann", "  a: b\n",
           "  annotations:\n    created: '2001-12-14'\n    when: \"2001-12-14T21:59:43Z\"\n"))
    simple("date-in-commonannotations", cm("c", "  a: b\n"),
           kust=KUST + "commonAnnotations:\n  release-date: '2024-01-02'\n  build-time: '12:30'\n")


# ---------------------------------------------------------------------------
# 4. Nulls, empty strings, spaces
# ---------------------------------------------------------------------------
def gen_nulls_spaces():
    t = lambda name, body: simple(name, obj("Thing", "t", "spec:\n" + body, api="example.com/v1"))
    t("null-tilde", "  a: ~\n  b: '~'\n")
    t("null-word", "  a: null\n  b: 'null'\n  c: \"null\"\n")
    t("null-empty-value", "  a:\n  b: x\n")
    t("null-empty-last-value", "  b: x\n  a:\n")
    t("null-in-sequence", "  s:\n  -\n  - ~\n  - null\n  - ''\n")
    t("null-explicit-tag", "  a: !!null ''\n  b: !!null\n")
    t("null-whole-spec", "  \n")
    simple("null-metadata-labels", obj("Thing", "t", "spec:\n  a: 1\n", api="example.com/v1").replace(
        "metadata:\n  name: t\n", "metadata:\n  name: t\n  labels:\n  annotations: ~\n"))
    simple("null-labels-with-commonlabels", obj("Thing", "t", "spec:\n  a: 1\n", api="example.com/v1").replace(
        "metadata:\n  name: t\n", "metadata:\n  name: t\n  labels:\n"), kust=KUST + "commonLabels:\n  app: x\n")
    t("empty-string-single", "  a: ''\n")
    t("empty-string-double", "  a: \"\"\n")
    t("empty-string-in-seq", "  s:\n  - ''\n  - \"\"\n")
    t("empty-string-key", "  '': empty-key\n  x: y\n")
    t("empty-map-and-seq", "  m: {}\n  s: []\n  nested:\n    m: {}\n    s: []\n")
    t("space-leading", "  a: ' lead'\n  b: \"  two\"\n")
    t("space-trailing", "  a: 'trail '\n  b: \"two  \"\n")
    t("space-both", "  a: ' both '\n")
    t("space-only", "  a: ' '\n  b: '   '\n")
    t("space-inner-multiple", "  a: a   b    c\n  b: 'x  y'\n")
    t("space-leading-key", "  ' k': v\n  'k ': w\n")
    t("space-plain-trailing-stripped", "  a: value   \n  b: x\t\n")


# ---------------------------------------------------------------------------
# 5. Unicode and control characters
# ---------------------------------------------------------------------------
def gen_unicode():
    t = lambda name, body: simple(name, obj("Thing", "u", "spec:\n" + body, api="example.com/v1"))
    t("unicode-cjk", "  zh: 你好世界\n  ja: こんにちは\n  ko: 안녕하세요\n")
    t("unicode-emoji", "  a: 🚀 launch\n  b: '👍'\n  c: \"\\U0001F600\"\n")
    t("unicode-rtl", "  he: שלום עולם\n  ar: مرحبا بالعالم\n  mixed: abc שלום def\n")
    t("unicode-combining", "  a: e\u0301\n  b: \"n\\u0303\"\n  c: a\u030a\u0323\n")
    t("unicode-zero-width", "  a: \"a\\u200bb\"\n  b: \"\\ufeffx\"\n  c: \"x\\u200d\"\n")
    t("unicode-nbsp", "  a: \"a\\u00a0b\"\n  b: \"\\u00a0lead\"\n")
    t("unicode-line-separators", "  a: \"x\\u2028y\"\n  b: \"x\\u2029y\"\n  c: \"x\\u0085y\"\n")
    t("unicode-keys", "  名前: value\n  ключ: значение\n  é: e\n  Z: z\n  a: a\n")
    t("unicode-escapes-double", "  a: \"\\u00e9\\u00E9\"\n  b: \"\\x41\\x7e\"\n  c: \"\\U0001f680\"\n")
    t("unicode-latin1-supplement", "  a: ÀÉÎÕÜ ñ ß ø æ\n")
    t("unicode-private-use", "  a: \"\\ue000\"\n")
    t("unicode-label-value", "  a: b\n")
    simple("unicode-in-annotations", cm("u", "  a: b\n", "  annotations:\n    description: Café – naïve “quotes” ‘x’ …\n"))
    simple("unicode-long-line", obj("Thing", "u", "spec:\n  text: " + ("日本語のテキスト " * 14).strip() + "\n", api="example.com/v1"))
    simple("unicode-long-line-no-spaces", obj("Thing", "u", "spec:\n  text: " + "日本語" * 40 + "\n", api="example.com/v1"))
    CTRL = [("tab", "\\t"), ("bell", "\\a"), ("backspace", "\\b"), ("escape", "\\e"),
            ("nul", "\\0"), ("vtab", "\\v"), ("formfeed", "\\f"), ("cr", "\\r"),
            ("del", "\\x7f"), ("x01", "\\x01"), ("x1f", "\\x1f"), ("nel", "\\N"),
            ("nbsp-escape", "\\_"), ("ls", "\\L"), ("ps", "\\P"), ("slash", "\\/"),
            ("backslash", "\\\\"), ("dquote", "\\\""), ("space-escape", "\\ "),
            ("c1-x80", "\\x80"), ("c1-x9f", "\\x9f")]
    for nm, esc in CTRL:
        t(f"ctrl-{nm}", f"  mid: \"a{esc}b\"\n  lead: \"{esc}x\"\n  only: \"{esc}\"\n")
    t("ctrl-tab-literal-in-plain", "  a: a\tb\n")
    t("ctrl-tab-in-single", "  a: 'a\tb'\n")
    t("ctrl-tab-in-block", "  a: |\n    col1\tcol2\n    x\ty\n")
    t("ctrl-escaped-newline-double", "  a: \"line1\\nline2\"\n  b: \"line1\\nline2\\n\"\n  c: \"\\n\"\n")
    t("ctrl-double-line-continuation", "  a: \"abc \\\n    def\"\n  b: \"one\n    two\n\n    three\"\n")
    simple("ctrl-tab-in-label", cm("c", "  a: b\n", "  annotations:\n    t: \"a\\tb\"\n"))


# ---------------------------------------------------------------------------
# 6. Long lines and folding
# ---------------------------------------------------------------------------
def words_of(n, seed):
    r = random.Random(seed)
    vocab = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
             "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho"]
    out = []
    while len(" ".join(out)) < n:
        out.append(r.choice(vocab))
    return " ".join(out)[:n].rstrip()


def gen_long():
    t = lambda name, body: simple(name, obj("Thing", "long", "spec:\n" + body, api="example.com/v1"))
    for n in [70, 74, 75, 76, 77, 78, 79, 80, 81, 82, 100, 160, 300]:
        t(f"long-words-{n}", f"  text: {words_of(n, n)}\n")
    for n in [79, 80, 81, 200, 1000]:
        t(f"long-nospace-{n}", f"  text: {'x' * n}\n")
    t("long-nospace-then-space", f"  text: {'a' * 90} {'b' * 90} c\n")
    t("long-double-spaces", "  text: " + "word  " * 20 + "end\n")
    t("long-single-quoted-needed", f"  text: '- {words_of(120, 1)}'\n")
    t("long-leading-space", f"  text: ' {words_of(120, 2)}'\n")
    t("long-trailing-space", f"  text: '{words_of(120, 3)} '\n")
    t("long-with-tab-double", f"  text: \"{words_of(60, 4)}\\t{words_of(60, 5)}\"\n")
    t("long-colon-space", f"  text: '{words_of(50, 6)}: {words_of(60, 7)}'\n")
    t("long-number-like", "  text: '" + "1" * 100 + "'\n")
    t("long-deep-indent", "  a:\n    b:\n      c:\n        d:\n          e:\n            text: " + words_of(150, 8) + "\n")
    t("long-in-sequence", "  items:\n  - " + words_of(150, 9) + "\n  - - " + words_of(150, 10) + "\n")
    t("long-key", "  " + "k" * 130 + ": v\n  " + ("key " * 30).strip() + ": w\n")
    t("long-url", "  url: https://example.com/" + "/".join(["segment"] * 20) + "?q=1&r=2\n")
    t("long-folded-input", "  text: >\n    " + words_of(60, 11) + "\n    " + words_of(60, 12) + "\n")
    t("long-multiline-literal", "  text: |\n    " + words_of(150, 13) + "\n    short\n")
    t("long-special-word-start", "  text: yes " + words_of(100, 14) + "\n")
    t("long-hash-inside", "  text: '" + words_of(60, 15) + " #" + words_of(40, 16) + "'\n")
    simple("long-annotation", cm("c", "  a: b\n", f"  annotations:\n    description: {words_of(200, 17)}\n"))
    simple("long-commonannotation", cm("c", "  a: b\n"),
           kust=KUST + f"commonAnnotations:\n  description: {words_of(200, 18)}\n")


# ---------------------------------------------------------------------------
# 7. Multi-line strings
# ---------------------------------------------------------------------------
def gen_multiline():
    t = lambda name, body: simple(name, obj("Thing", "ml", "spec:\n" + body, api="example.com/v1"))
    t("block-literal-clip", "  a: |\n    line1\n    line2\n")
    t("block-literal-strip", "  a: |-\n    line1\n    line2\n")
    t("block-literal-keep", "  a: |+\n    line1\n    line2\n\n\n  b: x\n")
    t("block-literal-keep-at-end", "  a: |+\n    line1\n\n")
    t("block-folded-clip", "  a: >\n    folded\n    text\n\n    para\n")
    t("block-folded-strip", "  a: >-\n    folded\n    text\n")
    t("block-folded-keep", "  a: >+\n    folded\n    text\n\n  b: x\n")
    t("block-folded-more-indented", "  a: >\n    normal\n      indented\n    normal\n")
    t("block-indent-indicator", "  a: |2\n      two extra\n    base\n")
    t("block-indent-indicator-strip", "  a: |4-\n        four\n      two\n")
    t("block-leading-blank-lines", "  a: |\n\n\n    after blanks\n")
    t("block-leading-space-first-line", "  a: |2\n     leading space\n    next\n")
    t("block-trailing-spaces", "  a: |\n    trailing   \n    next\n")
    t("block-space-before-newline-double", "  a: \"line1 \\nline2\\n\"\n")
    t("block-only-newline", "  a: \"\\n\"\n  b: \"\\n\\n\"\n  c: |+\n\n")
    t("block-empty-literal", "  a: |\n  b: |-\n  c: x\n")
    t("block-tab-inside", "  a: |\n    a\tb\n    c\n")
    t("block-in-sequence", "  s:\n  - |\n    one\n    two\n  - >-\n    three\n    four\n")
    t("block-comment-after-indicator", "  a: | # comment\n    text\n")
    t("block-with-hash-lines", "  a: |\n    # not a comment\n    key: value\n    - item\n")
    t("block-script", "  script: |\n    #!/bin/sh\n    set -eu\n    if [ \"$X\" = 'y' ]; then\n      echo \"yes: $X\"\n    fi\n")
    t("block-json-inside", "  cfg: |\n    {\n      \"a\": [1, 2],\n      \"b\": {\"c\": null}\n    }\n")
    t("block-crlf-escape-double", "  a: \"a\\r\\nb\\r\\n\"\n")
    t("block-trailing-blank-lines-keep", "  a: |+\n    x\n\n\n\n  b: y\n")
    t("block-unicode", "  a: |\n    日本\n    🚀\n")
    t("block-long-lines", "  a: |\n    " + words_of(200, 20) + "\n    " + "z" * 150 + "\n")
    t("block-leading-blank-then-indented", "  a: |\n\n      indented after blank\n    base\n")
    t("block-folded-trailing-space", "  a: >\n    one \n    two\n")
    t("multiline-plain", "  a: first\n    second\n    third\n")
    t("multiline-single-quoted", "  a: 'first\n    second\n\n    third'\n")
    t("multiline-double-quoted", "  a: \"first\n    second\n\n    third\"\n")
    t("multiline-key-literal-in-map", "  m:\n    k1: |\n      v1\n    k2: |-\n      v2\n")
    simple("block-configmap-file-content", cm("files", "  app.properties: |\n    a=1\n    b = two\n    # comment\n  empty.txt: \"\"\n  nl.txt: |+\n\n"))


# ---------------------------------------------------------------------------
# 8. Indicator characters at the start and inside
# ---------------------------------------------------------------------------
def gen_indicators():
    t = lambda name, body: simple(name, obj("Thing", "ind", "spec:\n" + body, api="example.com/v1"))
    for ch, nm in [("-", "dash"), ("?", "question"), (":", "colon"), (",", "comma"),
                   ("[", "lbracket"), ("]", "rbracket"), ("{", "lbrace"), ("}", "rbrace"),
                   ("#", "hash"), ("&", "amp"), ("*", "star"), ("!", "bang"), ("|", "pipe"),
                   (">", "gt"), ("'", "squote"), ('"', "dquote"), ("%", "percent"),
                   ("@", "at"), ("`", "backtick"), ("=", "equals"), ("<", "lt")]:
        sq = ch.replace("'", "''")
        t(f"indicator-start-{nm}", f"  a: '{sq}x'\n  b: '{sq}'\n  c: 'x{sq}'\n  d: '{sq} x'\n")
    t("indicator-colon-space-inside", "  a: 'a: b'\n  b: 'a:b'\n  c: 'a :b'\n  d: 'a:'\n")
    t("indicator-space-hash-inside", "  a: 'a #b'\n  b: a#b\n  c: 'a# b'\n")
    t("indicator-dash-forms", "  a: '-'\n  b: '--'\n  c: '---'\n  d: '-1x'\n  e: '- x'\n  f: -x\n")
    t("indicator-question-forms", "  a: '?'\n  b: '?x'\n  c: '? x'\n")
    t("indicator-document-markers-as-values", "  a: '---'\n  b: '...'\n  c: '--- x'\n  d: '... x'\n")
    t("indicator-in-keys", "  '-k': a\n  ':k': b\n  '#k': c\n  'k: v': d\n  '[k]': e\n  '*k': f\n")
    t("indicator-plain-special-chars", "  a: a,b\n  b: a[b]\n  c: a{b}\n  d: http://x.y/z?a=b&c=d\n  e: x!y\n  f: 50%\n")
    t("indicator-quotes-inside", "  a: it's\n  b: say \"hi\"\n  c: '''quoted'''\n  d: \"\\\"dq\\\"\"\n")
    t("indicator-backslash", "  a: C:\\path\\to\n  b: 'a\\b'\n  c: \"a\\\\b\"\n")
    t("indicator-regex", "  a: ^[a-z]+(-[a-z0-9]+)*$\n  b: '.*'\n  c: '\\d{3}'\n")


# ---------------------------------------------------------------------------
# 9. Anchors, aliases, merge keys, tags
# ---------------------------------------------------------------------------
def gen_anchors():
    t = lambda name, body: simple(name, obj("Thing", "anc", "spec:\n" + body, api="example.com/v1"))
    t("anchor-scalar-alias", "  a: &x hello\n  b: *x\n")
    t("anchor-map-alias", "  a: &m\n    k: v\n    n: 1\n  b: *m\n")
    t("anchor-seq-alias", "  a: &s\n  - 1\n  - two\n  b: *s\n")
    t("anchor-merge-single", "  base: &b\n    x: 1\n    y: 2\n  derived:\n    <<: *b\n    z: 3\n")
    t("anchor-merge-override", "  base: &b\n    x: 1\n    y: 2\n  derived:\n    <<: *b\n    y: 20\n")
    t("anchor-merge-list", "  a: &a\n    x: 1\n  b: &b\n    x: 2\n    y: 2\n  c:\n    <<: [*a, *b]\n    z: 3\n")
    t("anchor-merge-nested", "  a: &a\n    inner: &i\n      p: q\n  b:\n    <<: *a\n    more:\n      <<: *i\n      r: s\n")
    t("anchor-across-sequence-items", "  items:\n  - &first\n    name: one\n    v: 1\n  - <<: *first\n    name: two\n")
    t("anchor-key-alias", "  &k key: value\n  other: *k\n")
    t("anchor-redefined", "  a: &x one\n  b: *x\n  c: &x two\n  d: *x\n")
    t("anchor-unused", "  a: &unused value\n  b: plain\n")
    t("anchor-flow", "  a: &f {x: 1, y: [1, 2]}\n  b: *f\n")
    t("anchor-on-block-scalar", "  a: &lit |\n    text\n    more\n  b: *lit\n")
    t("merge-key-quoted-not-merge", "  a: &a\n    x: 1\n  b:\n    '<<': *a\n")
    simple("anchor-in-containers", deployment("d").replace("      - name: main\n        image: nginx:1.25\n",
           "      - name: main\n        image: nginx:1.25\n        env: &env\n        - name: A\n          value: a\n      - name: side\n        image: busybox\n        env: *env\n"))
    simple("anchor-undefined-alias", obj("Thing", "anc", "spec:\n  a: *nope\n", api="example.com/v1"), fault="r.yaml")
    t("tag-str-on-number", "  a: !!str 123\n  b: !!str true\n  c: !!str null\n")
    t("tag-int-float", "  a: !!int \"42\"\n  b: !!float 1\n  c: !!float \"2.5\"\n")
    t("tag-bool", "  a: !!bool true\n  b: !!bool \"false\"\n")
    t("tag-custom-local", "  a: !foo bar\n  b: !mytag\n    k: v\n")
    t("tag-verbatim", "  a: !<tag:yaml.org,2002:str> 42\n")
    t("tag-binary", "  a: !!binary aGVsbG8=\n")
    t("tag-set-omap-like", "  a: !!map\n    k: v\n  b: !!seq\n  - x\n")


# ---------------------------------------------------------------------------
# 10. Comments, flow style, document markers, CRLF, BOM
# ---------------------------------------------------------------------------
def gen_syntax():
    res = obj("Thing", "c", "spec:\n  a: 1\n", api="example.com/v1")
    simple("comment-everywhere",
           "# head comment\napiVersion: example.com/v1 # trailing\n# between\nkind: Thing\nmetadata:\n  # inside\n  name: c # name\n"
           "spec:\n  a: 1   # after value\n  s:\n  # before item\n  - x # item\n  - y\n  # dangling\n  b: 'q # not comment'\n  c: \"d # not\"\n# foot comment\n")
    simple("comment-only-file-plus-doc", "# only comments\n# here\n---\n" + res)
    simple("comment-in-kustomization", res, kust="# kustomization comment\nresources: # list\n- r.yaml # the file\n# end\n")
    simple("comment-hash-without-space", obj("Thing", "c", "spec:\n  a: x#y\n  b: x #y\n", api="example.com/v1"))
    simple("comment-after-block-scalar", obj("Thing", "c", "spec:\n  a: |\n    text\n  # comment after\n  b: 1\n", api="example.com/v1"))
    simple("comment-in-flow", obj("Thing", "c", "spec:\n  a: [1, # one\n    2]\n  b: {k: v, # c\n    l: w}\n", api="example.com/v1"))
    t = lambda name, body: simple(name, obj("Thing", "f", "spec:\n" + body, api="example.com/v1"))
    t("flow-map", "  m: {a: 1, b: two, c: 'three', d: \"four\"}\n")
    t("flow-seq", "  s: [1, two, 'three', \"four\", yes, ~]\n")
    t("flow-nested", "  n: {a: [1, {b: [2, 3]}], c: {d: {}}, e: []}\n")
    t("flow-multiline", "  m: {\n    a: 1,\n    b: 2,\n  }\n  s: [\n    x,\n    y,\n  ]\n")
    t("flow-trailing-comma", "  s: [a, b, ]\n  m: {a: 1, }\n")
    t("flow-implicit-keys", "  s: [a: 1, b: 2]\n")
    t("flow-empty-values", "  m: {a: , b: ~}\n  n: {a}\n")
    t("flow-quoted-keys", "  m: {'on': 'off', \"1\": one, 'a b': c}\n")
    simple("flow-whole-document", "{apiVersion: v1, kind: ConfigMap, metadata: {name: flowdoc}, data: {a: b, c: 'yes'}}\n")
    simple("flow-whole-document-json", '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "jsondoc"}, "data": {"a": "b", "n": "1"}}\n')
    simple("json-multiline-document", '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "j"},\n  "data": {"x": "y"}\n}\n')
    simple("json-file-extension", res, kust="resources:\n- r.json\n",
           extra={"r.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "fromjson"}, "data": {"k": "v"}}\n'})
    a = obj("Thing", "a", "spec:\n  v: 1\n", api="example.com/v1")
    b = obj("Thing", "b", "spec:\n  v: 2\n", api="example.com/v1")
    simple("doc-leading-separator", "---\n" + a + "---\n" + b)
    simple("doc-end-markers", a + "...\n---\n" + b + "...\n")
    simple("doc-empty-documents", "---\n---\n" + a + "---\n---\n" + b + "---\n")
    simple("doc-separator-with-comment", a + "--- # comment\n" + b)
    simple("doc-separator-only-comments-between", a + "---\n# just a comment\n---\n" + b)
    simple("doc-no-trailing-newline", (a + "---\n" + b).rstrip("\n"))
    simple("doc-yaml-directive", "%YAML 1.2\n---\n" + a)
    simple("doc-yaml-11-directive", "%YAML 1.1\n---\n" + obj("Thing", "a", "spec:\n  v: yes\n", api="example.com/v1"))
    simple("doc-separator-inline-content", "--- " + a.replace("\n", "\n", 1))
    simple("doc-many-in-one-file", "---\n".join(obj("Thing", f"t{i}", f"spec:\n  i: {i}\n", api="example.com/v1") for i in range(30)))
    simple("doc-trailing-whitespace-lines", a + "   \n\n\t\n")
    simple("doc-separator-in-block-scalar", obj("Thing", "a", "spec:\n  s: |\n    ---\n    not a doc\n", api="example.com/v1"))
    crlf = (a + "---\n" + b).replace("\n", "\r\n")
    simple("crlf-file", crlf.encode())
    simple("crlf-kustomization", res, kust=KUST.replace("\n", "\r\n"))
    simple("crlf-block-scalar", obj("Thing", "a", "spec:\n  s: |\n    one\n    two\n  q: \"x\n    y\"\n", api="example.com/v1").replace("\n", "\r\n").encode())
    simple("mixed-line-endings", (a.replace("\n", "\r\n") + "---\n" + b).encode())
    simple("bom-resource", b"\xef\xbb\xbf" + a.encode())
    simple("bom-kustomization", res, kust=b"\xef\xbb\xbf" + KUST.encode())
    simple("bom-second-document", (a + "---\n").encode() + b"\xef\xbb\xbf" + b.encode())
    simple("bom-crlf", b"\xef\xbb\xbf" + a.replace("\n", "\r\n").encode())
    simple("indent-four-spaces", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: four\ndata:\n    a: b\n    c: |\n        text\n")
    simple("indent-sequences-indented", obj("Thing", "i", "spec:\n  items:\n    - a\n    - b:\n        c: d\n    - - nested\n      - seq\n", api="example.com/v1"))
    simple("indent-compact-nested-seq", obj("Thing", "i", "spec:\n  m:\n  - - 1\n    - 2\n  - - 3\n", api="example.com/v1"))
    simple("explicit-keys", obj("Thing", "e", "spec:\n  ? complex\n  : value\n  ? |\n    block key\n  : v2\n", api="example.com/v1"))
    simple("duplicate-keys-in-resource", obj("Thing", "dup", "spec:\n  a: 1\n  a: 2\n", api="example.com/v1"), fault="r.yaml")
    simple("duplicate-keys-in-kustomization", res, kust="resources:\n- r.yaml\nnamespace: a\nnamespace: b\n")


# ---------------------------------------------------------------------------
# 11. Key ordering, nesting
# ---------------------------------------------------------------------------
def v2_key_less(a, b):
    """go-yaml v2's keyList.Less for two string keys (sorter.go), for checking."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        al, bl = a[i].isalpha(), b[i].isalpha()
        if al and bl:
            return a[i] < b[i]
        if al or bl:
            return bl
        an = bn = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an = an * 10 + int(a[ai])
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn = bn * 10 + int(b[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return a[i] < b[i]
    return len(a) < len(b)


def assert_total_order(keys):
    """Refuse key sets that go-yaml v2 cannot order consistently: with them
    kustomize's output order depends on Go's random map order."""
    for x in keys:
        for y in keys:
            for z in keys:
                if v2_key_less(x, y) and v2_key_less(y, z) and not v2_key_less(x, z):
                    raise SystemExit(f"key set not totally ordered by go-yaml v2: {x!r} < {y!r} < {z!r}")


def gen_keys():
    # The comparison really is intransitive for some sets (kustomize then prints varying orders).
    try:
        assert_total_order(["01", "10", "1a"])
        raise SystemExit("v2_key_less should find the 01/10/1a cycle")
    except SystemExit as e:
        if "should" in str(e):
            raise
    t = lambda name, body: simple(name, obj("Thing", "k", "spec:\n" + body, api="example.com/v1"))
    keys = ["a2", "a10", "A", "_x", "1", "9", "10", "B", "a-b", "a.b", "a2b", "a02b", "a9", "ab", "Z", "z", "-x", ".x", "~x", "a", "aa", "a1", "a01", "a001"]
    assert_total_order(keys)
    assert_total_order(["x1y2", "x1y10", "x10y1", "x", "x1"])
    assert_total_order(["10", "9", "1", "a1", "_1", "01x"])
    t("keys-natural-order", "".join(f"  '{k}': v\n" for k in keys))
    t("keys-natural-order-reversed", "".join(f"  '{k}': v\n" for k in reversed(keys)))
    t("keys-digit-runs", "".join(f"  k{n}: v\n" for n in [100, 20, 3, "003", "03", 1, 0, "00"]))
    t("keys-case", "  b: 1\n  B: 2\n  a: 3\n  A: 4\n  _: 5\n  '0': 6\n")
    t("keys-unicode-order", "  é: 1\n  e: 2\n  z: 3\n  Ω: 4\n  日: 5\n  '1日': 6\n")
    t("keys-symbols", "  '@a': 1\n  '$b': 2\n  '/c': 3\n  'c/d': 4\n  'c.d': 5\n  'c-d': 6\n  c_d: 7\n")
    # Not x2y1 as well: x10y1 < x1y2 < x2y1 < x10y1 is a cycle (see num-keys-quoted-mixed).
    t("keys-mixed-letters-digits", "  x1y2: 1\n  x1y10: 2\n  x10y1: 3\n  x: 5\n  x1: 6\n")
    simple("keys-toplevel-order", "metadata:\n  name: top\nkind: ConfigMap\ndata:\n  z: 1\n  a: 2\napiVersion: v1\n")
    simple("keys-labels-order", cm("c", "  a: b\n", "  labels:\n    z: 1\n    app.kubernetes.io/name: x\n    app: y\n    A: z\n"))
    for depth in [10, 40, 100]:
        body = ""
        for i in range(depth):
            body += "  " * (i + 1) + f"l{i}:\n"
        body += "  " * (depth + 1) + "leaf: value\n"
        t(f"nesting-maps-{depth}", body)
    body = ""
    for i in range(30):
        body += "  " + "  " * i + "- \n" if False else ""
    t("nesting-seqs-30", "  s: " + "[" * 30 + "x" + "]" * 30 + "\n")
    t("nesting-mixed", "  a:\n  - b:\n    - c:\n        d:\n        - - e: [f, {g: h}]\n")
    t("nesting-seq-of-maps", "  s:\n  - a: 1\n    b: 2\n  - c: 3\n  - {d: 4}\n  - []\n  - {}\n")


# ---------------------------------------------------------------------------
# 12. Big CRDs
# ---------------------------------------------------------------------------
def big_crd(group, kind, target_bytes, seed, style):
    r = random.Random(seed)
    vocab = ("the a field value of for which is used to set when an object resource "
             "controller specifies must be empty optional default kubernetes cluster "
             "selector label name namespace port protocol container image policy").split()

    def desc(n):
        return " ".join(r.choice(vocab) for _ in range(n)).capitalize() + "."

    lines = []
    counter = [0]
    budget = [0]  # bytes still to write in the current version's schema

    def add(line):
        lines.append(line)
        budget[0] -= len(line) + 1

    def emit_props(indent, depth):
        pad = " " * indent
        nprops = r.randint(3, 7)
        for k in range(nprops):
            if k > 0 and budget[0] <= 0:
                break
            counter[0] += 1
            name = r.choice(vocab) + r.choice(["", "Name", "Spec", "Ref", "Config", "s"]) + str(counter[0])
            add(f"{pad}{name}:")
            d = desc(r.randint(5, 40))
            if style == "literal" and r.random() < 0.5:
                add(f"{pad}  description: |-")
                for chunk in [d[i:i + 70] for i in range(0, len(d), 70)]:
                    add(f"{pad}    {chunk}")
            elif style == "folded" and r.random() < 0.5:
                add(f"{pad}  description: >-")
                for chunk in [d[i:i + 60] for i in range(0, len(d), 60)]:
                    add(f"{pad}    {chunk}")
            else:
                add(f"{pad}  description: {d}")
            choice = r.random() if budget[0] > 0 else 0.9
            if depth < 10 and choice < 0.35:
                add(f"{pad}  type: object")
                add(f"{pad}  properties:")
                emit_props(indent + 4, depth + 1)
                if r.random() < 0.3:
                    add(f"{pad}  required:")
                    add(f"{pad}  - {name}")
            elif depth < 10 and choice < 0.5:
                add(f"{pad}  type: array")
                add(f"{pad}  items:")
                add(f"{pad}    type: object")
                add(f"{pad}    properties:")
                emit_props(indent + 6, depth + 1)
                add(f"{pad}  x-kubernetes-list-type: atomic")
            elif choice < 0.65:
                add(f"{pad}  type: string")
                if style == "flow":
                    add(f"{pad}  enum: [{', '.join(r.sample(['Always', 'Never', 'IfNotPresent', 'true', 'false', 'yes', 'no', 'on', 'off', 'TCP', 'UDP'], 4))}]")
                else:
                    add(f"{pad}  enum:")
                    for e in r.sample(["Always", "Never", "IfNotPresent", "'true'", "'false'", "TCP", "UDP", "\"yes\""], 3):
                        add(f"{pad}  - {e}")
            elif choice < 0.75:
                add(f"{pad}  type: integer")
                add(f"{pad}  format: int{r.choice([32, 64])}")
                add(f"{pad}  minimum: {r.randint(0, 10)}")
                add(f"{pad}  maximum: {r.choice(['65535', '2147483647', '1e3', '0x7fff'])}")
            elif choice < 0.85:
                add(f"{pad}  anyOf:")
                add(f"{pad}  - type: integer")
                add(f"{pad}  - type: string")
                add(f"{pad}  x-kubernetes-int-or-string: true")
                add(f"{pad}  pattern: ^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$")
            else:
                add(f"{pad}  type: boolean")
                add(f"{pad}  default: {r.choice(['true', 'false', 'yes', 'off'])}")

    plural = kind.lower() + "s"
    head = f"""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
    controller-gen.kubebuilder.io/version: v0.14.0
  name: {plural}.{group}
spec:
  group: {group}
  names:
    kind: {kind}
    listKind: {kind}List
    plural: {plural}
    singular: {kind.lower()}
  scope: Namespaced
  versions:
"""
    versions = []
    for vi in range(2):
        lines.clear()
        budget[0] = target_bytes // 2
        while budget[0] > 0:
            emit_props(12, 0)
        text = "\n".join(lines) + "\n"
        v = ["v1", "v1beta1"][vi]
        versions.append(f"""  - name: {v}
    served: true
    storage: {'true' if vi == 0 else 'false'}
    additionalPrinterColumns:
    - jsonPath: .status.conditions[?(@.type=="Ready")].status
      name: Ready
      type: string
    schema:
      openAPIV3Schema:
        description: {desc(20)}
        type: object
        properties:
          spec:
            type: object
            properties:
{text}          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
    subresources:
      status: {{}}
""")
    return head + "".join(versions)


def gen_crds():
    for i, (size, style) in enumerate([(200_000, "plain"), (350_000, "literal"), (500_000, "folded"), (250_000, "flow")]):
        crd = big_crd(f"big{i}.example.com", f"Widget{i}", size, 1000 + i, style)
        cr = f"apiVersion: big{i}.example.com/v1\nkind: Widget{i}\nmetadata:\n  name: w\nspec:\n  x: 1\n"
        simple(f"crd-big-{size // 1000}k-{style}", crd + "---\n" + cr,
               kust=KUST + ("namespace: crds\ncommonLabels:\n  team: platform\n" if i % 2 else ""))


# ---------------------------------------------------------------------------
# 13. Lists, duplicates, ordering
# ---------------------------------------------------------------------------
SORT_KINDS = [
    ("v1", "Namespace", False), ("v1", "ResourceQuota", True), ("storage.k8s.io/v1", "StorageClass", False),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition", False), ("v1", "ServiceAccount", True),
    ("policy/v1beta1", "PodSecurityPolicy", False), ("rbac.authorization.k8s.io/v1", "Role", True),
    ("rbac.authorization.k8s.io/v1", "ClusterRole", False), ("rbac.authorization.k8s.io/v1", "RoleBinding", True),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", False), ("v1", "ConfigMap", True),
    ("v1", "Secret", True), ("v1", "Endpoints", True), ("v1", "Service", True), ("v1", "LimitRange", True),
    ("scheduling.k8s.io/v1", "PriorityClass", False), ("v1", "PersistentVolume", False),
    ("v1", "PersistentVolumeClaim", True), ("apps/v1", "Deployment", True), ("apps/v1", "StatefulSet", True),
    ("batch/v1", "CronJob", True), ("policy/v1", "PodDisruptionBudget", True),
    ("networking.k8s.io/v1", "Ingress", True), ("batch/v1", "Job", True), ("apps/v1", "DaemonSet", True),
    ("autoscaling/v2", "HorizontalPodAutoscaler", True), ("example.com/v1", "Widget", True),
    ("admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", False),
    ("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", False)]


def gen_lists_sort():
    docs = [f"apiVersion: {api}\nkind: {k}\nmetadata:\n  name: {'crds.example.com' if k == 'CustomResourceDefinition' else 'x'}\n"
            for api, k, _ in reversed(SORT_KINDS)]
    allkinds = "---\n".join(docs)
    simple("sort-legacy-all-kinds", allkinds)
    simple("sort-none-all-kinds", allkinds, args="--reorder none")
    simple("sort-legacy-explicit-flag", allkinds, args="--reorder legacy")
    simple("sort-legacy-all-kinds-namespaced", allkinds, kust=KUST + "namespace: team-a\n")
    simple("sortoptions-fifo", allkinds, kust=KUST + "sortOptions:\n  order: fifo\n")
    simple("sortoptions-legacy", allkinds, kust=KUST + "sortOptions:\n  order: legacy\n", args="--reorder none")
    simple("sortoptions-legacy-custom-order", allkinds,
           kust=KUST + "sortOptions:\n  order: legacy\n  legacySortOptions:\n    orderFirst:\n    - Service\n    - Deployment\n    orderLast:\n    - Namespace\n")
    simple("sortoptions-fifo-with-flag-legacy", allkinds, kust=KUST + "sortOptions:\n  order: fifo\n", args="--reorder legacy")
    simple("sortoptions-invalid-order", allkinds, kust=KUST + "sortOptions:\n  order: random\n", fault="order")
    names = "---\n".join(obj("ConfigMap", n, "data:\n  a: b\n", ns=ns) for n, ns in
                         [("b", "z"), ("a", "z"), ("c", None), ("a", "a"), ("B", "a"), ("a", None), ("10", "a"), ("9", "a")])
    simple("sort-legacy-same-kind-by-ns-and-name", names)
    simple("sort-none-same-kind-by-ns-and-name", names, args="--reorder none")
    groups = "---\n".join([obj("Widget", "w", api="b.example.com/v1"), obj("Widget", "w", api="a.example.com/v1"),
                           obj("Widget", "w", api="a.example.com/v2"), obj("Gadget", "w", api="a.example.com/v1"),
                           obj("Widget", "w", api="v1"), obj("Namespace", "n2", api="example.com/v1"),
                           obj("Namespace", "n1"), obj("Namespace", "n3")])
    simple("sort-legacy-group-version-kind", groups)
    simple("sort-reorder-invalid-flag", allkinds, args="--reorder sideways", fault="reorder")
    lst = """apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: from-list-1
  data:
    a: b
- apiVersion: v1
  kind: Service
  metadata:
    name: from-list-2
  spec:
    ports:
    - port: 80
"""
    after = obj("ConfigMap", "after-list", "data:\n  x: y\n")
    simple("list-kind-inlined", lst + "---\n" + after, args="--reorder none")
    simple("list-kind-legacy-sort", lst + "---\n" + after)
    simple("list-configmaplist", "apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c1\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c2\n", args="--reorder none")
    simple("list-empty-items", "apiVersion: v1\nkind: List\nitems: []\n---\n" + after)
    simple("list-with-metadata", "apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: lm\n", args="--reorder none")
    simple("list-nested-with-namespace", lst, kust=KUST + "namespace: listed\nnamePrefix: p-\n", args="--reorder none")
    simple("list-custom-kind-list", "apiVersion: example.com/v1\nkind: WidgetList\nitems:\n- apiVersion: example.com/v1\n  kind: Widget\n  metadata:\n    name: w1\n", args="--reorder none")
    same = "---\n".join([obj("ConfigMap", "same", "data:\n  a: '1'\n", ns="ns1"), obj("ConfigMap", "same", "data:\n  a: '2'\n", ns="ns2"),
                         obj("Secret", "same", "stringData:\n  a: '3'\n", ns="ns1"), obj("Service", "same", "spec:\n  ports:\n  - port: 1\n", ns="ns1"),
                         obj("ConfigMap", "same", "data:\n  a: '4'\n")])
    simple("same-name-different-ns-and-kinds", same)
    simple("same-name-different-ns-and-kinds-none", same, args="--reorder none")
    simple("same-name-different-groups", obj("Widget", "same", api="a.example.com/v1") + "---\n" + obj("Widget", "same", api="b.example.com/v1"))
    simple("duplicate-id-same-file", obj("ConfigMap", "dup", "data:\n  a: '1'\n") + "---\n" + obj("ConfigMap", "dup", "data:\n  a: '2'\n"), fault="dup")
    simple("duplicate-id-after-namespace", obj("ConfigMap", "dup", "data:\n  a: '1'\n", ns="x") + "---\n" + obj("ConfigMap", "dup", "data:\n  a: '2'\n", ns="y"),
           kust=KUST + "namespace: z\n", fault="dup")
    case("duplicate-id-two-files", {"kustomization.yaml": "resources:\n- a.yaml\n- b.yaml\n",
                                    "a.yaml": obj("ConfigMap", "dup", "data:\n  a: '1'\n"),
                                    "b.yaml": obj("ConfigMap", "dup", "data:\n  a: '2'\n")}, fault="dup")
    case("duplicate-resource-entry", {"kustomization.yaml": "resources:\n- a.yaml\n- a.yaml\n",
                                      "a.yaml": obj("ConfigMap", "dup", "data:\n  a: '1'\n")}, fault="a.yaml")


# ---------------------------------------------------------------------------
# 14. Transformer fields
# ---------------------------------------------------------------------------
def gen_transformers():
    dep = deployment("web", image="nginx:1.25", replicas=2)
    svc = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n"
    ns = obj("Namespace", "old-ns")
    crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\nspec:\n  group: example.com\n  names:\n    kind: Thing\n    plural: things\n  scope: Namespaced\n  versions: []\n"
    rb = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
- kind: ServiceAccount
  name: default
- kind: ServiceAccount
  name: other
  namespace: elsewhere
"""
    cr = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cluster-reader\nrules: []\n"
    role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\nrules:\n- apiGroups: ['']\n  resources: [pods]\n  verbs: [get, list]\n"
    sa = obj("ServiceAccount", "default")
    mix = "---\n".join([dep, svc, ns, crd, rb, cr, role, sa])
    simple("xf-namespace", mix, kust=KUST + "namespace: prod\n")
    simple("xf-namespace-overrides-existing", obj("ConfigMap", "c", "data:\n  a: b\n", ns="old"), kust=KUST + "namespace: new\n")
    simple("xf-nameprefix", mix, kust=KUST + "namePrefix: pre-\n")
    simple("xf-namesuffix", mix, kust=KUST + "nameSuffix: -suf\n")
    simple("xf-prefix-suffix-namespace", mix, kust=KUST + "namePrefix: a-\nnameSuffix: -z\nnamespace: team\n")
    simple("xf-prefix-rolebinding-refs", "---\n".join([rb, role, sa]), kust=KUST + "namePrefix: p-\nnamespace: ns\n")
    simple("xf-commonlabels", "---\n".join([dep, svc]), kust=KUST + "commonLabels:\n  env: prod\n  team: core\n")
    simple("xf-commonlabels-statefulset-cronjob", """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres:16
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: job
spec:
  schedule: '*/5 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: j
            image: busybox
          restartPolicy: OnFailure
""", kust=KUST + "commonLabels:\n  env: prod\n")
    simple("xf-labels-default", "---\n".join([dep, svc]), kust=KUST + "labels:\n- pairs:\n    env: prod\n")
    simple("xf-labels-include-selectors", "---\n".join([dep, svc]), kust=KUST + "labels:\n- pairs:\n    env: prod\n  includeSelectors: true\n")
    simple("xf-labels-include-templates", "---\n".join([dep, svc]), kust=KUST + "labels:\n- pairs:\n    env: prod\n  includeTemplates: true\n")
    simple("xf-labels-selectors-false-templates-true", "---\n".join([dep, svc]),
           kust=KUST + "labels:\n- pairs:\n    a: b\n  includeSelectors: false\n  includeTemplates: true\n- pairs:\n    c: d\n  includeSelectors: true\n")
    simple("xf-labels-and-commonlabels", "---\n".join([dep, svc]), kust=KUST + "commonLabels:\n  a: '1'\nlabels:\n- pairs:\n    b: '2'\n")
    simple("xf-labels-same-key-as-commonlabels", "---\n".join([dep, svc]), kust=KUST + "commonLabels:\n  a: '1'\nlabels:\n- pairs:\n    a: '2'\n")
    simple("xf-labels-empty-value", dep, kust=KUST + "commonLabels:\n  empty: ''\n")
    simple("xf-labels-special-chars", dep, kust=KUST + "commonLabels:\n  app.kubernetes.io/part-of: shop\n  example.com/tier: 'backend'\n")
    simple("xf-labels-on-custom-kind", obj("Widget", "w", "spec:\n  selector:\n    matchLabels:\n      a: b\n", api="example.com/v1"),
           kust=KUST + "commonLabels:\n  env: prod\n")
    simple("xf-commonannotations", "---\n".join([dep, svc]), kust=KUST + "commonAnnotations:\n  owner: team@example.com\n  note: 'has: colon'\n  multi: \"a\\nb\"\n")
    simple("xf-commonannotations-special-values", dep,
           kust=KUST + "commonAnnotations:\n  empty: ''\n  spaced: ' x '\n  long: " + words_of(120, 30) + "\n  json: '{\"a\": 1}'\n  num: '0755'\n")
    simple("xf-commonannotations-merges-existing", cm("c", "  a: b\n", "  annotations:\n    keep: me\n    override: old\n"),
           kust=KUST + "commonAnnotations:\n  override: new\n")
    imgdep = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      initContainers:
      - name: init
        image: busybox
      containers:
      - name: a
        image: nginx
      - name: b
        image: nginx:1.19
      - name: c
        image: registry.example.com:5000/team/app:v1
      - name: d
        image: ghcr.io/org/tool@sha256:0000000000000000000000000000000000000000000000000000000000000000
      - name: e
        image: docker.io/library/redis:7
"""
    simple("xf-images-newtag", imgdep, kust=KUST + "images:\n- name: nginx\n  newTag: 1.25.3\n")
    simple("xf-images-newname", imgdep, kust=KUST + "images:\n- name: nginx\n  newName: mirror.example.com/nginx\n")
    simple("xf-images-digest", imgdep, kust=KUST + "images:\n- name: busybox\n  digest: sha256:1111111111111111111111111111111111111111111111111111111111111111\n")
    simple("xf-images-registry-port", imgdep, kust=KUST + "images:\n- name: registry.example.com:5000/team/app\n  newTag: v2\n")
    simple("xf-images-replace-digest-with-tag", imgdep, kust=KUST + "images:\n- name: ghcr.io/org/tool\n  newTag: stable\n")
    simple("xf-images-numeric-tag-quoted", imgdep, kust=KUST + "images:\n- name: nginx\n  newTag: '1.20'\n")
    simple("xf-images-numeric-tag-plain", imgdep, kust=KUST + "images:\n- name: nginx\n  newTag: 1.20\n", fault="kustomization")
    simple("xf-images-many", imgdep, kust=KUST + "images:\n- name: nginx\n  newName: nginx-unprivileged\n  newTag: '1.27'\n- name: busybox\n  newTag: '1.36'\n- name: docker.io/library/redis\n  newName: valkey/valkey\n")
    simple("xf-images-cronjob-and-pod", """apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
spec:
  schedule: '0 * * * *'
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: c
            image: alpine:3
          restartPolicy: Never
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: c
    image: alpine
""", kust=KUST + "images:\n- name: alpine\n  newTag: '3.20'\n")
    simple("xf-images-custom-kind-containers", obj("Widget", "w", "spec:\n  deep:\n    containers:\n    - name: x\n      image: nginx:old\n", api="example.com/v1"),
           kust=KUST + "images:\n- name: nginx\n  newTag: new\n")
    simple("xf-replicas", "---\n".join([dep, deployment("other", replicas=1)]), kust=KUST + "replicas:\n- name: web\n  count: 5\n")
    simple("xf-replicas-zero", dep, kust=KUST + "replicas:\n- name: web\n  count: 0\n")
    simple("xf-replicas-statefulset", """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  replicas: 1
  serviceName: db
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: postgres
""", kust=KUST + "replicas:\n- name: db\n  count: 3\n")
    simple("xf-replicas-missing-target", dep, kust=KUST + "replicas:\n- name: nothere\n  count: 3\n")
    simple("xf-replicas-no-replicas-field", dep.replace("  replicas: 2\n", ""), kust=KUST + "replicas:\n- name: web\n  count: 4\n")
    simple("xf-replicas-with-prefix", dep, kust=KUST + "namePrefix: p-\nreplicas:\n- name: web\n  count: 7\n")
    simple("xf-all-fields", mix, kust=KUST + "namespace: all\nnamePrefix: a-\nnameSuffix: -b\ncommonLabels:\n  c: d\nlabels:\n- pairs:\n    e: f\n  includeTemplates: true\n"
           "commonAnnotations:\n  g: h\nimages:\n- name: nginx\n  newTag: '2'\nreplicas:\n- name: web\n  count: 9\n")
    simple("xf-namespace-on-cluster-scoped", "---\n".join([ns, cr, crd, obj("PersistentVolume", "pv", "spec:\n  capacity:\n    storage: 1Gi\n"),
                                                          obj("StorageClass", "sc", "provisioner: x\n", api="storage.k8s.io/v1")]),
           kust=KUST + "namespace: scoped\n")
    simple("xf-namespace-unknown-kind", obj("Widget", "w", "spec: {}\n", api="example.com/v1"), kust=KUST + "namespace: custom\n")


# ---------------------------------------------------------------------------
# 15. Resources: directories, bases, load restrictor, errors
# ---------------------------------------------------------------------------
def gen_resources():
    c1 = obj("ConfigMap", "one", "data:\n  a: '1'\n")
    c2 = obj("ConfigMap", "two", "data:\n  b: '2'\n")
    case("res-multiple-files", {"kustomization.yaml": "resources:\n- b.yaml\n- a.yaml\n", "a.yaml": c1, "b.yaml": c2}, args="--reorder none")
    case("res-subdirectory-file", {"kustomization.yaml": "resources:\n- sub/dir/a.yaml\n", "sub/dir/a.yaml": c1})
    case("res-base-directory", {"kustomization.yaml": "resources:\n- base\nnamePrefix: o-\n",
                                "base/kustomization.yaml": "resources:\n- a.yaml\nnamespace: basens\n", "base/a.yaml": c1})
    case("res-base-trailing-slash", {"kustomization.yaml": "resources:\n- base/\n",
                                     "base/kustomization.yaml": "resources:\n- a.yaml\n", "base/a.yaml": c1})
    case("res-nested-bases", {"kustomization.yaml": "resources:\n- mid\ncommonLabels:\n  level: top\n",
                              "mid/kustomization.yaml": "resources:\n- ../base\n- m.yaml\nnamePrefix: mid-\n", "mid/m.yaml": c2,
                              "base/kustomization.yaml": "resources:\n- a.yaml\nnamePrefix: base-\ncommonLabels:\n  level: base\n", "base/a.yaml": c1})
    case("res-overlay-root", {"base/kustomization.yaml": "resources:\n- a.yaml\n", "base/a.yaml": c1,
                              "overlays/prod/kustomization.yaml": "resources:\n- ../../base\n- extra.yaml\nnamespace: prod\n",
                              "overlays/prod/extra.yaml": c2}, root="overlays/prod")
    case("res-two-bases-same-base", {"kustomization.yaml": "resources:\n- xx\n- yy\n",
                                     "xx/kustomization.yaml": "resources:\n- ../base\nnameSuffix: -x\n",
                                     "yy/kustomization.yaml": "resources:\n- ../base\nnameSuffix: -y\n",
                                     "base/kustomization.yaml": "resources:\n- a.yaml\n", "base/a.yaml": c1}, args="--reorder none")
    case("kust-resources-entry-y-is-bool", {"kustomization.yaml": "resources:\n- x\n- y\n",
                                            "x/kustomization.yaml": "resources:\n- a.yaml\n", "x/a.yaml": c1,
                                            "y/kustomization.yaml": "resources:\n- b.yaml\n", "y/b.yaml": c2},
         fault="kustomization|resources")
    case("kust-resources-entry-quoted-y", {"kustomization.yaml": "resources:\n- x\n- 'y'\n",
                                           "x/kustomization.yaml": "resources:\n- a.yaml\n", "x/a.yaml": c1,
                                           "y/kustomization.yaml": "resources:\n- b.yaml\n", "y/b.yaml": c2})
    case("res-kustomization-yml", {"kustomization.yml": "resources:\n- a.yaml\n", "a.yaml": c1})
    case("res-kustomization-capital", {"Kustomization": "resources:\n- a.yaml\n", "a.yaml": c1})
    case("res-kustomization-with-apiversion-kind", {"kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- a.yaml\n", "a.yaml": c1})
    case("res-kustomization-wrong-kind", {"kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Deployment\nresources:\n- a.yaml\n", "a.yaml": c1}, fault="kustomization")
    case("res-empty-kustomization", {"kustomization.yaml": "", "a.yaml": c1})
    case("res-empty-resources-list", {"kustomization.yaml": "resources: []\n"})
    case("res-empty-resource-file", {"kustomization.yaml": "resources:\n- a.yaml\n- empty.yaml\n", "a.yaml": c1, "empty.yaml": ""})
    case("res-comment-only-resource-file", {"kustomization.yaml": "resources:\n- a.yaml\n- c.yaml\n", "a.yaml": c1, "c.yaml": "# nothing\n"})
    case("res-bases-field-deprecated", {"kustomization.yaml": "bases:\n- base\n", "base/kustomization.yaml": "resources:\n- a.yaml\n", "base/a.yaml": c1})
    case("res-dot-slash-path", {"kustomization.yaml": "resources:\n- ./a.yaml\n- ./sub/../b.yaml\n", "a.yaml": c1, "b.yaml": c2}, args="--reorder none")
    case("res-file-with-spaces-in-name", {"kustomization.yaml": "resources:\n- 'my file.yaml'\n", "my file.yaml": c1})
    case("res-yml-extension", {"kustomization.yaml": "resources:\n- a.yml\n", "a.yml": c1})
    case("res-no-extension", {"kustomization.yaml": "resources:\n- manifest\n", "manifest": c1})
    # Load restrictor.
    outside = {"outside.yaml": c2, "app/kustomization.yaml": "resources:\n- a.yaml\n- ../outside.yaml\n", "app/a.yaml": c1}
    case("load-outside-root-rootonly", dict(outside), root="app", fault="outside.yaml")
    case("load-outside-root-none", dict(outside), root="app", args="--load-restrictor LoadRestrictionsNone")
    case("load-outside-root-explicit-rootonly", dict(outside), root="app", args="--load-restrictor LoadRestrictionsRootOnly", fault="outside.yaml")
    case("load-base-dir-outside-root-allowed", {"shared/kustomization.yaml": "resources:\n- s.yaml\n", "shared/s.yaml": c2,
                                                "app/kustomization.yaml": "resources:\n- ../shared\n- a.yaml\n", "app/a.yaml": c1}, root="app")
    case("load-invalid-restrictor-flag", {"kustomization.yaml": KUST, "r.yaml": c1}, args="--load-restrictor Sometimes", fault="load-restrictor")
    # Errors.
    case("err-missing-resource-file", {"kustomization.yaml": "resources:\n- a.yaml\n- missing.yaml\n", "a.yaml": c1}, fault="missing.yaml")
    case("err-missing-base-dir", {"kustomization.yaml": "resources:\n- nothere/\n"}, fault="nothere")
    case("err-dir-without-kustomization", {"kustomization.yaml": "resources:\n- sub\n", "sub/a.yaml": c1}, fault="sub")
    case("err-two-kustomization-files", {"kustomization.yaml": KUST, "kustomization.yml": KUST, "r.yaml": c1}, fault="kustomization")
    case("err-no-kustomization-at-root", {"a.yaml": c1}, fault="kustomization")
    case("err-unknown-kustomization-field", {"kustomization.yaml": KUST + "notAField: 1\n", "r.yaml": c1}, fault="notAField")
    case("err-kustomization-field-wrong-type", {"kustomization.yaml": "resources: a.yaml\n", "a.yaml": c1}, fault="resources")
    case("kust-field-names-case-insensitive", {"kustomization.yaml": "Resources:\n- a.yaml\nNAMESPACE: ci\n", "a.yaml": c1})
    case("err-malformed-kustomization", {"kustomization.yaml": "resources:\n- a.yaml\n  bad: [\n", "a.yaml": c1}, fault="kustomization")
    case("err-malformed-resource-indent", {"kustomization.yaml": KUST, "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\n   extra: x\ndata:\n  a: b\n"}, fault="r.yaml")
    case("err-malformed-resource-unclosed-quote", {"kustomization.yaml": KUST, "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: \"unclosed\n"}, fault="r.yaml")
    case("err-malformed-resource-tab-indent", {"kustomization.yaml": KUST, "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: bad\n"}, fault="r.yaml")
    case("err-malformed-resource-second-doc", {"kustomization.yaml": KUST, "r.yaml": c1 + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n"}, fault="r.yaml")
    case("err-malformed-flow-map", {"kustomization.yaml": KUST, "r.yaml": "{apiVersion: v1, kind: ConfigMap, metadata: {name: x}\n"}, fault="r.yaml")
    case("err-resource-missing-kind", {"kustomization.yaml": KUST, "r.yaml": "apiVersion: v1\nmetadata:\n  name: nokind\n"}, fault="r.yaml")
    case("err-resource-missing-name", {"kustomization.yaml": KUST, "r.yaml": "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b\n"}, fault="r.yaml")
    case("err-resource-is-scalar", {"kustomization.yaml": KUST, "r.yaml": "just a string\n"}, fault="r.yaml")
    case("err-resource-is-sequence", {"kustomization.yaml": KUST, "r.yaml": "- a\n- b\n"}, fault="r.yaml")
    case("res-missing-apiversion", {"kustomization.yaml": KUST, "r.yaml": "kind: ConfigMap\nmetadata:\n  name: noapi\n"})
    case("err-resource-metadata-not-map", {"kustomization.yaml": KUST, "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: text\n"}, fault="r.yaml")
    case("res-name-number", {"kustomization.yaml": KUST, "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 123\n"})
    case("res-name-bool", {"kustomization.yaml": KUST, "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: true\n"})
    case("err-resource-labels-not-map", {"kustomization.yaml": KUST + "commonLabels:\n  a: b\n", "r.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a]\n"}, fault="labels")
    case("err-kustomization-is-directory-entry-file", {"kustomization.yaml": "resources:\n- kustomization.yaml\n"}, fault="kustomization")
    case("err-resource-is-kustomization-file", {"kustomization.yaml": "resources:\n- sub/kustomization.yaml\n", "sub/kustomization.yaml": KUST, "sub/r.yaml": c1}, fault="kustomization")
    case("err-cycle", {"kustomization.yaml": "resources:\n- a\n", "a/kustomization.yaml": "resources:\n- ../b\n", "b/kustomization.yaml": "resources:\n- ../a\n"}, fault="cycle")
    case("err-self-reference-dir", {"kustomization.yaml": "resources:\n- .\n"}, fault=".")
    case("err-namespace-invalid", {"kustomization.yaml": KUST + "namespace: [a]\n", "r.yaml": c1}, fault="namespace")
    case("xf-images-entry-without-name", {"kustomization.yaml": KUST + "images:\n- newTag: v1\n", "r.yaml": deployment("d")})
    case("err-replicas-bad-count", {"kustomization.yaml": KUST + "replicas:\n- name: d\n  count: many\n", "r.yaml": deployment("d")}, fault="count")
    case("err-resource-inf-in-base", {"kustomization.yaml": "resources:\n- base\n", "base/kustomization.yaml": KUST,
                                      "base/r.yaml": obj("Thing", "t", "spec:\n  v: .inf\n", api="example.com/v1")}, fault="r.yaml|/t.")
    case("err-binary-garbage-resource", {"kustomization.yaml": KUST, "r.yaml": b"\x00\x01\x02\xff\xfe"}, fault="r.yaml")
    case("invalid-utf8-in-value", {"kustomization.yaml": KUST, "r.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-utf8\ndata:\n  a: caf\xe9\n"})


# ---------------------------------------------------------------------------
# 16. Transformers that create values needing quotes (added last: numbering stays stable)
# ---------------------------------------------------------------------------
def gen_transformer_quoting():
    c = cm("ue", "  a: b\n")
    simple("xf-prefix-creates-bool-word", c, kust=KUST + "namePrefix: tr\n")
    simple("xf-suffix-creates-number", cm("'1'", "  a: b\n"), kust=KUST + "nameSuffix: '0'\n")
    simple("xf-prefix-suffix-create-float", cm("'0'", "  a: b\n"), kust=KUST + "namePrefix: '1'\nnameSuffix: e3\n")
    simple("xf-namespace-special-words", "---\n".join([cm("a", "  x: y\n")]), kust=KUST + "namespace: 'null'\n")
    simple("xf-namespace-number", cm("a", "  x: y\n"), kust=KUST + "namespace: '0755'\n")
    simple("kust-commonlabels-quoted-numbers", deployment("d"),
           kust=KUST + "commonLabels:\n  a: '1'\n  b: '1.0'\n  c: '0x1F'\n  d: '1e3'\n  e: '0755'\n  f: '-0'\n  g: '.5'\n")
    simple("kust-commonannotations-quoted-dates-times", deployment("d"),
           kust=KUST + "commonAnnotations:\n  a: '2001-12-14'\n  b: '12:30'\n  c: '190:20:30'\n  d: '2001-12-14T21:59:43Z'\n")
    simple("kust-commonannotations-multiline-and-spaces", deployment("d"),
           kust=KUST + "commonAnnotations:\n  script: |\n    line one\n    line two\n  lead: ' x'\n  tab: \"a\\tb\"\n  trailnl: \"x \\ny\"\n")
    img = deployment("d", image="'190'")
    simple("xf-images-tag-creates-base60", img, kust=KUST + "images:\n- name: '190'\n  newTag: '20'\n")
    simple("xf-images-name-only-number", img, kust=KUST + "images:\n- name: '190'\n  newName: '2001'\n")
    simple("xf-replicas-large-count", deployment("d"), kust=KUST + "replicas:\n- name: d\n  count: 2147483647\n")
    # `on` is a YAML 1.1 bool in the kustomization: the label key becomes "true",
    # is written back plain, re-read as a bool key, and printing fails.
    simple("xf-labels-key-on-becomes-true", deployment("d", labels="app: 'yes'"),
           kust=KUST + "labels:\n- pairs:\n    on: 'off'\n  includeSelectors: true\n",
           fault="r.yaml|/d.|labels|kustomization")
    simple("xf-labels-quoted-key-on", deployment("d", labels="app: 'yes'"),
           kust=KUST + "labels:\n- pairs:\n    'on': 'off'\n  includeSelectors: true\n")


# Faults for generated cases where kustomize fails (found by running it):
# the substring, or `|`-separated alternatives, that our own one-line error
# message must contain.  Errors found while printing a resource may name the
# resource id instead of the file ("Kind.version.group/NAME.ns"), hence "/NAME.".
FAULTS = {
    "num-minus": "r.yaml",
    "num-keys-int": "r.yaml|/numkeys.",
    "num-keys-float": "r.yaml|/numkeys.",
    "date-as-keys": "r.yaml|/datekeys.",
    "ctrl-del": "r.yaml|/u.",
    "ctrl-slash": "r.yaml",
    "ctrl-c1-x80": "r.yaml|/u.",
    "ctrl-c1-x9f": "r.yaml|/u.",
    "block-leading-blank-then-indented": "r.yaml",
    "doc-yaml-directive": "r.yaml",
    "doc-yaml-11-directive": "r.yaml",
    "doc-separator-inline-content": "r.yaml",
    "doc-trailing-whitespace-lines": "r.yaml",
    "invalid-utf8-in-value": "r.yaml",
    "xf-replicas-missing-target": "nothere",
    "res-empty-kustomization": "kustomization",
    "kust-commonlabels-quoted-keys": "r.yaml|commonLabels|kustomization|/c.",
}
for _w in ["true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~"]:
    FAULTS[f"word-{slug(_w) if _w != '~' else 'tilde'}-{'upper' if _w.isupper() and len(_w) > 1 else 'cap' if _w[:1].isupper() else 'lower'}-keys"] = "r.yaml|/keys."


MANIFEST = "GENERATED"  # lists the case directories this script owns


def write_all(out):
    """Write every case. Only directories listed in the previous manifest are
    ever removed: cases added by hand or by other generators (numbered 600 and
    up) are left alone."""
    if len(CASES) > 600:
        raise SystemExit("gen-fixtures.py owns case numbers 000-599; 600+ belong to other case sets")
    os.makedirs(out, exist_ok=True)
    previous = set()
    manifest = os.path.join(out, MANIFEST)
    if os.path.exists(manifest):
        with open(manifest) as fh:
            previous = {line.strip() for line in fh if line.strip() and not line.startswith("#")}
    wanted = set()
    unknown = set(FAULTS) - NAMES
    if unknown:
        raise SystemExit(f"FAULTS names unknown cases: {sorted(unknown)}")
    for i, (name, files, args, root, fault) in enumerate(CASES):
        fault = FAULTS.get(name, fault)
        d = f"{i:03d}-{name}"
        wanted.add(d)
        path = os.path.join(out, d)
        keep = {}
        if os.path.isdir(path):
            for g in ("expected.yaml", "expected.err"):
                p = os.path.join(path, g)
                if os.path.exists(p):
                    with open(p, "rb") as fh:
                        keep[g] = fh.read()
            shutil.rmtree(path)
        os.makedirs(path)
        all_files = dict(files)
        if args:
            all_files["args"] = args + "\n"
        if root:
            all_files["root"] = root + "\n"
        if fault:
            all_files["fault"] = fault + "\n"
        all_files.update(keep)
        for rel, content in sorted(all_files.items()):
            p = os.path.join(path, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            with open(p, "wb") as fh:
                fh.write(data)
    for d in sorted(previous - wanted):
        if os.path.isdir(os.path.join(out, d)):
            shutil.rmtree(os.path.join(out, d))
    with open(manifest, "w") as fh:
        fh.write("# Case directories written by scripts/gen-fixtures.py (do not edit).\n")
        fh.write("".join(d + "\n" for d in sorted(wanted)))
    return len(CASES)


# Example overlays (under examples/) checked as goldens too: case name -> root.
EXAMPLES = [
    ("podinfo-base", "apps/podinfo/base"),
    ("podinfo-dev", "apps/podinfo/overlays/dev"),
    ("podinfo-staging", "apps/podinfo/overlays/staging"),
    ("podinfo-production", "apps/podinfo/overlays/production"),
    ("web-base", "apps/web/base"),
    ("web-dev", "apps/web/overlays/dev"),
    ("web-staging", "apps/web/overlays/staging"),
    ("web-production", "apps/web/overlays/production"),
    ("infrastructure", "infrastructure"),
    ("infrastructure-ingress-nginx", "infrastructure/ingress-nginx"),
    ("cluster-dev", "clusters/dev"),
    ("cluster-staging", "clusters/staging"),
    ("cluster-production", "clusters/production"),
]


def write_examples(out):
    """tests/fixtures/examples/<name>/root names a directory under examples/."""
    os.makedirs(out, exist_ok=True)
    wanted = set()
    for name, root in EXAMPLES:
        wanted.add(name)
        path = os.path.join(out, name)
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "root"), "w") as fh:
            fh.write(root + "\n")
    for d in sorted(os.listdir(out)):
        if d not in wanted and os.path.isdir(os.path.join(out, d)):
            shutil.rmtree(os.path.join(out, d))


def main():
    out = DEFAULT_OUT
    if len(sys.argv) == 3 and sys.argv[1] == "--out":
        out = sys.argv[2]
    elif len(sys.argv) != 1:
        raise SystemExit(__doc__)
    for gen in (gen_words, gen_numbers, gen_dates, gen_nulls_spaces, gen_unicode, gen_long,
                gen_multiline, gen_indicators, gen_anchors, gen_syntax, gen_keys, gen_crds,
                gen_lists_sort, gen_transformers, gen_resources, gen_transformer_quoting):
        gen()
    n = write_all(os.path.normpath(out))
    if out == DEFAULT_OUT:
        write_examples(os.path.normpath(os.path.join(out, "..", "examples")))
    print(f"wrote {n} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
