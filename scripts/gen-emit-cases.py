#!/usr/bin/env python3
"""Generate the JSON inputs for the emitter's differential goldens.

Prints a JSON array of JSON *texts* (strings) to stdout. Each text is what Go's
encoding/json would write (control characters, DEL, C1 controls, U+2028/2029, U+FEFF,
U+FFFE/FFFF escaped as \\uXXXX so go-yaml v2's reader accepts them), fed to
`oracle emit` (sigs.k8s.io/yaml.JSONToYAML). Deterministic: the random part is seeded.
"""
import json
import random
import unicodedata
import sys

cases = []


def esc_char(c):
    o = ord(c)
    if o < 0x20 or o == 0x7F or 0x80 <= o <= 0x9F or o in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF):
        return "\\u%04x" % o
    if c == '"':
        return '\\"'
    if c == "\\":
        return "\\\\"
    return c


def jstr(s):
    return '"' + "".join(esc_char(c) for c in s) + '"'


def jdump(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return jstr(v)
    if isinstance(v, list):
        return "[" + ",".join(jdump(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(jstr(k) + ":" + jdump(x) for k, x in v.items()) + "}"
    raise TypeError(v)


class Raw:
    """A JSON number given by its exact text."""

    def __init__(self, text):
        self.text = text


def go_less(a, b):
    """go-yaml v2 keyList.Less for two strings."""
    def letter(c):
        return unicodedata.category(c).startswith("L")

    def digit(c):
        return unicodedata.category(c) == "Nd"

    ar, br = list(a), list(b)
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al, bl = letter(ar[i]), letter(br[i])
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and digit(ar[j]):
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and digit(ar[ai]):
            an = an * 10 + ord(ar[ai]) - 48
            ai += 1
        bi = i
        while bi < len(br) and digit(br[bi]):
            bn = bn * 10 + ord(br[bi]) - 48
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


def keys_totally_ordered(keys):
    """Go sorts map keys taken in random map order, so a key set whose order is not a
    strict weak order prints differently from run to run: such cases cannot be goldens."""
    ks = list(keys)
    for x in ks:
        for y in ks:
            if x != y and go_less(x, y) == go_less(y, x):
                return False
            for z in ks:
                if go_less(x, y) and go_less(y, z) and not go_less(x, z):
                    return False
    return True


def deterministic(v):
    if isinstance(v, dict):
        if len(v) <= 40 and not keys_totally_ordered(v.keys()):
            return False
        return all(deterministic(x) for x in v.values())
    if isinstance(v, list):
        return all(deterministic(x) for x in v)
    return True


skipped = 0


def add(v):
    global skipped
    if not deterministic(v):
        skipped += 1
        return
    cases.append(jdump(v))


def add_scalar_everywhere(x):
    """A value as root, map value, seq item, map key (if a string), nested."""
    add(x)
    add({"k": x})
    add([x])
    add({"a": {"b": [x, {"c": x}]}})
    if isinstance(x, str):
        add({x: x})
        add([{x: [x]}])


# --- YAML 1.1 special words -------------------------------------------------
words = ["y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "No", "NO", "nO", "on", "On", "ON",
         "oN", "off", "Off", "OFF", "oFF", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE",
         "fALSE", "null", "Null", "NULL", "nULL", "~", ".inf", ".Inf", ".INF", ".iNF", "+.inf",
         "+.Inf", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", ".nAn", "nan", "NaN", "inf",
         "Infinity", "-inf", "+inf", "<<", "=", "yes!", "noo", "t", "f", "T", "F", "o", "O", "Nil",
         "none", "None", "y:", "~~", "null ", " null", "true\n", "0", "-0", "+0"]
for w in words:
    add_scalar_everywhere(w)

# --- numbers as strings -------------------------------------------------------
numstrs = ["1", "01", "0755", "08", "09", "0x1F", "0X1f", "0x", "0xG", "0o17", "0O17", "0o8",
           "0b101", "0B101", "0b", "0b2", "0b-1", "0b+1", "-0b101", "1_000", "1__0", "_1", "1_",
           "+1", "-1", "+-1", "1.0", "1e3", "1E3", "1e+3", "1e-3", "1e", "e3", ".5", "-.5", "+.5",
           "1.", "-1.", ".", "..", "1.2.3", "1e400", "-1e400", ".5e999", "1e-400",
           "190:20:30", "1:20", "-1:20", "+1:20", "1:60", "1:5", "1:05:3", "1_0:20.5_", "1:20.",
           "12:30:00", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
           "2001-12-14T21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10",
           "2001-12-14  21:59:43", "2001-12-14T21:59:43Z", "2001-12-14T21:59:43,5Z",
           "2001-12-14T21:59:43.Z", "2001-12-14T21:59:43+25:00", "2001-12-14T21:59:43+24:00",
           "2001-12-14T24:00:00Z", "2001-13-01", "2001-02-29", "2000-02-29", "1900-02-29",
           "2001-1-1", "2001-01-1", "2001-001-01", "01-01-01", "20011-01-01", "2001-12",
           "2001-12-14 ", "2001-12-14x", "2001-12-14T1:2:3Z", "2001-12-14 1:2:3.123456789123",
           "9223372036854775807", "9223372036854775808", "-9223372036854775808",
           "-9223372036854775809", "18446744073709551615", "18446744073709551616",
           "+18446744073709551615", "0x7FFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFF", "0x10000000000000000",
           "1e308", "1.7976931348623157e308", "1.8e308", "0.0", "-0.0", "00", "0_0", "1 2",
           "1,000", "$1", "1%", "12abc", "0.5.", "1e3e3", "1ee3", "2e", "3 ", " 3"]
for n in numstrs:
    add_scalar_everywhere(n)

# --- actual numbers -------------------------------------------------------------
nums = ["0", "-0", "1", "-1", "42", "1.0", "1.5", "-2.5", "0.1", "0.5", "1e3", "1E3", "1e-7",
        "1e20", "1e21", "1e22", "1e+21", "123456789.123", "1000000.5", "100000", "1000000",
        "123456", "1234567", "0.0001", "0.00001", "5e-324", "1.7976931348623157e308",
        "2.2250738585072014e-308", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "18446744073709551615", "18446744073709551616",
        "-9223372036854775809", "100000000000000000000000", "1.0e0", "3.14159265358979",
        "0.30000000000000004", "1e100", "-1e-100", "12345678901234567890", "4.5e15", "4.5e16",
        "1e-5", "1e-4", "0.000123", "999999", "999999.9", "9999999"]
for n in nums:
    add_scalar_everywhere(Raw(n))
add_scalar_everywhere(True)
add_scalar_everywhere(False)
add_scalar_everywhere(None)

# --- strings: spaces, controls, unicode, indicators -----------------------------
strs = ["", " ", "  ", " a", "a ", " a ", "a  b", "a\tb", "\t", "\ta", "a\t", "\u00a0", "a\u00a0b",
        "\u0085", "a\u0085b", "a\u2028b", "a\u2029b", "\u2028", "a\u2028 b", "a \u2028b",
        "\ufeff", "\ufeffab", "a\ufeff", "a\ufffeb", "a\uffffb", "\ue000", "\ud7ff", "\ufffd",
        "😀", "a😀b", "中文", "日本語のテキスト", "é", "e\u0301", "a\u0300\u0301", "Ω≈ç√∫",
        "\u00ff", "\u0100", "\u07ff", "\u0800", "a'b", "'", "''", "'a'", "\"", "\"a\"", "a\"b",
        "\\", "a\\b", "\\n", "a\u007fb", "\u007f"]
for code in range(0x00, 0x20):
    strs.append(chr(code))
    strs.append("a" + chr(code) + "b")
for code in range(0x80, 0xA0):
    strs.append("x" + chr(code))
indicators = "-?:,[]{}#&*!|>'\"%@`"
for c in indicators:
    strs += [c, c + "a", "a" + c, "a" + c + "b", c + " a", "a " + c, "a " + c + " b", c + c,
             c + "\n", " " + c]
strs += ["a: b", "a:b", "a :b", "a #b", "a#b", "#a", "a # b", "a:", "-", "--", "---", "----",
         "--- a", "---a", "...", "... a", "....", "- x", "-x", "? x", "?x", ": x", ":x",
         "a:\tb", "a\t#b", "@a", "`a`", "%TAG", "!tag", "&anchor", "*alias", "|", ">", "a,b",
         "[a]", "{a}", "a[b]", "a{b}", "http://x.y/z?q=1#f", "key=value", "a=b,c=d",
         "$(VAR)", "${VAR}", "{{ .Values.x }}", "C:\\path", "/usr/bin", "./x", "~/x", "~x",
         "x~", "<>&", "a<b>c&d"]
for x in strs:
    add_scalar_everywhere(x)

# --- multi-line strings --------------------------------------------------------
ml = ["a\n", "a\nb", "a\nb\n", "a\n\n", "a\n\n\n", "\n", "\n\n", "\na", "\na\n", "\n\na",
      " a\nb", "  a\nb\n", "a\n b", "a\n  b\n", "a\n \nb", "a\n  \n  \nb", " \n", "a \nb",
      "a\n b ", "a\t\nb", "a\nb\tc\n", "\ta\nb", "a\r\nb", "a\rb", "a\r", "a\n\rb",
      "a\u0085\nb", "a\u2028\nb", "a\n\u2028", "a\nb\u2029", "line1\nline2\nline3\n",
      "# comment\nkey: value\n", "- item\n- item2\n", "key: |\n  nested\n", "'q'\n\"d\"\n",
      "a\n\n\nb\n\n", "a\n" + "x" * 200 + "\nb", "a\n" + " ".join(["w"] * 60) + "\n",
      "😀\nb", "中\n文\n", "a\n\x01", "a\n\ufeff", "\ufeffa\nb", "---\n", "...\nb",
      "a\nb\n ", "a\n\t", "a\n-", "a\n:", " ", "a\n#b\n", "a\n\n b\n\n", "\n a",
      "\n\n a\n", "x\n" * 20]
for x in ml:
    add_scalar_everywhere(x)

# --- folding: long strings ------------------------------------------------------
rng = random.Random(20240611)
for n in range(70, 201, 3):
    add({"k": ("word " * 60)[:n]})
    add({"k": "x" * n})
    add({"k": ("ab cd " * 50)[:n].strip()})
    add([("lorem ipsum dolor " * 20)[:n]])
for n in (79, 80, 81, 82, 83, 84, 85, 120, 160, 240, 400):
    base = "a" * (n - 2) + " b c"
    add({"k": base})
    add({"key": base})
    add({"nested": {"deeper": {"k": base}}})
    add({"k": "y " + "z" * n})
    add({"k": "a  " * (n // 3)})
    add({"k": ("a  b " * 80)[:n]})
    add({"k": "- " + "w " * (n // 2)})
    add({"k": "'" + "w " * (n // 2)})
    add({"k": "w\t" + "w " * (n // 2)})
    add({"k": "w " * (n // 2) + "\t"})
    add({"k": "it's " * (n // 5)})
    add({"k": "1:2 " * (n // 4)})
    add({"k": "w " * (n // 2) + "\u2028 x"})
    add({"k": "\ufeff" + "w " * (n // 2)})
    add({"k": "é " * (n // 2)})
    add({"k": "中文 " * (n // 3)})
    add({"k": "w\u00a0" * (n // 2) + " x " * 10})
    add({"k": "true " * (n // 5) + "yes"})
    add([["x" * 10 + " " + "y" * (n - 11)]])
    add({"k": "x" * 78 + "  " + "y" * 10 + "  " + "z" * 80})
    add({"k": "x" * 78 + " " + "y" * 10 + "   " + "z" * 80})
for n in (100, 110, 126, 127, 128, 129, 130, 150, 200):
    add({"k" * n: "v"})
    add({("key " * 60)[:n]: "v"})
    add({("é" * n): "v"})
    add({"a" * n: {"b": 1}})
    add({"a" * n: ["x", "y"]})
    add({"a" * n: []})
    add({"a" * n: {}})
    add({"a" * n: "x\ny"})
    add([{"a" * n: 1, "b": 2}])
    add({"outer": {"a" * n: None}})

# --- multi-line and odd keys ------------------------------------------------------
for k in ["a\nb", "a\nb\n", "\na", "a\n", " a\nb", "a \nb", "a\tb", "a\u2028b", "a\rb", "😀",
          "", " ", "-", "- a", "? a", "a: b", "#", "'", "\"", "yes", "1", "1.5", "null", "~",
          "a" * 129 + "\nb"]:
    add({k: "v"})
    add({k: [1, 2]})
    add({k: {"x": {}}})
    add([{k: "v", "z": 1}])

# --- nested structures -------------------------------------------------------------
add({})
add([])
add([[]])
add([{}])
add({"a": []})
add({"a": {}})
add({"a": [[]]})
add({"a": [{}]})
add({"a": [[], {}, [[]], [{}], {"b": []}, {"b": {}}]})
add([[[]]])
add([[["x"]]])
add([[["x", "y"], "z"], "w"])
add([{"a": 1, "b": [1, 2], "c": {"d": [{"e": None}]}}])
add({"a": [{"b": [{"c": [{"d": "e"}]}]}]})
add([{"a": [[{"b": []}]]}])
add({"spec": {"containers": [{"name": "x", "image": "nginx:1.2", "ports": [{"containerPort": 80}],
                                "args": ["--a=b", "-c", "yes"], "env": [{"name": "A", "value": "1"}]}]}})
deep = "leaf"
for i in range(30):
    deep = {"k%d" % i: deep} if i % 2 else [deep]
add(deep)
deep = []
for i in range(30):
    deep = [deep]
add(deep)
deep = {}
for i in range(30):
    deep = {"k": deep}
add(deep)
deep = "long " * 30
for i in range(15):
    deep = {"level": deep, "list": [deep]} if i < 3 else {"level": deep}
add(deep)

# --- key ordering ---------------------------------------------------------------
order_keys = ["a2", "a10", "a02", "A", "b", "_x", "1", "10", "9", "", "-", ".b", "a.b", "a-b", "aB",
              "ab", "a", "B", "Z", "z", "é", "É", "中", "日", "😀", "a1b", "a01b", "a001b", "a0", "a00",
              "x9y", "x10y", "x09y", "0", "00", "01", "001", "a20", "a100", "1a", "20", "100",
              "k8s", "k08s", "v1", "v1beta1", "v1alpha1", "v2", "v10", "apiVersion", "kind",
              "metadata", "spec", "status", "data", "~", "!", "/", "a/b", "a_b", "a b", "٣", "a٣",
              "ⅰ", "Ⅻ", "a\u0301", "ß", "ſ", "ǅ", "ʰ", "ª"]
for i in range(0, len(order_keys), 11):
    add({k: i for i, k in enumerate(order_keys[i:i + 11])})
for i in range(0, len(order_keys), 7):
    add({k: None for k in order_keys[i:i + 7]})
add({k: None for k in ["a2", "a10", "a02", "A", "b", "_x", "1", "10", "9", "-", ".b", "a.b"]})
add({k: None for k in ["20", "100", "1a"]})
add({k: None for k in ["1a", "100", "20"]})
add({k: None for k in ["x", "20", "100", "1a", "b"]})
add({k: 1 for k in ["10", "2", "1", "03", "3", "003", "0", "a", "A", "_"]})
add({k: 1 for k in ["item%d" % j for j in (5, 50, 500, 5000, 6, 60, 7)]})
for seed in range(60):
    r = random.Random(seed)
    alphabet = "aAbB01923_-.~ é中z"
    keys = set()
    while len(keys) < r.randint(2, 12):
        keys.add("".join(r.choice(alphabet) for _ in range(r.randint(0, 5))))
    ks = sorted(keys)
    r.shuffle(ks)
    add({k: j for j, k in enumerate(ks)})

# --- random strings over a tricky alphabet -------------------------------------------
alphabet = [" ", " ", " ", "\t", "\n", "\n", "'", "\"", "#", ":", "-", "?", ",", "[", "{", "|",
            ">", "!", "&", "*", "%", "@", "`", "\\", "a", "b", "c", "x", "y", "z", "0", "1", "9",
            ".", "e", "é", "中", "😀", "\u00a0", "\u0085", "\u2028", "\r", "~", "_", "+"]
rng = random.Random(42)
for i in range(450):
    n = rng.choice([1, 2, 3, 4, 5, 8, 12, 20, 40, 90, 150])
    s = "".join(rng.choice(alphabet) for _ in range(n))
    if i % 3 == 0:
        add({"k": s})
    elif i % 3 == 1:
        add([s])
    else:
        add({s: s})
# words with spaces mostly (folding-heavy)
for i in range(150):
    n = rng.randint(60, 260)
    s = "".join(rng.choice("abc   '#:-\u00e9") for _ in range(n))
    add({"key": {"nested": s}} if i % 2 else [s])



def roundtrip_cases():
    """JSON documents for `oracle kyaml` (kyaml decode -> encoding/json -> go-yaml v2):
    floats of every magnitude and strings with the raw characters encoding/json leaves
    unescaped (NEL folds as a line break, DEL/C1/U+FFFE fail)."""
    out = []
    floats = ["1.0", "-1.0", "0.0", "-0.0", "1.5", "0.1", "1e-7", "1.5e-7", "1e-6", "9.99e-7",
              "1e20", "1e21", "1.5e21", "1e19", "1.8e19", "1.9e19", "9.3e18", "9.2e18",
              "123456789.123", "1000000.5", "1e6", "1e300", "5e-324", "1.7976931348623157e308",
              "2.5e-5", "100.0", "12345678901234567890.0", "1152921504606846976.0",
              "4611686018427387904.5", "0.000001", "0.0000001", "3.0e10", "-3.0e10", "7e22",
              "123.456e5", "1e15", "1e16", "1e17", "1e18", "9007199254740993.0"]
    r = random.Random(7)
    for _ in range(120):
        m = r.random() * 10 ** r.randint(-12, 25)
        floats.append(repr(m if r.random() < 0.7 else -m))
    for _ in range(40):
        floats.append("%d.0" % r.randint(-10**19, 10**20))
    for f in floats:
        out.append('{"v": %s}' % f)
        out.append('{"list": [%s, {"x": %s}]}' % (f, f))
    strs = ["x\\u0085y", "a \\u0085 b", "a \\u0085 \\u0085\\u0085 b\\u0085", "\\u0085", "\\u0085\\u0085",
            "a\\u0085---b", "a\\u0085--- b", "a\\u0085... b", "a\\u0085...", "a\\u0085 --- b",
            "x\\u007fy", "x\\u0080y", "x\\u0084y", "x\\u0086y", "x\\u009fy", "x\\ufffey", "x\\uffffy",
            "x\\ufeffy", "x\\u2028y", "\\u0085 lead", "trail \\u0085", "a\\u0085\\u0085\\u0085\\u0085b",
            "<>&", "a\\tb\\u0085c"]
    for s in strs:
        out.append('{"s": "%s"}' % s)
        out.append('{"%s": 1}' % s)
    # keys near v2's 1024-character simple-key lookahead, in encoding/json's escaping
    for n in range(1018, 1026):
        for unit, w in (("k", 1), ("\u00e9", 1), ("<", 6), ("\\n", 2), ("\\b", 2), ("\\u0001", 6),
                        ("\\\"", 2), ("\\u2028", 6), ("\\t", 2)):
            count = n // w
            pad = n - count * w
            out.append('{"%s%s": 1}' % ("k" * pad, unit * count))
    return out


if len(sys.argv) > 1 and sys.argv[1] == "roundtrip":
    rt = roundtrip_cases()
    json.dump(rt, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")
    print(f"{len(rt)} roundtrip cases", file=sys.stderr)
else:
    json.dump(cases, sys.stdout, ensure_ascii=False, indent=0)
    sys.stdout.write("\n")
    print(f"{len(cases)} cases ({skipped} skipped: key order not total)", file=sys.stderr)
