# Writes the inputs of the nameReference fixtures (tests/fixtures/kustomize/6NN-*).
# Expected outputs come from the real kustomize: bash scripts/update-goldens.sh
import os, textwrap
root=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'kustomize')
cases=[]
def case(name, overlay, base=None, base_k=None, files=None):
    cases.append((name, overlay, base, base_k, files or {}))

def d(s): return textwrap.dedent(s).lstrip()
DEP=lambda spec: d(f"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
{textwrap.indent(d(spec),'      ')}""")
CM="apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: v\n"
SEC="apiVersion: v1\nkind: Secret\nmetadata:\n  name: sec\ntype: Opaque\n"
SVC="apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  ports:\n  - port: 80\n"
SA="apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n"
PVC="apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: claim\nspec:\n  storageClassName: fast\n  volumeName: vol\n"
PV="apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: vol\nspec:\n  storageClassName: fast\n"
SC="apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: x\n"
PC="apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 100\n"
IC="apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
ROLE="apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: reader\n"
CROLE="apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n"
def RB(kind='Role', subjects=None, crb=False, name='rb'):
    k='ClusterRoleBinding' if crb else 'RoleBinding'
    s=f"apiVersion: rbac.authorization.k8s.io/v1\nkind: {k}\nmetadata:\n  name: {name}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {kind}\n  name: reader\n"
    if subjects: s+="subjects:\n"+subjects
    return s
def docs(*xs): return "---\n".join(xs)

depcm=DEP("""
containers:
- name: c
  image: nginx
  envFrom:
  - configMapRef:
      name: cm
  env:
  - name: K
    valueFrom:
      configMapKeyRef:
        name: cm
        key: k
volumes:
- name: v
  configMap:
    name: cm
- name: p
  projected:
    sources:
    - configMap:
        name: cm
""")
depsec=DEP("""
imagePullSecrets:
- name: sec
containers:
- name: c
  image: nginx
  env:
  - name: K
    valueFrom:
      secretKeyRef:
        name: sec
        key: k
  envFrom:
  - secretRef:
      name: sec
volumes:
- name: v
  secret:
    secretName: sec
""")
pod_cm="apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod\nspec:\n  containers:\n  - name: c\n    image: x\n    envFrom:\n    - configMapRef:\n        name: cm\n  volumes:\n  - name: v\n    configMap:\n      name: cm\n  - name: c2\n    persistentVolumeClaim:\n      claimName: claim\n"
cron="apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: job\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: c\n            image: x\n            envFrom:\n            - configMapRef:\n                name: cm\n          volumes:\n          - name: v\n            configMap:\n              name: cm\n"
overlays={'prefix':"namePrefix: p-\n",'suffix':"nameSuffix: -s\n",'ns':"namespace: prod\n",'all':"namespace: prod\nnamePrefix: p-\nnameSuffix: -s\n"}
def std(n, what, base, ovs=('prefix','suffix','ns','all')):
    for o in ovs:
        case(f"{n}-nameref-{what}-{o}", overlays[o]+"resources:\n- base\n", base)
i=[600]
def nid():
    i[0]+=1; return i[0]
std(nid(),'configmap-deployment', docs(CM, depcm))
std(nid(),'secret-deployment', docs(SEC, depsec))
std(nid(),'configmap-pod-pvc', docs(CM, PVC, pod_cm), ('prefix','all'))
std(nid(),'configmap-cronjob', docs(CM, cron), ('prefix','all'))
sa_sec="apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\nsecrets:\n- name: sec\nimagePullSecrets:\n- name: sec\n"
std(nid(),'secret-serviceaccount', docs(SEC, sa_sec), ('suffix','all'))
ing="apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing\n  annotations:\n    nginx.ingress.kubernetes.io/auth-secret: sec\n    ingress.kubernetes.io/auth-secret: sec\nspec:\n  ingressClassName: nginx\n  tls:\n  - secretName: sec\n  defaultBackend:\n    service:\n      name: svc\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: svc\n            port:\n              number: 80\n"
std(nid(),'ingress-secret-service-class', docs(SEC, SVC, IC, ing), ('prefix','suffix','all'))
sts="apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: svc\n  template:\n    spec:\n      serviceAccountName: sa\n      containers:\n      - name: c\n        image: x\n"
std(nid(),'statefulset-service-sa', docs(SVC, SA, sts), ('prefix','all'))
apisvc="apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1.x.io\nspec:\n  group: x.io\n  version: v1\n  service:\n    name: svc\n    namespace: default\n"
std(nid(),'apiservice-service', docs(SVC, apisvc), ('prefix','ns','all'))
depsa=DEP("serviceAccountName: sa\ncontainers:\n- name: c\n  image: x\n")
std(nid(),'serviceaccount-deployment', docs(SA, depsa), ('prefix','ns'))
std(nid(),'rolebinding-subjects', docs(SA, ROLE, RB('Role',"- kind: ServiceAccount\n  name: sa\n- kind: ServiceAccount\n  name: sa\n  namespace: default\n- kind: User\n  name: sa\n")))
std(nid(),'clusterrolebinding-subjects', docs(SA, CROLE, RB('ClusterRole',"- kind: ServiceAccount\n  name: sa\n  namespace: default\n",crb=True)), ('prefix','ns','all'))
std(nid(),'roleref-role-vs-clusterrole', docs(ROLE, CROLE, RB('Role',name='rb-role'), RB('ClusterRole',name='rb-cluster')), ('prefix','suffix','all'))
std(nid(),'roleref-clusterrole', docs(CROLE, RB('ClusterRole',crb=True)), ('suffix','all'))
depvol=DEP("priorityClassName: high\ncontainers:\n- name: c\n  image: x\nvolumes:\n- name: v\n  persistentVolumeClaim:\n    claimName: claim\n")
std(nid(),'pvc-pv-storageclass-priority', docs(PVC, PV, SC, PC, depvol), ('prefix','suffix','all'))
def hpa(kind, av, name):
    return f"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: hpa-{name}\nspec:\n  maxReplicas: 3\n  scaleTargetRef:\n    apiVersion: {av}\n    kind: {kind}\n    name: {name}\n"
wl="apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dep\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: sts\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\n---\napiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\n"
std(nid(),'hpa-scaletargetref', docs(wl, hpa('Deployment','apps/v1','dep'), hpa('StatefulSet','apps/v1','sts'), hpa('ReplicaSet','apps/v1','rs'), hpa('ReplicationController','v1','rc')), ('prefix','suffix','all'))
vap="apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: pol\nspec:\n  validations: []\n---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: bind\nspec:\n  policyName: pol\n"
std(nid(),'validatingadmissionpolicy', vap, ('prefix','suffix'))
crole_rn="apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: cr\nrules:\n- apiGroups: ['']\n  resources: [configmaps, secrets]\n  resourceNames: [cm, sec]\n"
std(nid(),'clusterrole-resourcenames', docs(CM, SEC, crole_rn), ('prefix','all'))
# multi-base cases
def multi(name, files, overlay):
    case(name, overlay, None, None, files)
n=nid()
multi(f"{n}-nameref-two-bases-prefix-tiebreak", {
 'a/kustomization.yaml':"namePrefix: a-\nresources:\n- r.yaml\n",'a/r.yaml':docs(CM, depcm),
 'b/kustomization.yaml':"namePrefix: b-\nnamespace: other\nresources:\n- r.yaml\n",'b/r.yaml':docs(CM, depcm)},
 "resources:\n- a\n- b\n")
n=nid()
multi(f"{n}-nameref-cross-namespace-not-fixed", {
 'a/kustomization.yaml':"namespace: a\nnamePrefix: a-\nresources:\n- cm.yaml\n",'a/cm.yaml':CM,
 'b/kustomization.yaml':"namespace: b\nresources:\n- dep.yaml\n",'b/dep.yaml':depcm},
 "resources:\n- a\n- b\n")
n=nid()
multi(f"{n}-nameref-overlay-referrer-no-history", {
 'a/kustomization.yaml':"nameSuffix: -x\nresources:\n- cm.yaml\n",'a/cm.yaml':CM,
 'b/kustomization.yaml':"nameSuffix: -y\nnamespace: other\nresources:\n- cm.yaml\n",'b/cm.yaml':CM,
 'dep.yaml':depcm},
 "namePrefix: q-\nresources:\n- a\n- b\n- dep.yaml\n")
n=nid()
multi(f"{n}-nameref-ambiguous-clusterrole", {
 'a/kustomization.yaml':"namespace: a\nnameSuffix: -a\nresources:\n- cm.yaml\n",'a/cm.yaml':CM,
 'b/kustomization.yaml':"namespace: b\nnameSuffix: -b\nresources:\n- cm.yaml\n",'b/cm.yaml':CM,
 'cr.yaml':crole_rn},
 "resources:\n- a\n- b\n- cr.yaml\n")
n=nid()
multi(f"{n}-nameref-ambiguous-same-history", {
 'a/kustomization.yaml':"namespace: a\nresources:\n- cm.yaml\n",'a/cm.yaml':CM,
 'b/kustomization.yaml':"namespace: b\nresources:\n- cm2.yaml\n",'b/cm2.yaml':CM.replace('name: cm','name: cm2'),
 'c/kustomization.yaml':"namePrefix: p-\nresources:\n- ../a\n- ../b\n",
 'cr.yaml':crole_rn.replace('[cm, sec]','[cm, p-cm]')},
 "nameSuffix: -s\nresources:\n- c\n- cr.yaml\n")
n=nid()
multi(f"{n}-nameref-rolebinding-sa-other-namespace", {
 'sa/kustomization.yaml':"namespace: sys\nnamePrefix: x-\nresources:\n- sa.yaml\n",'sa/sa.yaml':SA,
 'rb/kustomization.yaml':"namespace: app\nresources:\n- rb.yaml\n",'rb/rb.yaml':docs(ROLE, RB('Role',"- kind: ServiceAccount\n  name: sa\n  namespace: sys\n"))},
 "resources:\n- sa\n- rb\n")
n=nid()
multi(f"{n}-nameref-nested-prefixes", {
 'base/kustomization.yaml':"namePrefix: in-\nresources:\n- r.yaml\n",'base/r.yaml':docs(CM, SEC, depcm),
 'mid/kustomization.yaml':"nameSuffix: -mid\nnamespace: m\nresources:\n- ../base\n"},
 "namePrefix: out-\nresources:\n- mid\n")
n=nid()
multi(f"{n}-nameref-missing-name-in-subject", {'r.yaml':docs(SA, ROLE, RB('Role',"- kind: ServiceAccount\n  namespace: default\n"))},
 "namePrefix: p-\nresources:\n- r.yaml\n")
n=nid()
multi(f"{n}-nameref-referrer-in-overlay", {
 'base/kustomization.yaml':"namePrefix: b-\nresources:\n- r.yaml\n",'base/r.yaml':docs(CM, SEC, SA),
 'dep.yaml':depcm},
 "resources:\n- base\n- dep.yaml\n")
n=nid()
multi(f"{n}-nameref-local-config-target", {
 'r.yaml':CM.replace("metadata:\n","metadata:\n  annotations:\n    config.kubernetes.io/local-config: 'true'\n")+"---\n"+depcm},
 "namePrefix: p-\nresources:\n- r.yaml\n")

for name, overlay, base, base_k, files in cases:
    dd=os.path.join(root,name)
    os.makedirs(dd, exist_ok=True)
    open(os.path.join(dd,'kustomization.yaml'),'w').write(overlay)
    if base is not None:
        os.makedirs(os.path.join(dd,'base'),exist_ok=True)
        open(os.path.join(dd,'base/kustomization.yaml'),'w').write(base_k or "resources:\n- r.yaml\n")
        open(os.path.join(dd,'base/r.yaml'),'w').write(base)
    for f,t in files.items():
        os.makedirs(os.path.dirname(os.path.join(dd,f)),exist_ok=True)
        open(os.path.join(dd,f),'w').write(t)
print(len(cases))
