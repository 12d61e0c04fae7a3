# Writes the inputs of the generator fixtures (tests/fixtures/kustomize/gen-NNN-*):
# configMapGenerator, secretGenerator, generatorOptions, behaviors, the hash suffix.
# Expected outputs come from the real kustomize: bash scripts/update-goldens.sh
import os, shutil, textwrap

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'kustomize')
cases = []


def case(what, files, args=None, sub=None):
    """files: {path: str|bytes}; sub: the directory to build (default the case root)."""
    cases.append((what, files, args, sub))


def d(s):
    return textwrap.dedent(s).lstrip()


def gen(kind, body, extra=''):
    """A kustomization with one generator list (kind: configMapGenerator/secretGenerator)."""
    return f"{kind}:\n{textwrap.indent(d(body), '')}{extra}"


def cm(body, extra=''):
    return {'kustomization.yaml': 'configMapGenerator:\n' + d(body) + d(extra)}


def sec(body, extra=''):
    return {'kustomization.yaml': 'secretGenerator:\n' + d(body) + d(extra)}


def lit(*pairs, kind='configMapGenerator', name='cm', extra=''):
    lines = ''.join(f'  - {p}\n' for p in pairs)
    return {'kustomization.yaml': f'{kind}:\n- name: {name}\n  literals:\n{lines}' + d(extra)}


# --- A. literals -------------------------------------------------------------------
case('lit-simple', lit('a=b'))
case('lit-several', lit('b=2', 'a=1', 'c=3'))
case('lit-double-quoted-value', lit("'a=\"x y\"'"))
case('lit-single-quoted-value', lit("\"a='x y'\""))
case('lit-mismatched-quotes', lit("'a=\"x'", "\"b='y\"", "'c=\"'"))
case('lit-quotes-inside', lit("'a=x\"y\"z'", "'b=\"\"'"))
case('lit-equals-in-value', lit('a=b=c', "'d==='"))
case('lit-empty-value', lit('a=', 'b=""'))
for i, w in enumerate(['true', 'false', 'yes', 'no', 'on', 'off', 'null', '~', '0755', '1e3',
                       '0x1F', '1_000', '.inf', '12:30', '2024-01-01', '-1', '+1', '0.5', 'Y', 'n']):
    pass
case('lit-special-words-a', lit(*[f'k{i}={w}' for i, w in enumerate(
    ['true', 'false', 'yes', 'no', 'on', 'off', 'null', "'~'", '0755', '1e3'])]))
case('lit-special-words-b', lit(*[f"'k{i}={w}'" for i, w in enumerate(
    ['0x1F', '1_000', '.inf', '12:30', '2024-01-01', '-1', '+1', '0.5', 'Y', 'n'])]))
case('lit-special-words-secret', lit('a=true', 'b=0755', 'c=null', kind='secretGenerator'))
case('lit-unicode', lit('greeting=héllo wörld', 'cjk=日本語', 'emoji=🚀✨'))
case('lit-html-chars', lit("'a=<b>&amp;</b>'", "'b=x > y && z < w'"))
case('lit-line-separators', lit('"a=x\\u2028y"', '"b=x\\u2029y"'))
case('lit-control-chars', lit('"a=tab\\there"', '"b=bell\\x07"', '"d=esc\\x1b[0m"', '"e=nul\\x00"'))
case('err-lit-del-char', lit('"c=del\\x7f"'))
case('err-lit-c1-char', lit('"c=c1\\x9b"'))
case('lit-nel-char', lit('"c=nel\\x85"'))
case('err-label-del-char', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  options:\n    labels:\n      a: "x\\x7f"\n'})
case('key-yaml11-words-ok', lit('n=1', 'y=2', 'yes=3', 'on=4', 'off=5', '12:30=6', 'Null1=7'))
for i, k in enumerate(['true', 'False', 'null', "'~'", '123', '1.5', '0x1F', '1_000', '2024-01-01', '.inf', '-1', '0o17']):
    case(f'err-key-resolves-{i}', lit(f'{k}=v'))
case('err-label-key-resolves', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  options:\n    labels:\n      "true": x\n'})
case('err-annotation-key-resolves', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  options:\n    annotations:\n      "42": x\n'})
case('err-label-key-n-from-kustomization', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  options:\n    labels:\n      n: x\n'})
case('name-special-no-hash', {'kustomization.yaml': 'generatorOptions:\n  disableNameSuffixHash: true\nconfigMapGenerator:\n- name: "true"\n  literals:\n  - a=1\n- name: "123"\n  namespace: "456"\n  literals:\n  - a=1\n'})
case('lit-multiline', lit('"a=line1\\nline2\\n"', '"b=no trailing\\nnewline"'))
case('lit-multiline-secret', lit('"a=line1\\nline2\\n"', kind='secretGenerator'))
case('lit-leading-trailing-spaces', lit("'a=  x  '", "'b= '"))
case('lit-long-value', lit('a=' + ' '.join(['word'] * 60)))
case('lit-long-nospace', lit('a=' + 'x' * 300))
case('lit-key-with-space', lit("'my key=v'"))
case('lit-key-dots-dashes', lit('a.b-c_d=1', '.hidden=2', 'UPPER=3'))
case('lit-key-unicode', lit('clé=v'))
case('err-lit-no-equals', lit('novalue'))
case('err-lit-leading-equals', lit('=value'))
case('err-lit-duplicate-key', lit('a=1', 'a=2'))
case('lit-many', lit(*[f'key{i:03d}=value{i}' for i in range(50)]))
case('lit-json-value', lit("'config={\"a\": [1, 2], \"b\": {\"c\": true}}'"))
case('lit-hash-and-colon', lit("'a=x # y'", "'b=k: v'", "'c=#start'"))
case('lit-yaml-indicators', lit("'a=- item'", "'b=[1,2]'", "'c={x: y}'", "'d=*ref'", "'e=&anc'", "'f=!tag'", "'g=|'", "'h=>'", "'i=%x'", "'j=@x'", "'k=`x`'"))

# --- B. files ----------------------------------------------------------------------
case('file-basename', {**cm('- name: cm\n  files:\n  - app.properties\n'), 'app.properties': 'a=1\nb=2\n'})
case('file-key-rename', {**cm('- name: cm\n  files:\n  - config.ini=app.properties\n'), 'app.properties': 'x\n'})
case('file-subdir', {**cm('- name: cm\n  files:\n  - conf/app.conf\n  - ./conf/other.conf\n'),
                     'conf/app.conf': 'server {}\n', 'conf/other.conf': 'o\n'})
case('file-no-trailing-newline', {**cm('- name: cm\n  files:\n  - a.txt\n'), 'a.txt': 'no newline'})
case('file-empty', {**cm('- name: cm\n  files:\n  - empty.txt\n'), 'empty.txt': ''})
case('file-crlf', {**cm('- name: cm\n  files:\n  - a.txt\n'), 'a.txt': 'line1\r\nline2\r\n'})
case('file-trailing-spaces', {**cm('- name: cm\n  files:\n  - a.txt\n'), 'a.txt': 'a  \nb\t\n'})
case('file-leading-spaces', {**cm('- name: cm\n  files:\n  - a.txt\n'), 'a.txt': '  indented\nnext\n'})
case('file-only-newlines', {**cm('- name: cm\n  files:\n  - a.txt\n'), 'a.txt': '\n\n'})
case('file-trailing-blank-lines', {**cm('- name: cm\n  files:\n  - a.txt\n'), 'a.txt': 'x\n\n\n'})
case('file-tabs', {**cm('- name: cm\n  files:\n  - Makefile\n'), 'Makefile': 'all:\n\techo hi\n'})
case('file-unicode', {**cm('- name: cm\n  files:\n  - u.txt\n'), 'u.txt': 'héllo\n日本\n🚀\n'})
case('file-bom', {**cm('- name: cm\n  files:\n  - b.txt\n'), 'b.txt': '\ufeffwith bom\n'})
case('file-json', {**cm('- name: cm\n  files:\n  - c.json\n'), 'c.json': '{\n  "a": 1,\n  "b": [true, null]\n}\n'})
case('file-yaml', {**cm('- name: cm\n  files:\n  - c.yaml\n'), 'c.yaml': 'a: 1\nb:\n- x\n- "y"\n'})
case('file-script', {**cm('- name: cm\n  files:\n  - run.sh\n'), 'run.sh': '#!/bin/sh\nset -e\necho "$HOME" > /tmp/x # done\n'})
case('file-long-lines', {**cm('- name: cm\n  files:\n  - l.txt\n'), 'l.txt': ' '.join(['lorem'] * 40) + '\n' + 'x' * 200 + '\n'})
case('file-binary', {**cm('- name: cm\n  files:\n  - b.bin\n'), 'b.bin': b'\xff\xfe\x00\x01'})
case('file-binary-long', {**cm('- name: cm\n  files:\n  - b.bin\n'), 'b.bin': b'\xffhello' * 30})
case('file-binary-exact-70', {**cm('- name: cm\n  files:\n  - b.bin\n'), 'b.bin': b'\xff' + b'a' * 50})
case('file-binary-52', {**cm('- name: cm\n  files:\n  - b.bin\n'), 'b.bin': b'\xff' + b'a' * 51})
case('file-binary-and-text', {**cm('- name: cm\n  files:\n  - t.txt\n  - b.bin\n'), 't.txt': 'text\n', 'b.bin': b'\x80\x81'})
case('file-latin1', {**cm('- name: cm\n  files:\n  - l.txt\n'), 'l.txt': 'caf\xe9\n'.encode('latin-1')})
case('file-binary-secret', {**sec('- name: s\n  files:\n  - b.bin\n'), 'b.bin': b'\xff\xfd'})
case('file-secret-text', {**sec('- name: s\n  files:\n  - app.ini\n'), 'app.ini': 'FOO=bar\nBAR=baz\n'})
case('file-secret-long', {**sec('- name: s\n  files:\n  - cert.pem\n'),
                          'cert.pem': '-----BEGIN CERT-----\n' + ('MIIB' * 40 + '\n') * 5 + '-----END CERT-----\n'})
case('file-and-literals-and-env', {**cm('- name: cm\n  literals:\n  - L=1\n  envs:\n  - a.env\n  files:\n  - f.txt\n'),
                                   'a.env': 'E=2\n', 'f.txt': 'F\n'})
case('err-file-missing', cm('- name: cm\n  files:\n  - nope.txt\n'))
case('err-file-outside-root', {'app/kustomization.yaml': 'configMapGenerator:\n- name: cm\n  files:\n  - ../secret.txt\n',
                               'secret.txt': 'x\n'}, sub='app')
case('file-outside-root-load-none', {'app/kustomization.yaml': 'configMapGenerator:\n- name: cm\n  files:\n  - ../shared.txt\n',
                                     'shared.txt': 'x\n'}, args='--load-restrictor LoadRestrictionsNone', sub='app')
case('err-file-directory', {**cm('- name: cm\n  files:\n  - conf\n'), 'conf/a.txt': 'a\n'})
case('err-file-double-equals', {**cm('- name: cm\n  files:\n  - a==b.txt\n'), 'b.txt': 'b\n'})
case('err-file-missing-key', {**cm('- name: cm\n  files:\n  - =b.txt\n'), 'b.txt': 'b\n'})
case('err-file-missing-path', cm('- name: cm\n  files:\n  - key=\n'))
case('err-file-duplicate-basename', {**cm('- name: cm\n  files:\n  - a/x.txt\n  - b/x.txt\n'), 'a/x.txt': '1\n', 'b/x.txt': '2\n'})
case('err-file-key-collides-literal', {**cm('- name: cm\n  literals:\n  - x.txt=1\n  files:\n  - x.txt\n'), 'x.txt': '2\n'})
case('file-key-with-dots', {**cm('- name: cm\n  files:\n  - .env.local=a\n'), 'a': 'x\n'})

# --- C. env files ------------------------------------------------------------------
def envcase(what, content, kind='configMapGenerator', field='envs'):
    body = f'- name: cm\n  {field}:\n  - app.env\n' if field == 'envs' else f'- name: cm\n  env: app.env\n'
    case(what, {'kustomization.yaml': f'{kind}:\n' + body, 'app.env': content})


envcase('env-basic', 'DB_USER=admin\nDB_PASS=qwerty\n')
envcase('env-comments', '# comment\nA=1\n  # indented comment\nB=2 # not a comment\n')
envcase('env-blank-lines', '\n\nA=1\n\n\nB=2\n\n')
envcase('env-bom', b'\xef\xbb\xbfA=1\nB=2\n')
envcase('env-bom-second-line', b'A=1\n\xef\xbb\xbfB=2\n')
envcase('env-crlf', 'A=1\r\nB=2\r\n')
envcase('env-cr-in-value', b'A=1\r\r\nB=x\ry\n')
envcase('env-no-equals', 'A\nB=\nC=3\n')
envcase('env-indented', '   A=1\n\tB=2\n')
envcase('env-spaces-around', 'A = 1\nB= 2 \n')
envcase('env-equals-in-value', 'URL=postgres://u:p@h/db?sslmode=require\nX=a=b=c\n')
envcase('env-quotes-kept', 'A="quoted"\nB=\'single\'\n')
envcase('env-empty-key-skipped', '=value\nA=1\n')
envcase('env-export-prefix', 'export A=1\n')
envcase('env-no-trailing-newline', 'A=1\nB=2')
envcase('env-unicode', 'GREETING=héllo\nCJK=日本\n')
envcase('env-special-words', 'A=true\nB=no\nC=0755\nD=~\nE=null\n')
envcase('env-singular-field', 'A=1\n', field='env')
envcase('env-secret', 'A=1\nB=secret value\n', kind='secretGenerator')
envcase('env-hash-chars', 'A=<x>&y\n')
envcase('env-long-line-stops', 'A=1\nLONG=' + 'x' * 70000 + '\nB=2\n')
envcase('env-line-just-under-limit', 'A=' + 'y' * 65000 + '\nB=2\n')
envcase('err-env-invalid-utf8', b'A=1\nB=\xff\n')
case('env-and-env-singular', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  env: b.env\n  envs:\n  - a.env\n',
                              'a.env': 'A=1\n', 'b.env': 'B=2\n'})
case('env-several-files', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  envs:\n  - a.env\n  - b.env\n',
                           'a.env': 'A=1\n', 'b.env': 'B=2\n'})
case('err-env-duplicate-across-files', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  envs:\n  - a.env\n  - b.env\n',
                                        'a.env': 'A=1\n', 'b.env': 'A=2\n'})
case('err-env-duplicate-with-literal', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  envs:\n  - a.env\n  literals:\n  - A=2\n',
                                        'a.env': 'A=1\n'})
case('err-env-missing', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  envs:\n  - nope.env\n'})
case('err-env-directory', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  envs:\n  - d\n', 'd/x': 'A=1\n'})

# --- D. options --------------------------------------------------------------------
case('opt-labels', lit('a=1', extra='') | {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    labels:\n      app: web\n      tier: "1"\n'})
case('opt-annotations', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    annotations:\n      note: hello\n      empty: ""\n'})
case('opt-immutable', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    immutable: true\n'})
case('opt-disable-hash', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    disableNameSuffixHash: true\n'})
case('opt-all-secret', {'kustomization.yaml': 'secretGenerator:\n- name: s\n  type: kubernetes.io/basic-auth\n  literals:\n  - username=u\n  - password=p\n  options:\n    labels:\n      a: b\n    annotations:\n      c: d\n    immutable: true\n    disableNameSuffixHash: true\n'})
case('genopt-labels', {'kustomization.yaml': 'generatorOptions:\n  labels:\n    global: "yes"\nconfigMapGenerator:\n- name: cm\n  literals:\n  - a=1\nsecretGenerator:\n- name: s\n  literals:\n  - a=1\n'})
case('genopt-local-wins', {'kustomization.yaml': 'generatorOptions:\n  labels:\n    k: global\n    g: only-global\n  annotations:\n    a: global\nconfigMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    labels:\n      k: local\n    annotations:\n      b: local\n'})
case('genopt-disable-hash', {'kustomization.yaml': 'generatorOptions:\n  disableNameSuffixHash: true\nconfigMapGenerator:\n- name: cm\n  literals:\n  - a=1\nsecretGenerator:\n- name: s\n  literals:\n  - a=1\n'})
case('genopt-disable-false-local-true', {'kustomization.yaml': 'generatorOptions:\n  disableNameSuffixHash: false\nconfigMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    disableNameSuffixHash: true\n- name: cm2\n  literals:\n  - a=1\n'})
case('genopt-immutable', {'kustomization.yaml': 'generatorOptions:\n  immutable: true\nconfigMapGenerator:\n- name: cm\n  literals:\n  - a=1\n'})
case('genopt-empty', {'kustomization.yaml': 'generatorOptions: {}\nconfigMapGenerator:\n- name: cm\n  literals:\n  - a=1\n'})
case('genopt-only-no-generators', {'kustomization.yaml': 'generatorOptions:\n  labels:\n    a: b\nresources:\n- cm.yaml\n',
                                   'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n'})
case('genopt-base-not-inherited', {
    'base/kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n',
    'overlay/kustomization.yaml': 'resources:\n- ../base\ngeneratorOptions:\n  disableNameSuffixHash: true\n  labels:\n    o: v\nconfigMapGenerator:\n- name: cm2\n  literals:\n  - b=2\n'}, sub='overlay')
case('opt-label-special-values', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    labels:\n      t: "true"\n      num: "0755"\n    annotations:\n      multi: "a\\nb"\n'})
case('err-opt-bad-type', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    immutable: "yes"\n'})

# --- E. secrets --------------------------------------------------------------------
case('sec-literals', lit('user=admin', 'pass=s3cr3t', kind='secretGenerator', name='s'))
case('sec-type-tls', {'kustomization.yaml': 'secretGenerator:\n- name: tls\n  type: kubernetes.io/tls\n  files:\n  - tls.crt\n  - tls.key\n',
                      'tls.crt': 'CERT\n', 'tls.key': 'KEY\n'})
case('sec-type-custom-hash', lit('a=1', kind='secretGenerator', name='s', extra='') | {
    'kustomization.yaml': 'secretGenerator:\n- name: s\n  type: my-type\n  literals:\n  - a=1\n- name: s2\n  literals:\n  - a=1\n'})
case('sec-len-51', lit('a=' + 'x' * 51, kind='secretGenerator', name='s'))
case('sec-len-52', lit('a=' + 'x' * 52, kind='secretGenerator', name='s'))
case('sec-len-105', lit('a=' + 'x' * 105, kind='secretGenerator', name='s'))
case('sec-len-1000', lit('a=' + 'abcdefghij' * 100, kind='secretGenerator', name='s'))
case('sec-empty-value', lit('a=', kind='secretGenerator', name='s'))
case('sec-unicode', lit('a=日本語🚀', kind='secretGenerator', name='s'))
case('sec-no-sources', {'kustomization.yaml': 'secretGenerator:\n- name: s\n'})
case('cm-no-sources', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n'})
case('sec-namespace', {'kustomization.yaml': 'secretGenerator:\n- name: s\n  namespace: prod\n  literals:\n  - a=1\n'})
case('cm-namespace', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  namespace: prod\n  literals:\n  - a=1\n'})
case('err-no-name', {'kustomization.yaml': 'configMapGenerator:\n- literals:\n  - a=1\n'})
case('err-sec-no-name', {'kustomization.yaml': 'secretGenerator:\n- literals:\n  - a=1\n'})
case('err-unknown-generator-field', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literal:\n  - a=1\n'})
case('err-literals-not-list', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals: a=1\n'})
case('err-type-on-configmap', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  type: x\n'})
case('gen-fields-case-insensitive', {'kustomization.yaml': 'configMapGenerator:\n- Name: cm\n  LITERALS:\n  - a=1\n'})
case('cm-and-secret-same-name', {'kustomization.yaml': 'configMapGenerator:\n- name: x\n  literals:\n  - a=1\nsecretGenerator:\n- name: x\n  literals:\n  - a=1\n'})
case('err-two-generators-same-name', {'kustomization.yaml': 'configMapGenerator:\n- name: x\n  literals:\n  - a=1\n- name: x\n  literals:\n  - b=1\n'})
case('two-generators-same-name-ns', {'kustomization.yaml': 'configMapGenerator:\n- name: x\n  literals:\n  - a=1\n- name: x\n  namespace: other\n  literals:\n  - b=1\n'})
case('same-kust-merge', {'kustomization.yaml': 'configMapGenerator:\n- name: x\n  literals:\n  - a=1\n- name: x\n  behavior: merge\n  literals:\n  - b=2\n'})
case('same-kust-replace', {'kustomization.yaml': 'configMapGenerator:\n- name: x\n  literals:\n  - a=1\n- name: x\n  behavior: replace\n  literals:\n  - b=2\n'})
case('secret-type-kept-default-opaque', {'kustomization.yaml': 'secretGenerator:\n- name: s\n  type: ""\n  literals:\n  - a=1\n'})

# --- F. behaviors across base and overlay ------------------------------------------
BASE_CM = 'configMapGenerator:\n- name: cm\n  literals:\n  - a=base\n  - b=base\n'


def ov(what, base_k, overlay_k, extra=None, args=None):
    files = {'base/kustomization.yaml': base_k, 'overlay/kustomization.yaml': 'resources:\n- ../base\n' + overlay_k}
    files.update(extra or {})
    case(what, files, args=args, sub='overlay')


ov('beh-merge', BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - b=overlay\n  - c=overlay\n')
ov('beh-replace', BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: replace\n  literals:\n  - c=overlay\n')
ov('err-beh-create-collides', BASE_CM, 'configMapGenerator:\n- name: cm\n  literals:\n  - c=overlay\n')
ov('err-beh-explicit-create-collides', BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: create\n  literals:\n  - c=overlay\n')
ov('err-beh-invalid-collides', BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: Merge\n  literals:\n  - c=overlay\n')
ov('beh-invalid-no-collision', BASE_CM, 'configMapGenerator:\n- name: other\n  behavior: bogus\n  literals:\n  - c=overlay\n')
ov('err-beh-merge-missing', BASE_CM, 'configMapGenerator:\n- name: nope\n  behavior: merge\n  literals:\n  - c=overlay\n')
ov('err-beh-replace-missing', BASE_CM, 'configMapGenerator:\n- name: nope\n  behavior: replace\n  literals:\n  - c=overlay\n')
ov('beh-merge-base-no-hash', 'configMapGenerator:\n- name: cm\n  literals:\n  - a=base\n  options:\n    disableNameSuffixHash: true\n',
   'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - b=overlay\n')
ov('beh-merge-overlay-no-hash', BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - b=overlay\n  options:\n    disableNameSuffixHash: true\n')
ov('beh-merge-into-plain-resource', 'resources:\n- cm.yaml\n',
   'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - b=overlay\n',
   {'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    base: "true"\n  annotations:\n    note: base\ndata:\n  a: base\n  n: 1\n  t: true\n'})
ov('beh-replace-plain-resource', 'resources:\n- cm.yaml\n',
   'configMapGenerator:\n- name: cm\n  behavior: replace\n  literals:\n  - b=overlay\n',
   {'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    base: "true"\ndata:\n  a: base\nimmutable: true\n'})
ov('beh-merge-labels-annotations', 'configMapGenerator:\n- name: cm\n  literals:\n  - a=base\n  options:\n    labels:\n      l1: base\n      l2: base\n    annotations:\n      a1: base\n',
   'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - b=o\n  options:\n    labels:\n      l2: overlay\n      l3: overlay\n    annotations:\n      a2: overlay\n')
ov('beh-merge-immutable', 'configMapGenerator:\n- name: cm\n  literals:\n  - a=base\n  options:\n    immutable: true\n',
   'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - b=o\n')
ov('beh-merge-base-prefix', 'namePrefix: p-\n' + BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - c=o\n')
ov('beh-merge-base-prefixed-name', 'namePrefix: p-\n' + BASE_CM, 'configMapGenerator:\n- name: p-cm\n  behavior: merge\n  literals:\n  - c=o\n')
ov('beh-merge-base-namespace', 'namespace: team\n' + BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - c=o\n')
ov('beh-merge-base-namespace-explicit', 'namespace: team\n' + BASE_CM, 'configMapGenerator:\n- name: cm\n  namespace: team\n  behavior: merge\n  literals:\n  - c=o\n')
ov('beh-merge-default-namespace', BASE_CM, 'configMapGenerator:\n- name: cm\n  namespace: default\n  behavior: merge\n  literals:\n  - c=o\n')
ov('err-beh-merge-wrong-namespace', BASE_CM, 'configMapGenerator:\n- name: cm\n  namespace: other\n  behavior: merge\n  literals:\n  - c=o\n')
ov('beh-merge-then-overlay-prefix', BASE_CM, 'namePrefix: o-\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - c=o\n')
ov('beh-merge-secret', 'secretGenerator:\n- name: s\n  literals:\n  - a=base\n  - long=' + 'z' * 80 + '\n',
   'secretGenerator:\n- name: s\n  behavior: merge\n  literals:\n  - b=overlay\n')
ov('beh-merge-secret-type', 'secretGenerator:\n- name: s\n  type: kubernetes.io/tls\n  literals:\n  - tls.crt=c\n  - tls.key=k\n',
   'secretGenerator:\n- name: s\n  behavior: merge\n  literals:\n  - extra=e\n')
ov('beh-replace-secret', 'secretGenerator:\n- name: s\n  literals:\n  - a=base\n',
   'secretGenerator:\n- name: s\n  behavior: replace\n  type: custom\n  literals:\n  - b=overlay\n')
ov('beh-merge-binary', 'configMapGenerator:\n- name: cm\n  files:\n  - b.bin\n',
   'configMapGenerator:\n- name: cm\n  behavior: merge\n  files:\n  - c.bin\n  literals:\n  - t=text\n',
   {'base/b.bin': b'\xff\x00' * 40, 'overlay/c.bin': b'\xfe'})
ov('beh-merge-overlay-wins', BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - a=overlay\n  - b=overlay\n')
ov('beh-merge-plain-secret', 'resources:\n- s.yaml\n', 'secretGenerator:\n- name: s\n  behavior: merge\n  literals:\n  - b=o\n',
   {'base/s.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ntype: Opaque\ndata:\n  a: YQ==\nstringData:\n  x: y\n'})
ov('beh-merge-two-levels', BASE_CM, 'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - c=mid\n')
case('beh-merge-three-levels', {
    'base/kustomization.yaml': BASE_CM,
    'mid/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: mid-\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - c=mid\n',
    'top/kustomization.yaml': 'resources:\n- ../mid\nnamespace: top\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - d=top\n'}, sub='top')
case('err-beh-merge-ambiguous', {
    'a/kustomization.yaml': 'namespace: default\n' + BASE_CM,
    'b/kustomization.yaml': 'namePrefix: x-\nconfigMapGenerator:\n- name: cm\n  literals:\n  - z=1\n',
    'top/kustomization.yaml': 'resources:\n- ../a\n- ../b\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - d=top\n'}, sub='top')
case('err-beh-merge-same-kust-resource-missing', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - a=1\n'})
case('beh-merge-same-kust-resource', {'kustomization.yaml': 'resources:\n- cm.yaml\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - a=1\n',
                                      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  b: "2"\n'})
ov('beh-merge-generator-options-overlay', BASE_CM, 'generatorOptions:\n  labels:\n    g: o\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - c=o\n')

# --- G. name references to generated objects ---------------------------------------
DEP = d('''
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: c
        image: nginx
        env:
        - name: A
          valueFrom:
            configMapKeyRef:
              name: cm
              key: a
        - name: S
          valueFrom:
            secretKeyRef:
              name: s
              key: a
        envFrom:
        - configMapRef:
            name: cm
        - secretRef:
            name: s
      imagePullSecrets:
      - name: s
      volumes:
      - name: v1
        configMap:
          name: cm
      - name: v2
        secret:
          secretName: s
      - name: v3
        projected:
          sources:
          - configMap:
              name: cm
          - secret:
              name: s
''')
GENS = 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\nsecretGenerator:\n- name: s\n  literals:\n  - a=1\n'
case('ref-deployment-all', {'kustomization.yaml': 'resources:\n- dep.yaml\n' + GENS, 'dep.yaml': DEP})
case('ref-deployment-prefix', {'kustomization.yaml': 'namePrefix: p-\nresources:\n- dep.yaml\n' + GENS, 'dep.yaml': DEP})
case('ref-deployment-suffix', {'kustomization.yaml': 'nameSuffix: -s\nresources:\n- dep.yaml\n' + GENS, 'dep.yaml': DEP})
case('ref-deployment-namespace', {'kustomization.yaml': 'namespace: prod\nresources:\n- dep.yaml\n' + GENS, 'dep.yaml': DEP})
case('ref-deployment-no-hash', {'kustomization.yaml': 'generatorOptions:\n  disableNameSuffixHash: true\nresources:\n- dep.yaml\n' + GENS, 'dep.yaml': DEP})
case('ref-overlay-prefix', {'base/kustomization.yaml': 'resources:\n- dep.yaml\n' + GENS, 'base/dep.yaml': DEP,
                            'overlay/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: prod-\nnamespace: prod\n'}, sub='overlay')
case('ref-overlay-merge', {'base/kustomization.yaml': 'resources:\n- dep.yaml\n' + GENS, 'base/dep.yaml': DEP,
                           'overlay/kustomization.yaml': 'resources:\n- ../base\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals:\n  - b=2\n'}, sub='overlay')
case('ref-overlay-generator-base-deployment', {'base/kustomization.yaml': 'resources:\n- dep.yaml\n', 'base/dep.yaml': DEP,
                                               'overlay/kustomization.yaml': 'resources:\n- ../base\n' + GENS}, sub='overlay')
case('ref-generator-ns-mismatch', {'kustomization.yaml': 'resources:\n- dep.yaml\nconfigMapGenerator:\n- name: cm\n  namespace: other\n  literals:\n  - a=1\n',
                                   'dep.yaml': DEP})
case('ref-cronjob-statefulset-pod', {'kustomization.yaml': 'resources:\n- w.yaml\n' + GENS, 'w.yaml': d('''
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cj
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: c
            image: busybox
            envFrom:
            - configMapRef:
                name: cm
          volumes:
          - name: s
            secret:
              secretName: s
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: st
spec:
  serviceName: st
  template:
    spec:
      containers:
      - name: c
        image: busybox
      volumes:
      - name: c
        configMap:
          name: cm
---
apiVersion: v1
kind: Pod
metadata:
  name: pod
spec:
  containers:
  - name: c
    image: busybox
    env:
    - name: X
      valueFrom:
        secretKeyRef:
          name: s
          key: a
''')})
case('ref-ingress-tls-sa', {'kustomization.yaml': 'resources:\n- r.yaml\nsecretGenerator:\n- name: tls\n  type: kubernetes.io/tls\n  literals:\n  - tls.crt=c\n  - tls.key=k\n- name: token\n  literals:\n  - t=1\n',
                            'r.yaml': d('''
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ing
spec:
  tls:
  - secretName: tls
    hosts:
    - example.com
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sa
secrets:
- name: token
imagePullSecrets:
- name: token
''')})
case('ref-unrelated-name-untouched', {'kustomization.yaml': 'resources:\n- dep.yaml\nconfigMapGenerator:\n- name: other\n  literals:\n  - a=1\n', 'dep.yaml': DEP})
case('ref-user-needs-hash-annotation', {'kustomization.yaml': 'resources:\n- r.yaml\n', 'r.yaml': d('''
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm
  annotations:
    internal.config.kubernetes.io/needsHashSuffix: enabled
    keep: me
data:
  a: "1"
---
apiVersion: v1
kind: Secret
metadata:
  name: s
  annotations:
    internal.config.kubernetes.io/needsHashSuffix: enabled
type: kubernetes.io/tls
data:
  a: YQ==
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: off
  annotations:
    internal.config.kubernetes.io/needsHashSuffix: disabled
''') + '---\n' + DEP})
case('ref-two-namespaces-same-name', {
    'a/kustomization.yaml': 'namespace: a\nresources:\n- ../dep.yaml\n' + GENS.replace('literals:\n  - a=1', 'literals:\n  - a=ns-a'),
    'b/kustomization.yaml': 'namespace: b\nresources:\n- ../dep.yaml\n' + GENS.replace('literals:\n  - a=1', 'literals:\n  - a=ns-b'),
    'top/kustomization.yaml': 'resources:\n- ../a\n- ../b\n', 'dep.yaml': DEP}, sub='top', args='--load-restrictor LoadRestrictionsNone')

# --- H. pipeline -------------------------------------------------------------------
P_GEN = 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n'
case('pipe-prefix-suffix', {'kustomization.yaml': 'namePrefix: pre-\nnameSuffix: -suf\n' + P_GEN})
case('pipe-namespace', {'kustomization.yaml': 'namespace: ns1\n' + P_GEN})
case('pipe-namespace-overrides-generator-ns', {'kustomization.yaml': 'namespace: ns1\nconfigMapGenerator:\n- name: cm\n  namespace: gen-ns\n  literals:\n  - a=1\n'})
case('pipe-commonlabels', {'kustomization.yaml': 'commonLabels:\n  app: web\n' + P_GEN})
case('pipe-labels', {'kustomization.yaml': 'labels:\n- pairs:\n    team: a\n' + P_GEN})
case('pipe-commonannotations', {'kustomization.yaml': 'commonAnnotations:\n  owner: me\n' + P_GEN})
case('pipe-order-legacy', {'kustomization.yaml': 'resources:\n- r.yaml\n' + GENS,
                           'r.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: zzz\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aaa\n'})
case('pipe-order-fifo', {'kustomization.yaml': 'sortOptions:\n  order: fifo\nresources:\n- r.yaml\n' + GENS,
                         'r.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: zzz\n'})
case('pipe-order-reorder-none', {'kustomization.yaml': 'resources:\n- r.yaml\nsecretGenerator:\n- name: s\n  literals:\n  - a=1\nconfigMapGenerator:\n- name: b\n  literals:\n  - a=1\n- name: a\n  literals:\n  - a=1\n',
                                 'r.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n'}, args='--reorder none')
case('pipe-base-generator-overlay-prefix', {'base/kustomization.yaml': P_GEN,
                                            'overlay/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: o-\ncommonLabels:\n  env: prod\n'}, sub='overlay')
case('pipe-all-transformers', {'kustomization.yaml': 'namePrefix: p-\nnamespace: nsx\ncommonLabels:\n  a: b\ncommonAnnotations:\n  c: d\nresources:\n- dep.yaml\n' + GENS, 'dep.yaml': DEP})
case('pipe-local-config-generated', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  options:\n    annotations:\n      config.kubernetes.io/local-config: "true"\n- name: kept\n  literals:\n  - a=1\n'})
case('pipe-two-bases-generators', {'a/kustomization.yaml': 'namePrefix: a-\n' + P_GEN, 'b/kustomization.yaml': 'namePrefix: b-\n' + P_GEN,
                                   'top/kustomization.yaml': 'resources:\n- ../a\n- ../b\n'}, sub='top')
case('pipe-err-two-bases-same-generated', {'a/kustomization.yaml': P_GEN, 'b/kustomization.yaml': P_GEN,
                                           'top/kustomization.yaml': 'resources:\n- ../a\n- ../b\n'}, sub='top')
case('pipe-images-replicas-untouched', {'kustomization.yaml': 'images:\n- name: nginx\n  newTag: "1.2"\nreplicas:\n- name: web\n  count: 2\nresources:\n- dep.yaml\n' + GENS, 'dep.yaml': DEP})

# --- I. large and misc -------------------------------------------------------------
case('large-1000-literals', lit(*[f'k{i:04d}=v{i}' for i in range(1000)]))
case('large-1000-env', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  envs:\n  - big.env\n',
                        'big.env': ''.join(f'KEY_{i}=value-{i}\n' for i in range(1000))})
case('large-1000-secret', lit(*[f'k{i:04d}=secret-{i}-' + 'x' * (i % 90) for i in range(1000)], kind='secretGenerator', name='s'))
case('large-many-generators', {'kustomization.yaml': 'configMapGenerator:\n' + ''.join(
    f'- name: cm{i}\n  literals:\n  - k={i}\n' for i in range(200))})
case('large-file-100k', {**cm('- name: cm\n  files:\n  - big.txt\n'), 'big.txt': ''.join(f'line {i} ' + 'abc ' * 10 + '\n' for i in range(2000))})
case('misc-empty-generator-list', {'kustomization.yaml': 'configMapGenerator: []\nsecretGenerator: []\nresources:\n- cm.yaml\n',
                                   'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'})
case('misc-generator-only-kustomization', {'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n' + P_GEN})
case('misc-flow-style', {'kustomization.yaml': 'configMapGenerator: [{name: cm, literals: [a=1, "b=two words"]}]\n'})
case('misc-literal-yaml-number', {'kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals:\n  - a=1\n  - 5\n'})
case('misc-name-special', {'kustomization.yaml': 'configMapGenerator:\n- name: "true"\n  literals:\n  - a=1\n- name: my.config-v2\n  literals:\n  - a=1\n'})
case('misc-build-annotations-stripped', {'kustomization.yaml': 'resources:\n- cm.yaml\n',
                                         'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    config.kubernetes.io/index: "3"\n    internal.config.kubernetes.io/generatorBehavior: merge\n    keep: me\n'})
case('component-less-kind-component-generator', {'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n' + P_GEN,
                                                  'top/kustomization.yaml': 'resources:\n- ../comp\n'}, sub='top')


def main():
    for name in os.listdir(root):
        if name.startswith('gen-'):
            shutil.rmtree(os.path.join(root, name))
    seen = set()
    for i, (what, files, args, sub) in enumerate(cases):
        assert what not in seen, what
        seen.add(what)
        cdir = os.path.join(root, f'gen-{i:03d}-{what}')
        os.makedirs(cdir)
        for path, content in files.items():
            p = os.path.join(cdir, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            mode = 'wb' if isinstance(content, bytes) else 'w'
            with open(p, mode, **({} if mode == 'wb' else {'encoding': 'utf-8', 'newline': ''})) as f:
                f.write(content)
        if args:
            with open(os.path.join(cdir, 'args'), 'w') as f:
                f.write(args + '\n')
        if sub:
            with open(os.path.join(cdir, 'root'), 'w') as f:
                f.write(sub + '\n')
    print(f'{len(cases)} generator cases')


main()
