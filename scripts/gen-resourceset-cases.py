#!/usr/bin/env python3
"""Generate ResourceSet template cases, render them with the Go oracle
(scripts/resourceset-oracle, built by scripts/build-resourceset-oracle.sh) and write
tests/fixtures/resourceset/templates.json: [{name, template, inputs, output|error}].

  scripts/gen-resourceset-cases.py          regenerate the golden file
  scripts/gen-resourceset-cases.py --check  regenerate into memory, fail if it differs (CI)
"""
import itertools, json, os, subprocess, sys

here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
golden = os.path.join(here, "tests/fixtures/resourceset/templates.json")

INPUTS = {
    "none": None,
    "basic": {"tenant": "team1", "replicas": 2, "enabled": True, "ratio": 0.5, "big": 1234567,
              "version": "6.7.x", "empty": "", "zero": 0, "nothing": None,
              "list": ["a", "b", "c"], "nums": [3, 1, 2], "emptyList": [],
              "app": {"name": "podinfo", "port": 9898, "labels": {"tier": "web", "env": "dev"}},
              "multi": "line1\nline2", "quoted": "say \"hi\" & <go>", "spaces": "  padded  ",
              "title": "Hello World! & Friends @ Home", "float": 1.25e7, "neg": -3,
              "longName": "a-very-long-tenant-name-that-goes-on-and-on-and-on-beyond-sixty-three-characters"},
    "seed": {"backend_develop": {"tag": "v1.2.3-rc.abc1234", "digest": "sha256:0123"},
             "backend_staging": {"tag": "v1.2.3"}, "id": "123456", "provider": {"kind": "ResourceSet", "name": "apps"}},
}

T = []  # (name, template, inputs-key)
def add(name, tmpl, inp="basic"):
    T.append((name, tmpl, inp))

# text, comments, trim markers
add("text-only", "apiVersion: v1\nkind: ConfigMap\n")
add("comment", "a<</* a comment */>>b")
add("comment-trim", "a  <<- /* c */ ->>  b")
add("trim-left", "x:   \n  <<- inputs.tenant >>")
add("trim-right", "<< inputs.tenant ->>   \n  y")
add("trim-both-newlines", "a\n\n<<- \"mid\" ->>\n\nb")
add("minus-number-not-trim", "<<-3>>")
add("trim-in-range", "items:\n<<- range inputs.list >>\n- << . >>\n<<- end >>\n")
# fields, missing keys, nil
add("field", "name: << inputs.tenant >>")
add("nested-field", "<< inputs.app.labels.tier >>")
add("missing-key", "<< inputs.missing >>")
add("missing-nested", "<< inputs.app.missing >>")
add("no-inputs-field", "<< inputs.tenant >>", "none")
add("no-inputs-static", "kind: Namespace\nname: fixed\n", "none")
add("nil-value", "[<< inputs.nothing >>]")
add("nil-chain", "<< inputs.nothing.x >>")
add("field-on-string", "<< inputs.tenant.x >>")
add("dot-nil-data", "<< .x >>")
add("dot", "<< . >>")
add("dollar", "<< $ >>")
add("print-list", "<< inputs.list >>")
add("print-map", "<< inputs.app >>")
add("print-int", "<< inputs.replicas >> << inputs.neg >> << inputs.big >>")
add("print-float", "<< inputs.ratio >> << inputs.float >>")
add("print-bool", "<< inputs.enabled >>")
add("index-map", "<< index inputs \"tenant\" >>")
add("index-nested", "<< index inputs.app.labels \"env\" >>")
add("index-list", "<< index inputs.list 1 >>")
add("index-oob", "<< index inputs.list 5 >>")
add("index-missing-key", "[<< index inputs \"nope\" >>]")
add("seed-tag", "image: ghcr.io/org/backend:<< inputs.backend_develop.tag >>", "seed")
add("seed-index", "<< (index inputs \"backend_staging\").tag >>", "seed")
add("paren-chain", "<< (inputs).tenant >>")
# literals
add("lit-string", "<< \"a\\tb\\u00e9\" >>")
add("lit-raw", "<< `raw\\n` >>")
add("lit-numbers", "<< 42 >> << -7 >> << 0x1F >> << 1e3 >> << 2.50 >> << 0o17 >> << 1_000 >>")
add("lit-char", "<< 'a' >>")
add("lit-bool", "<< true >> << false >>")
add("lit-nil-cmd", "<< nil >>")
# conditionals
add("if-else", "<< if inputs.enabled >>on<< else >>off<< end >>")
add("if-empty-string", "<< if inputs.empty >>yes<< else >>no<< end >>")
add("if-zero", "<< if inputs.zero >>yes<< else >>no<< end >>")
add("if-nil", "<< if inputs.nothing >>yes<< else >>no<< end >>")
add("if-empty-list", "<< if inputs.emptyList >>yes<< else >>no<< end >>")
add("else-if", "<< if eq inputs.tenant \"x\" >>x<< else if eq inputs.tenant \"team1\" >>t1<< else >>other<< end >>")
add("reconcile-annotation", "fluxcd.controlplane.io/reconcile: << if eq inputs.tenant \"team1\" >>enabled<< else >>disabled<< end >>")
add("with", "<< with inputs.app >><< .name >>:<< .port >><< end >>")
add("with-else", "<< with inputs.empty >>set<< else >>unset<< end >>")
add("else-with", "<< with inputs.empty >>a<< else with inputs.tenant >><< . >><< end >>")
add("and-or", "<< and inputs.enabled inputs.tenant >> << or inputs.empty inputs.zero \"fallback\" >> << and inputs.zero 1 >>")
add("not", "<< not inputs.enabled >> << not inputs.empty >>")
add("if-and-short-circuit", "<< if and inputs.app inputs.app.name >>ok<< end >>")
# range
add("range-list", "<< range inputs.list >>[<< . >>]<< end >>")
add("range-index", "<< range $i, $v := inputs.list >><< $i >>=<< $v >>;<< end >>")
add("range-map", "<< range $k, $v := inputs.app.labels >><< $k >>=<< $v >>,<< end >>")
add("range-map-values", "<< range inputs.app.labels >><< . >> << end >>")
add("range-else", "<< range inputs.emptyList >>x<< else >>none<< end >>")
add("range-nil", "<< range inputs.nothing >>x<< else >>nil<< end >>")
add("range-int", "<< range 3 >><< . >><< end >>")
add("range-break", "<< range $i, $v := inputs.list >><< if eq $i 2 >><< break >><< end >><< $v >><< end >>")
add("range-continue", "<< range $i, $v := inputs.list >><< if eq $i 1 >><< continue >><< end >><< $v >><< end >>")
add("range-string-error", "<< range inputs.tenant >>x<< end >>")
add("range-nested", "<< range $a := inputs.list >><< range $b := inputs.nums >><< $a >><< $b >> << end >><< end >>")
add("range-dot-field", "<< range list inputs.app >><< .name >><< end >>")
add("multi-doc", "<< range inputs.list >>\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: << inputs.tenant >>-<< . >>\n<<- end >>\n")
# variables
add("var-decl", "<< $x := inputs.tenant >><< $x >>-<< $x | upper >>")
add("var-assign", "<< $x := 1 >><< if true >><< $x = 2 >><< end >><< $x >>")
add("var-scope", "<< if true >><< $y := 5 >><< $y >><< end >>")
add("var-undefined", "<< $nope >>")
add("var-field", "<< $a := inputs.app >><< $a.labels.env >>")
# pipelines and functions
add("pipe-quote", "semver: << inputs.version | quote >>")
add("squote", "<< inputs.tenant | squote >> << squote 1 nil \"x\" >>")
add("quote-escapes", "<< inputs.quoted | quote >>")
add("quote-multi", "<< quote \"a\" 2 inputs.enabled >>")
add("default-used", "<< inputs.empty | default \"dflt\" >>")
add("default-kept", "<< inputs.tenant | default \"dflt\" >>")
add("default-nil", "<< inputs.nothing | default 7 >>")
add("default-zero", "<< default 5 inputs.zero >>")
add("empty", "<< empty inputs.empty >> << empty inputs.list >> << empty inputs.zero >> << empty inputs.app >>")
add("coalesce", "<< coalesce inputs.empty inputs.nothing inputs.tenant >>")
add("ternary", "<< ternary \"y\" \"n\" inputs.enabled >>")
add("upper-lower", "<< upper inputs.tenant >> << lower \"MiXeD\" >> << title \"hello world-foo_bar\" >>")
add("trim", "[<< trim inputs.spaces >>] [<< trimAll \"-\" \"--x--\" >>] [<< trimPrefix \"v\" \"v1.2\" >>] [<< trimSuffix \".x\" inputs.version >>]")
add("replace", "<< replace \".\" \"-\" inputs.version >> << inputs.tenant | replace \"team\" \"squad\" >>")
add("trunc", "<< trunc 3 inputs.tenant >> << trunc -2 inputs.tenant >> << trunc 99 inputs.tenant >>")
add("substr", "<< substr 1 3 inputs.tenant >> << substr 2 -1 inputs.tenant >>")
add("repeat", "<< repeat 3 \"ab\" >>")
add("contains", "<< contains \"am\" inputs.tenant >> << hasPrefix \"team\" inputs.tenant >> << hasSuffix \"x\" inputs.tenant >>")
add("indent", "x:<< inputs.multi | indent 4 >>")
add("nindent", "x:<< inputs.multi | nindent 2 >>")
add("toYaml-map", "spec:<< inputs.app | toYaml | nindent 2 >>")
add("toYaml-list", "<< inputs.list | toYaml >>")
add("toYaml-scalar", "<< toYaml inputs.tenant >>|<< toYaml inputs.replicas >>|<< toYaml inputs.nothing >>|<< toYaml inputs.enabled >>")
add("toYaml-float", "<< toYaml inputs.ratio >><< toYaml inputs.float >>")
add("toYaml-special", "<< toYaml (list \"yes\" \"1.0\" \"\" \"a: b\" \"~\" inputs.multi) >>")
add("mustToYaml", "<< mustToYaml (dict \"b\" 1 \"a\" (list 1 2)) >>")
add("toJson", "<< toJson inputs.app >> << toJson inputs.quoted >> << toJson inputs.list >> << toJson inputs.ratio >>")
add("toString", "<< toString inputs.replicas >> << toString inputs.list >> << toString inputs.enabled >>")
add("printf", "<< printf \"%s-%d-%v-%q\" inputs.tenant inputs.replicas inputs.enabled inputs.tenant >>")
add("printf-pad", "<< printf \"[%5s][%-5s][%03d][%x][%5.1f]\" \"a\" \"b\" 7 255 (float64 3.14159) >>")
add("printf-bad", "<< printf \"%d %s\" \"x\" >>")
add("printf-extra", "<< printf \"%s\" \"a\" 1 >>")
add("print", "<< print \"a\" 1 2 \"b\" >> << println \"x\" 3 >>")
add("join", "<< join \",\" inputs.list >> << join \"-\" inputs.nums >>")
add("splitList", "<< splitList \".\" inputs.version >>")
add("split", "<< (split \".\" inputs.version)._1 >>")
add("list-dict", "<< list 1 \"a\" true >> << dict \"k\" \"v\" \"n\" 1 >>")
add("get-hasKey", "<< get inputs.app \"name\" >> [<< get inputs.app \"nope\" >>] << hasKey inputs.app \"port\" >> << hasKey inputs \"nope\" >>")
add("set-unset", "<< $d := dict \"a\" 1 >><< $_ := set $d \"b\" 2 >><< $d >><< $_ := unset $d \"a\" >><< $d >>")
add("keys-sorted", "<< keys inputs.app.labels | sortAlpha >>")
add("pick-omit", "<< pick inputs.app \"name\" \"port\" >> << omit inputs.app \"labels\" >>")
add("first-last", "<< first inputs.list >> << last inputs.list >> << rest inputs.list >> << initial inputs.list >>")
add("append-prepend", "<< append inputs.list \"d\" >> << prepend inputs.list \"z\" >> << concat inputs.list inputs.nums >>")
add("has-without-uniq", "<< has \"b\" inputs.list >> << without inputs.list \"b\" >> << uniq (list 1 1 2) >> << compact (list \"\" \"a\" 0 1) >>")
add("sortAlpha-reverse", "<< sortAlpha inputs.nums >> << reverse inputs.list >>")
add("until", "<< until 3 >> << range until 2 >>x<< end >>")
add("len", "<< len inputs.list >> << len inputs.tenant >> << len inputs.app >>")
add("len-int-error", "<< len inputs.replicas >>")
add("math", "<< add 1 2 inputs.replicas >> << sub 5 inputs.replicas >> << mul 2 3 >> << div 7 2 >> << mod 7 3 >> << add1 inputs.replicas >> << max 1 5 3 >> << min 4 2 >>")
add("div-zero", "<< div 1 0 >>")
add("int-conv", "<< int \"42\" >> << int64 inputs.ratio >> << float64 \"1.5\" >> << atoi \"12\" >> << int inputs.enabled >>")
add("int-replicas", "replicaCount: << inputs.replicas | int >>")
add("eq-types", "<< eq inputs.replicas 2 >> << eq inputs.tenant \"team1\" \"x\" >> << ne inputs.tenant \"x\" >>")
add("eq-incompatible", "<< eq inputs.replicas \"2\" >>")
add("eq-nil", "<< eq inputs.nothing nil >>")
add("lt-gt", "<< lt 1 2 >> << gt inputs.replicas 1 >> << le 2 2 >> << ge \"a\" \"b\" >>")
add("lt-incompatible", "<< lt 1 2.5 >>")
add("b64", "<< b64enc inputs.tenant >> << b64dec \"dGVhbTE=\" >> << b64dec \"!!\" >>")
add("sha256sum", "<< sha256sum inputs.tenant >> << adler32sum inputs.tenant >>")
add("slugify", "<< slugify inputs.title >> << slugify \"  Foo_Bar--Baz  \" >> << slugify \"it's 'quoted'\" >>")
add("slugify-long", "<< slugify inputs.longName >>")
add("slugify-nolimit-word", "<< slugify (repeat 70 \"a\") >>")
add("typeOf-kindOf", "<< typeOf inputs.replicas >> << kindOf inputs.list >> << typeOf inputs.ratio >> << kindIs \"map\" inputs.app >>")
add("deepEqual", "<< deepEqual inputs.list (list \"a\" \"b\" \"c\") >>")
add("fail", "<< fail \"boom\" >>")
# type errors and parse errors
add("wrong-type-int-param", "<< indent inputs.replicas \"x\" >>")
add("wrong-type-string-param", "<< upper inputs.replicas >>")
add("nil-to-string-param", "<< upper inputs.nothing >>")
add("expected-integer", "<< trunc \"x\" \"y\" >>")
add("wrong-arg-count", "<< upper \"a\" \"b\" >>")
add("not-a-function", "<< inputs.tenant \"x\" >>")
add("undefined-function", "<< nope 1 >>")
add("unclosed-action", "<< inputs.tenant")
add("unexpected-end", "<< end >>")
add("missing-end", "<< if true >>x")
add("bad-char", "<< inputs.tenant # >>")
add("unterminated-string", "<< \"abc >>")
add("empty-action", "<< >>")
add("break-outside-range", "<< break >>")
add("multiline-error-position", "line1\nline2: << inputs.app.nope >>\n")
add("error-context-truncated", "<< inputs.app.labels.tier | printf \"%s-%s\" inputs.tenant | trimSuffix \"x\" | nope2 >>")
add("missing-key-long-chain", "x\n  y: << inputs.app.labels.nope >>")
add("non-executable", "<< inputs.tenant | \"x\" >>")
add("chain-missing-in-pipe", "<< (index inputs \"app\").nope >>")
add("range-two-vars-int", "<< range $i, $v := 3 >><< end >>")
# combos typical of real ResourceSets
add("helmrelease", """apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: << inputs.app.name >>-<< inputs.tenant | slugify >>
  labels:
    tenant: << inputs.tenant | quote >>
    enabled: << inputs.enabled | quote >>
spec:
  values:
    replicaCount: << inputs.replicas | int >>
    labels: << inputs.app.labels | toYaml | nindent 6 >>
""")
add("kustomization-template", """<<- range $c := inputs.list >>
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: << $c >>
spec:
  path: ./<< $c >>
  <<- if inputs.enabled >>
  wait: true
  <<- end >>
<<- end >>
""")

def main():
    cases = [{"name": n, "template": t, "inputs": INPUTS[i]} for n, t, i in T]
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    oracle = os.path.join(here, ".tools/resourceset-oracle")
    if not os.path.exists(oracle):
        subprocess.run([os.path.join(here, "scripts/build-resourceset-oracle.sh")], check=True, stdout=subprocess.DEVNULL)
    res = subprocess.run([oracle], input=json.dumps(cases).encode(), stdout=subprocess.PIPE, check=True)
    results = json.loads(res.stdout)
    out = []
    for c, r in zip(cases, results):
        assert c["name"] == r["name"]
        e = dict(c)
        if "error" in r:
            e["error"] = r["error"]
        else:
            e["output"] = r["output"]
        out.append(e)
    text = json.dumps(out, indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        with open(golden, encoding="utf-8") as f:
            if f.read() != text:
                print("tests/fixtures/resourceset/templates.json is stale: run scripts/gen-resourceset-cases.py", file=sys.stderr)
                sys.exit(1)
        print(f"{len(out)} cases up to date")
        return
    with open(golden, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {len(out)} cases to {golden}")

main()
