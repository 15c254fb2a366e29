/**
 * The differential corpus, as code: each case is a small kustomization folder (files by path,
 * the case's own `kustomization.yaml` at its root). `write-kustomize-cases.ts` writes them to
 * test/fixtures/kustomize-diff/<case>/, where both renderers read them. Families of cases are
 * generated where one feature has many shapes (every workload kind, every patch form...).
 */

export type CaseFiles = Record<string, string | Uint8Array>;
export interface KustomizeCase {
  id: string;
  files: CaseFiles;
}

const cases: KustomizeCase[] = [];
function add(id: string, files: CaseFiles): void {
  if (cases.some((c) => c.id === id)) throw new Error(`duplicate case ${id}`);
  cases.push({ id, files });
}

// ---------- objects ----------
const deployment = (name = 'web', extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        ports:
        - containerPort: 80
${extra}`;

const service = (name = 'web') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: 80
`;

const configMap = (name = 'settings', data = 'a: "1"') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  ${data}
`;

const WORKLOADS: Record<string, string> = {
  Deployment: deployment(),
  StatefulSet: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
`,
  StatefulSetWithClaims: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: postgres:16
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests: {storage: 1Gi}
`,
  DaemonSet: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      containers:
      - name: agent
        image: busybox:1.36
`,
  ReplicaSet: `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: rs
spec:
  selector:
    matchLabels: {app: rs}
  template:
    metadata:
      labels: {app: rs}
    spec:
      containers:
      - name: app
        image: busybox:1.36
`,
  Job: `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox:1.36
`,
  CronJob: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: nightly
            image: busybox:1.36
`,
  Pod: `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
  - name: debug
    image: busybox:1.36
`,
  ReplicationController: `apiVersion: v1
kind: ReplicationController
metadata:
  name: rc
spec:
  selector: {app: rc}
  template:
    metadata:
      labels: {app: rc}
    spec:
      containers:
      - name: app
        image: busybox:1.36
`,
  Service: service(),
  PodDisruptionBudget: `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
`,
  NetworkPolicy: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
  - from:
    - podSelector:
        matchLabels: {role: frontend}
  egress:
  - to:
    - podSelector:
        matchLabels: {role: db}
`,
  Ingress: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port: {number: 80}
`,
  ConfigMap: configMap(),
  Namespace: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`,
  ClusterRole: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: reader
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get]
`,
  CustomResourceDefinition: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object}
`,
  HorizontalPodAutoscaler: `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
`,
  CustomResource: `apiVersion: example.com/v1
kind: Widget
metadata:
  name: gadget
spec:
  size: 3
  selector:
    matchLabels: {app: web}
`,
};

// ---------- metadata transformers on every kind ----------
const TRANSFORMS: Record<string, string> = {
  namespace: 'namespace: shop\n',
  'name-prefix': 'namePrefix: pre-\n',
  'name-suffix': 'nameSuffix: -suf\n',
  'prefix-and-suffix': 'namePrefix: a-\nnameSuffix: -z\n',
  'common-labels': 'commonLabels:\n  team: payments\n',
  'common-annotations': 'commonAnnotations:\n  owner: payments\n',
  'labels-plain': 'labels:\n- pairs:\n    team: payments\n',
  'labels-templates': 'labels:\n- pairs:\n    team: payments\n  includeTemplates: true\n',
  'labels-selectors': 'labels:\n- pairs:\n    team: payments\n  includeSelectors: true\n',
  'labels-selectors-no-templates':
    'labels:\n- pairs:\n    team: payments\n  includeSelectors: true\n  includeTemplates: false\n',
};
for (const [kind, object] of Object.entries(WORKLOADS)) {
  for (const [transform, body] of Object.entries(TRANSFORMS)) {
    add(`meta-${transform}-${kind.toLowerCase()}`, {
      'kustomization.yaml': `resources:\n- object.yaml\n${body}`,
      'object.yaml': object,
    });
  }
}

// ---------- namespace specifics ----------
add('namespace-overrides-existing', {
  'kustomization.yaml': 'namespace: shop\nresources: [cm.yaml]\n',
  'cm.yaml': configMap('a').replace('name: a', 'name: a\n  namespace: other'),
});
add('namespace-rolebinding-subjects', {
  'kustomization.yaml': 'namespace: shop\nresources: [rb.yaml]\n',
  'rb.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
- {kind: ServiceAccount, name: default}
- {kind: ServiceAccount, name: app, namespace: elsewhere}
- {kind: User, name: jane}
`,
});
add('namespace-clusterrolebinding-subjects', {
  'kustomization.yaml': 'namespace: shop\nresources: [crb.yaml, sa.yaml]\n',
  'crb.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: default, namespace: kube-system}
- {kind: ServiceAccount, name: app, namespace: old}
`,
  'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: old\n',
});
add('namespace-webhook-service', {
  'kustomization.yaml': 'namespace: shop\nresources: [hook.yaml, svc.yaml]\n',
  'hook.yaml': `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: hook
webhooks:
- name: hook.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig:
    service: {name: hook, namespace: system, path: /validate}
`,
  'svc.yaml': service('hook').replace('name: hook', 'name: hook\n  namespace: system'),
});
add('namespace-cluster-scoped-kinds', {
  'kustomization.yaml': 'namespace: shop\nresources: [all.yaml]\n',
  'all.yaml': [
    WORKLOADS.Namespace,
    WORKLOADS.ClusterRole,
    WORKLOADS.CustomResourceDefinition,
    'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: x\n',
    'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 1000\n',
  ].join('---\n'),
});
add('namespace-unknown-custom-kind', {
  'kustomization.yaml': 'namespace: shop\nresources: [cr.yaml]\n',
  'cr.yaml': WORKLOADS.CustomResource!,
});

// ---------- name references after prefix/suffix/hash ----------
const referrers: Record<string, { referred: string; referrer: string }> = {
  'configmap-envfrom': {
    referred: configMap('cfg'),
    referrer: deployment('web', '        envFrom:\n        - configMapRef:\n            name: cfg\n'),
  },
  'configmap-volume': {
    referred: configMap('cfg'),
    referrer: deployment('web', '      volumes:\n      - name: c\n        configMap:\n          name: cfg\n'),
  },
  'configmap-env-keyref': {
    referred: configMap('cfg'),
    referrer: deployment(
      'web',
      '        env:\n        - name: A\n          valueFrom:\n            configMapKeyRef: {name: cfg, key: a}\n',
    ),
  },
  'configmap-projected': {
    referred: configMap('cfg'),
    referrer: deployment(
      'web',
      '      volumes:\n      - name: p\n        projected:\n          sources:\n          - configMap: {name: cfg}\n',
    ),
  },
  'secret-volume': {
    referred: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\ndata:\n  a: YQ==\n',
    referrer: deployment(
      'web',
      '      volumes:\n      - name: s\n        secret:\n          secretName: creds\n',
    ),
  },
  'secret-image-pull': {
    referred: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\ntype: Opaque\n',
    referrer: deployment('web', '      imagePullSecrets:\n      - name: pull\n'),
  },
  'secret-ingress-tls': {
    referred: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ntype: Opaque\n',
    referrer: `${WORKLOADS.Ingress!}  tls:\n  - hosts: [web.example.com]\n    secretName: tls\n`,
  },
  'service-ingress': { referred: service('web'), referrer: WORKLOADS.Ingress! },
  'service-statefulset': { referred: service('db'), referrer: WORKLOADS.StatefulSet! },
  'serviceaccount-pod': {
    referred: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n',
    referrer: deployment('web', '      serviceAccountName: runner\n'),
  },
  'serviceaccount-rolebinding': {
    referred: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n',
    referrer: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects:
- {kind: ServiceAccount, name: runner}
`,
  },
  'role-rolebinding': {
    referred: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules: []\n',
    referrer: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: rb
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: []
`,
  },
  'clusterrole-binding': {
    referred: WORKLOADS.ClusterRole!,
    referrer: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: crb
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: []
`,
  },
  'pvc-pod': {
    referred:
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {storage: 1Gi}\n',
    referrer: deployment(
      'web',
      '      volumes:\n      - name: d\n        persistentVolumeClaim:\n          claimName: data\n',
    ),
  },
  'deployment-hpa': { referred: deployment(), referrer: WORKLOADS.HorizontalPodAutoscaler! },
  'configmap-clusterrole-resourcenames': {
    referred: configMap('cfg'),
    referrer: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cfg-reader
rules:
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [cfg]
  verbs: [get]
`,
  },
  'secret-role-resourcenames': {
    referred: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ntype: Opaque\n',
    referrer: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: creds-reader
rules:
- apiGroups: [""]
  resources: [secrets]
  resourceNames: [creds]
  verbs: [get]
`,
  },
  'service-apiservice': {
    referred: service('metrics'),
    referrer: `apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata:
  name: v1beta1.metrics.k8s.io
spec:
  group: metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  service: {name: metrics, namespace: default}
`,
  },
  'service-webhook': {
    referred: service('hook'),
    referrer: `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: hook
webhooks:
- name: hook.example.com
  admissionReviewVersions: [v1]
  sideEffects: None
  clientConfig:
    service: {name: hook, namespace: default}
`,
  },
  'service-crd-conversion': {
    referred: service('conv'),
    referrer: `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  conversion:
    strategy: Webhook
    webhook:
      conversionReviewVersions: [v1]
      clientConfig:
        service: {name: conv, namespace: default, path: /convert}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object}
`,
  },
  'vap-binding': {
    referred: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas
spec:
  validations:
  - expression: "object.spec.replicas <= 5"
`,
    referrer: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replicas-binding
spec:
  policyName: replicas
  validationActions: [Deny]
`,
  },
  'storageclass-pvc': {
    referred: 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: x\n',
    referrer:
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  storageClassName: fast\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {storage: 1Gi}\n',
  },
  'priorityclass-pod': {
    referred: 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: high\nvalue: 1000\n',
    referrer: deployment('web', '      priorityClassName: high\n'),
  },
  'ingressclass-ingress': {
    referred:
      'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: k8s.io/ingress-nginx\n',
    referrer: WORKLOADS.Ingress!.replace('spec:\n  rules', 'spec:\n  ingressClassName: nginx\n  rules'),
  },
  'pv-pvc': {
    referred:
      'apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: vol\nspec:\n  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /tmp}\n',
    referrer:
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  volumeName: vol\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests: {storage: 1Gi}\n',
  },
};
for (const [name, { referred, referrer }] of Object.entries(referrers)) {
  for (const [how, body] of Object.entries({
    prefix: 'namePrefix: p-\n',
    suffix: 'nameSuffix: -s\n',
    namespace: 'namespace: shop\n',
  })) {
    add(`ref-${how}-${name}`, {
      'kustomization.yaml': `resources:\n- referred.yaml\n- referrer.yaml\n${body}`,
      'referred.yaml': referred,
      'referrer.yaml': referrer,
    });
  }
}
add('ref-prefix-base-and-overlay', {
  'kustomization.yaml': 'namePrefix: prod-\nresources:\n- base\n',
  'base/kustomization.yaml': 'namePrefix: shop-\nresources:\n- cm.yaml\n- deploy.yaml\n',
  'base/cm.yaml': configMap('cfg'),
  'base/deploy.yaml': deployment('web', '        envFrom:\n        - configMapRef:\n            name: cfg\n'),
});
add('ref-two-bases-same-name', {
  'kustomization.yaml': 'resources:\n- a\n- b\n',
  'a/kustomization.yaml': 'namePrefix: a-\nresources:\n- ../common\n',
  'b/kustomization.yaml': 'namePrefix: b-\nresources:\n- ../common\n',
  'common/kustomization.yaml': 'resources:\n- cm.yaml\n- deploy.yaml\n',
  'common/cm.yaml': configMap('cfg'),
  'common/deploy.yaml': deployment(
    'web',
    '        envFrom:\n        - configMapRef:\n            name: cfg\n',
  ),
});

// ---------- generators ----------
const generatorBodies: Record<string, { k: string; files?: CaseFiles }> = {
  'cm-literals': { k: 'configMapGenerator:\n- name: cfg\n  literals:\n  - A=1\n  - B=two\n' },
  'cm-literal-quoted': {
    k: 'configMapGenerator:\n- name: cfg\n  literals:\n  - A="quoted value"\n  - B=\'single\'\n',
  },
  'cm-literal-equals': { k: 'configMapGenerator:\n- name: cfg\n  literals:\n  - URL=http://x?a=b\n' },
  'cm-literal-empty': { k: 'configMapGenerator:\n- name: cfg\n  literals:\n  - EMPTY=\n' },
  'cm-literal-multiline': {
    k: 'configMapGenerator:\n- name: cfg\n  literals:\n  - "TEXT=line one\\nline two"\n',
  },
  'cm-literal-unicode': { k: 'configMapGenerator:\n- name: cfg\n  literals:\n  - GREETING=grüß dich <&>\n' },
  'cm-empty': { k: 'configMapGenerator:\n- name: cfg\n' },
  'cm-files': {
    k: 'configMapGenerator:\n- name: cfg\n  files:\n  - app.properties\n  - conf/nginx.conf\n',
    files: { 'app.properties': 'a=1\nb=2\n', 'conf/nginx.conf': 'server {\n  listen 80;\n}\n' },
  },
  'cm-files-key': {
    k: 'configMapGenerator:\n- name: cfg\n  files:\n  - custom.key=app.properties\n',
    files: { 'app.properties': 'a=1\n' },
  },
  'cm-files-binary': {
    k: 'configMapGenerator:\n- name: cfg\n  files:\n  - logo.bin\n',
    files: { 'logo.bin': new Uint8Array([0, 1, 2, 255, 254, 10]) },
  },
  'cm-envs': {
    k: 'configMapGenerator:\n- name: cfg\n  envs:\n  - app.env\n',
    files: { 'app.env': '# comment\nA=1\nB = two\n\nC="quoted"\nD=x=y\n' },
  },
  'cm-env-legacy': {
    k: 'configMapGenerator:\n- name: cfg\n  env: app.env\n',
    files: { 'app.env': 'A=1\n' },
  },
  'cm-envs-two': {
    k: 'configMapGenerator:\n- name: cfg\n  envs:\n  - a.env\n  - b.env\n',
    files: { 'a.env': 'A=1\nB=1\n', 'b.env': 'B=2\nC=3\n' },
  },
  'cm-mixed-sources': {
    k: 'configMapGenerator:\n- name: cfg\n  literals:\n  - Z=last\n  files:\n  - a.txt\n  envs:\n  - x.env\n',
    files: { 'a.txt': 'hello\n', 'x.env': 'X=1\n' },
  },
  'cm-disable-hash': {
    k: 'configMapGenerator:\n- name: cfg\n  literals: [A=1]\n  options:\n    disableNameSuffixHash: true\n',
  },
  'cm-labels-annotations': {
    k: 'configMapGenerator:\n- name: cfg\n  literals: [A=1]\n  options:\n    labels: {tier: web}\n    annotations: {note: hi}\n',
  },
  'cm-immutable': {
    k: 'configMapGenerator:\n- name: cfg\n  literals: [A=1]\n  options:\n    immutable: true\n',
  },
  'cm-global-options': {
    k: 'generatorOptions:\n  disableNameSuffixHash: true\n  labels: {gen: "yes"}\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
  },
  'cm-global-and-local-options': {
    k: 'generatorOptions:\n  labels: {gen: g}\n  annotations: {a: g}\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n  options:\n    labels: {local: l}\n',
  },
  'cm-namespace': { k: 'configMapGenerator:\n- name: cfg\n  namespace: other\n  literals: [A=1]\n' },
  'cm-two': { k: 'configMapGenerator:\n- name: one\n  literals: [A=1]\n- name: two\n  literals: [B=2]\n' },
  'cm-with-prefix': { k: 'namePrefix: p-\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n' },
  'cm-with-namespace': { k: 'namespace: shop\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n' },
  'cm-with-labels': { k: 'commonLabels: {team: a}\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n' },
  'secret-literals': { k: 'secretGenerator:\n- name: creds\n  literals:\n  - user=admin\n  - pass=s3cr3t\n' },
  'secret-long-value': {
    k: `secretGenerator:\n- name: creds\n  literals:\n  - key=${'x'.repeat(120)}\n`,
  },
  'secret-long-value-200': {
    k: `secretGenerator:\n- name: creds\n  literals:\n  - key=${'abcdefghij'.repeat(20)}\n  - short=a\n`,
  },
  'secret-type-tls': {
    k: 'secretGenerator:\n- name: tls\n  type: kubernetes.io/tls\n  files:\n  - tls.crt\n  - tls.key\n',
    files: { 'tls.crt': 'CERT\n', 'tls.key': 'KEY\n' },
  },
  'secret-files': {
    k: 'secretGenerator:\n- name: creds\n  files:\n  - password.txt\n',
    files: { 'password.txt': 'hunter2\n' },
  },
  'secret-envs': {
    k: 'secretGenerator:\n- name: creds\n  envs:\n  - s.env\n',
    files: { 's.env': 'A=1\nB=2\n' },
  },
  'secret-empty': { k: 'secretGenerator:\n- name: creds\n' },
  'secret-disable-hash': {
    k: 'secretGenerator:\n- name: creds\n  literals: [a=b]\n  options:\n    disableNameSuffixHash: true\n',
  },
  'secret-immutable': {
    k: 'secretGenerator:\n- name: creds\n  literals: [a=b]\n  options:\n    immutable: true\n',
  },
  'secret-binary-file': {
    k: 'secretGenerator:\n- name: creds\n  files:\n  - key.bin\n',
    files: { 'key.bin': new Uint8Array([0, 159, 146, 150, 10]) },
  },
};
for (const [name, { k, files }] of Object.entries(generatorBodies)) {
  add(`gen-${name}`, { 'kustomization.yaml': k, ...(files ?? {}) });
  add(`gen-${name}-referenced`, {
    'kustomization.yaml': `resources:\n- deploy.yaml\n${k}`,
    'deploy.yaml': deployment(
      'web',
      `        envFrom:\n        - ${name.startsWith('secret') ? 'secretRef' : 'configMapRef'}:\n            name: ${name.startsWith('secret') ? (name.includes('tls') ? 'tls' : 'creds') : name === 'cm-two' ? 'one' : 'cfg'}\n`,
    ),
    ...(files ?? {}),
  });
}
add('gen-merge-with-base', {
  'kustomization.yaml':
    'resources: [base]\nconfigMapGenerator:\n- name: cfg\n  behavior: merge\n  literals: [B=2, A=override]\n',
  'base/kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
});
add('gen-replace-with-base', {
  'kustomization.yaml':
    'resources: [base]\nconfigMapGenerator:\n- name: cfg\n  behavior: replace\n  literals: [B=2]\n',
  'base/kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
});
add('gen-merge-prefixed-base', {
  'kustomization.yaml':
    'resources: [base]\nconfigMapGenerator:\n- name: cfg\n  behavior: merge\n  literals: [B=2]\n',
  'base/kustomization.yaml': 'namePrefix: shop-\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
});
add('gen-merge-secret', {
  'kustomization.yaml':
    'resources: [base]\nsecretGenerator:\n- name: creds\n  behavior: merge\n  literals: [b=2]\n',
  'base/kustomization.yaml': 'secretGenerator:\n- name: creds\n  literals: [a=1]\n',
});
add('gen-merge-without-base', {
  'kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  behavior: merge\n  literals: [B=2]\n',
});
add('gen-duplicate-create', {
  'kustomization.yaml': 'resources: [base]\nconfigMapGenerator:\n- name: cfg\n  literals: [B=2]\n',
  'base/kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
});
add('gen-missing-file', { 'kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  files: [nope.txt]\n' });
add('gen-bad-literal', {
  'kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  literals: [NOEQUALS]\n',
});
add('gen-hash-in-overlay-ref', {
  'kustomization.yaml': 'resources: [base]\nnamePrefix: prod-\n',
  'base/kustomization.yaml':
    'resources: [deploy.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
  'base/deploy.yaml': deployment('web', '        envFrom:\n        - configMapRef:\n            name: cfg\n'),
});

// ---------- images ----------
const imageDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      initContainers:
      - name: init
        image: busybox
      containers:
      - name: app
        image: nginx:1.25
      - name: sidecar
        image: registry.example.com:5000/team/proxy:v1@sha256:${'a'.repeat(64)}
      - name: plain
        image: redis
`;
const images: Record<string, string> = {
  'new-tag': '- name: nginx\n  newTag: "1.27"\n',
  'new-name': '- name: nginx\n  newName: mirror.example.com/nginx\n',
  'new-name-and-tag': '- name: nginx\n  newName: mirror.example.com/nginx\n  newTag: stable\n',
  digest: `- name: nginx\n  digest: sha256:${'b'.repeat(64)}\n`,
  'tag-and-digest': `- name: nginx\n  newTag: "1.27"\n  digest: sha256:${'c'.repeat(64)}\n`,
  'registry-port': '- name: registry.example.com:5000/team/proxy\n  newTag: v2\n',
  'no-tag-image': '- name: redis\n  newTag: "7"\n',
  'init-container': '- name: busybox\n  newTag: "1.36"\n',
  'no-match': '- name: postgres\n  newTag: "16"\n',
  'two-entries': '- name: nginx\n  newTag: a\n- name: redis\n  newName: valkey\n',
  'tag-as-number': '- name: nginx\n  newTag: 1.27\n',
  'tag-latest-over-digest': '- name: registry.example.com:5000/team/proxy\n  newTag: latest\n',
};
for (const [name, body] of Object.entries(images)) {
  add(`images-${name}`, {
    'kustomization.yaml': `resources: [deploy.yaml]\nimages:\n${body}`,
    'deploy.yaml': imageDeployment,
  });
}
for (const kind of ['StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'CustomResource']) {
  add(`images-kind-${kind.toLowerCase()}`, {
    'kustomization.yaml':
      'resources: [o.yaml]\nimages:\n- name: busybox\n  newTag: "9"\n- name: postgres\n  newTag: "17"\n',
    'o.yaml':
      kind === 'CustomResource'
        ? 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  containers:\n  - name: a\n    image: busybox\n  image: busybox\n'
        : WORKLOADS[kind]!,
  });
}

// ---------- replicas ----------
for (const kind of ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DaemonSet']) {
  const object = WORKLOADS[kind]!;
  const name = /name: (\S+)/.exec(object)![1]!;
  add(`replicas-${kind.toLowerCase()}`, {
    'kustomization.yaml': `resources: [o.yaml]\nreplicas:\n- name: ${name}\n  count: 5\n`,
    'o.yaml': object,
  });
}
add('replicas-after-prefix', {
  'kustomization.yaml': 'resources: [base]\nreplicas:\n- name: web\n  count: 3\n',
  'base/kustomization.yaml': 'namePrefix: shop-\nresources: [d.yaml]\n',
  'base/d.yaml': deployment(),
});
add('replicas-no-match', {
  'kustomization.yaml': 'resources: [d.yaml]\nreplicas:\n- name: other\n  count: 3\n',
  'd.yaml': deployment(),
});

// ---------- strategic merge patches ----------
const smp: Record<string, string> = {
  'add-container': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: sidecar
        image: envoy:1.30
`,
  'merge-container': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources:
          limits: {memory: 128Mi}
`,
  'env-add-order': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: C
          value: "$(A)-c"
        - name: D
          value: d
`,
  'delete-container': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        $patch: delete
`,
  'replace-map': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        $patch: replace
        only: this
`,
  'null-deletes': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: null
spec:
  replicas: null
`,
  'delete-object': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
$patch: delete
`,
  'ports-merge': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        ports:
        - containerPort: 8080
          name: alt
`,
  'args-replace': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        args: [--new]
`,
  'volumes-add': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      volumes:
      - name: extra
        emptyDir: {}
`,
  'list-replace-directive': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - $patch: replace
      - name: only
        image: busybox
`,
  'delete-from-primitive-list': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        $deleteFromPrimitiveList/args: [--b]
`,
  'tolerations-replace': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      tolerations:
      - key: new
        operator: Exists
`,
  'set-element-order': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      $setElementOrder/containers:
      - name: sidecar
      - name: app
      containers:
      - name: sidecar
        image: envoy
`,
  'retain-keys': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  strategy:
    $retainKeys: [type]
    type: Recreate
`,
  'labels-int-coerced': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    revision: 3
    enabled: true
`,
  'env-merge-by-name': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: A
          value: changed
`,
  'no-match': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: other
spec:
  replicas: 2
`,
};
const smpBase = deployment(
  'web',
  `        args: [--a, --b]
        env:
        - name: A
          value: a
        - name: B
          value: "$(A)-b"
      tolerations:
      - key: old
        operator: Exists
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1}
`,
);
for (const [name, patch] of Object.entries(smp)) {
  add(`smp-file-${name}`, {
    'kustomization.yaml': 'resources: [deploy.yaml]\npatchesStrategicMerge:\n- patch.yaml\n',
    'deploy.yaml': smpBase,
    'patch.yaml': patch,
  });
  add(`smp-patches-${name}`, {
    'kustomization.yaml': 'resources: [deploy.yaml]\npatches:\n- path: patch.yaml\n',
    'deploy.yaml': smpBase,
    'patch.yaml': patch,
  });
}
add('smp-inline-in-patches-strategic-merge', {
  'kustomization.yaml': `resources: [deploy.yaml]\npatchesStrategicMerge:\n- |-\n${smp[
    'merge-container'
  ]!.split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`,
  'deploy.yaml': smpBase,
});
add('smp-multi-doc-file', {
  'kustomization.yaml': 'resources: [deploy.yaml, svc.yaml]\npatches:\n- path: patch.yaml\n',
  'deploy.yaml': smpBase,
  'svc.yaml': service(),
  'patch.yaml': `${smp['ports-merge']}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n`,
});
add('smp-service-ports-merge', {
  'kustomization.yaml':
    'resources: [svc.yaml]\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: Service\n    metadata:\n      name: web\n    spec:\n      ports:\n      - port: 443\n        targetPort: 443\n        name: https\n',
  'svc.yaml': service(),
});
add('smp-custom-resource', {
  'kustomization.yaml':
    'resources: [cr.yaml]\npatches:\n- patch: |-\n    apiVersion: example.com/v1\n    kind: Widget\n    metadata:\n      name: gadget\n    spec:\n      size: 5\n      extra: [a]\n',
  'cr.yaml': WORKLOADS.CustomResource!,
});
add('smp-custom-resource-list-replaced', {
  'kustomization.yaml':
    'resources: [cr.yaml]\npatches:\n- patch: |-\n    apiVersion: example.com/v1\n    kind: Widget\n    metadata:\n      name: gadget\n    spec:\n      items:\n      - name: b\n',
  'cr.yaml':
    'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gadget\nspec:\n  items:\n  - name: a\n    v: 1\n',
});

// ---------- patches with targets ----------
const targetObjects = [
  deployment('web'),
  deployment('api'),
  service('web'),
  configMap('web'),
  WORKLOADS.StatefulSet!,
].join('---\n');
const jsonAdd = '- op: add\n  path: /metadata/annotations\n  value:\n    patched: "yes"\n';
const targets: Record<string, string> = {
  kind: 'kind: Deployment',
  name: 'name: web',
  'kind-and-name': 'kind: Deployment\n    name: web',
  'name-regex': 'name: "w.*"',
  'name-alternation': 'name: "web|api"',
  'group-apps': 'group: apps',
  'version-v1': 'version: v1',
  'group-empty-kind-service': 'group: ""\n    kind: Service',
  'label-selector': 'labelSelector: app=web',
  'label-selector-in': 'labelSelector: app in (web,api)',
  'label-selector-notin': 'labelSelector: app notin (web)',
  'annotation-selector': 'annotationSelector: note=x',
  'kind-regex': 'kind: "Deploy.*"',
  'namespace-empty': 'namespace: ""\n    kind: Deployment',
  'no-match': 'kind: DaemonSet',
};
for (const [name, target] of Object.entries(targets)) {
  add(`target-json-${name}`, {
    'kustomization.yaml': `resources: [objects.yaml]\npatches:\n- target:\n    ${target}\n  patch: |-\n${jsonAdd
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`,
    'objects.yaml': targetObjects,
  });
  add(`target-smp-${name}`, {
    'kustomization.yaml': `resources: [objects.yaml]\npatches:\n- target:\n    ${target}\n  patch: |-\n    apiVersion: v1\n    kind: Ignored\n    metadata:\n      name: ignored\n      labels:\n        patched: "true"\n`,
    'objects.yaml': targetObjects,
  });
}
add('target-smp-without-metadata', {
  'kustomization.yaml':
    'resources: [objects.yaml]\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    spec:\n      replicas: 9\n',
  'objects.yaml': targetObjects,
});
add('target-smp-kind-only-body', {
  'kustomization.yaml':
    'resources: [objects.yaml]\npatches:\n- target:\n    name: web\n  patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n      annotations:\n        x: "1"\n',
  'objects.yaml': targetObjects,
});
const jsonOps: Record<string, string> = {
  add: '- op: add\n  path: /spec/replicas\n  value: 3\n',
  'add-append':
    '- op: add\n  path: /spec/template/spec/containers/-\n  value: {name: extra, image: busybox}\n',
  'add-index':
    '- op: add\n  path: /spec/template/spec/containers/0\n  value: {name: first, image: busybox}\n',
  remove: '- op: remove\n  path: /spec/replicas\n',
  replace: '- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: nginx:1.27\n',
  move: '- op: move\n  from: /metadata/labels\n  path: /metadata/annotations\n',
  copy: '- op: copy\n  from: /metadata/labels\n  path: /spec/template/metadata/annotations\n',
  'test-ok':
    '- op: test\n  path: /spec/replicas\n  value: 1\n- op: replace\n  path: /spec/replicas\n  value: 2\n',
  'test-fails': '- op: test\n  path: /spec/replicas\n  value: 7\n',
  'remove-missing': '- op: remove\n  path: /spec/nothing\n',
  'escaped-path':
    '- op: add\n  path: /metadata/annotations\n  value: {}\n- op: add\n  path: /metadata/annotations/example.com~1team\n  value: a\n',
  'json-syntax': '[{"op": "add", "path": "/spec/paused", "value": true}]\n',
  'replace-name': '- op: replace\n  path: /metadata/name\n  value: renamed\n',
  'add-deep-missing': '- op: add\n  path: /spec/template/spec/securityContext/runAsUser\n  value: 1000\n',
};
for (const [name, ops] of Object.entries(jsonOps)) {
  add(`json6902-${name}`, {
    'kustomization.yaml':
      'resources: [deploy.yaml]\npatchesJson6902:\n- target:\n    group: apps\n    version: v1\n    kind: Deployment\n    name: web\n  path: ops.yaml\n',
    'deploy.yaml': deployment(),
    'ops.yaml': ops,
  });
  add(`patches-json-${name}`, {
    'kustomization.yaml':
      'resources: [deploy.yaml]\npatches:\n- target:\n    kind: Deployment\n    name: web\n  path: ops.yaml\n',
    'deploy.yaml': deployment(),
    'ops.yaml': ops,
  });
}
add('patches-allow-name-change', {
  'kustomization.yaml':
    'resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap, name: a}\n  options: {allowNameChange: true}\n  patch: |-\n    - op: replace\n      path: /metadata/name\n      value: b\n',
  'cm.yaml': configMap('a'),
});
add('patches-smp-rename-refused', {
  'kustomization.yaml':
    'resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap, name: a}\n  patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n    data: {x: "1"}\n',
  'cm.yaml': configMap('a'),
});
add('patches-smp-rename-allowed', {
  'kustomization.yaml':
    'resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap, name: a}\n  options: {allowNameChange: true}\n  patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: b\n    data: {x: "1"}\n',
  'cm.yaml': configMap('a'),
});
add('patches-kind-change-allowed', {
  'kustomization.yaml':
    'resources: [cm.yaml]\npatches:\n- target: {kind: ConfigMap, name: a}\n  options: {allowKindChange: true}\n  patch: |-\n    - op: replace\n      path: /kind\n      value: Secret\n',
  'cm.yaml': configMap('a'),
});

// ---------- overlays over prefixed bases (patch by original or current name) ----------
for (const [how, name] of Object.entries({ original: 'api', prefixed: 'shop-api' })) {
  add(`overlay-smp-${how}-name`, {
    'kustomization.yaml': 'resources: [base]\npatches:\n- path: patch.yaml\n',
    'base/kustomization.yaml': 'namePrefix: shop-\nresources: [d.yaml]\n',
    'base/d.yaml': deployment('api'),
    'patch.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 4\n`,
  });
  add(`overlay-target-${how}-name`, {
    'kustomization.yaml': `resources: [base]\npatches:\n- target: {kind: Deployment, name: ${name}}\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 4\n`,
    'base/kustomization.yaml': 'namePrefix: shop-\nresources: [d.yaml]\n',
    'base/d.yaml': deployment('api'),
  });
  add(`overlay-psm-${how}-name`, {
    'kustomization.yaml': 'resources: [base]\npatchesStrategicMerge: [patch.yaml]\n',
    'base/kustomization.yaml': 'namePrefix: shop-\nresources: [d.yaml]\n',
    'base/d.yaml': deployment('api'),
    'patch.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 4\n`,
  });
}
add('overlay-three-levels-intermediate-name', {
  'kustomization.yaml': 'resources: [mid]\npatches:\n- path: patch.yaml\n',
  'mid/kustomization.yaml': 'namePrefix: mid-\nresources: [../base]\n',
  'base/kustomization.yaml': 'namePrefix: base-\nresources: [d.yaml]\n',
  'base/d.yaml': deployment('api'),
  'patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: base-api\nspec:\n  replicas: 4\n',
});
add('overlay-namespace-then-patch', {
  'kustomization.yaml': 'resources: [base]\npatches:\n- path: patch.yaml\n',
  'base/kustomization.yaml': 'namespace: shop\nresources: [d.yaml]\n',
  'base/d.yaml': deployment('api'),
  'patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 4\n',
});

// ---------- replacements ----------
const replacementObjects = `${configMap('source', 'host: db.example.com\n  port: "5432"\n  list: "a,b,c"')}---
${deployment('web', '        env:\n        - name: DB_HOST\n          value: placeholder\n        - name: URL\n          value: postgres://placeholder:1/x\n')}`;
const replacements: Record<string, string> = {
  basic: `- source: {kind: ConfigMap, name: source, fieldPath: data.host}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.spec.containers.[name=app].env.[name=DB_HOST].value]
`,
  'delimiter-index': `- source: {kind: ConfigMap, name: source, fieldPath: data.host}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.spec.containers.[name=app].env.[name=URL].value]
    options: {delimiter: "/", index: 2}
`,
  'source-delimiter': `- source:
    kind: ConfigMap
    name: source
    fieldPath: data.list
    options: {delimiter: ",", index: 1}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [metadata.annotations.second]
    options: {create: true}
`,
  create: `- source: {kind: ConfigMap, name: source, fieldPath: data.port}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [metadata.annotations.port]
    options: {create: true}
`,
  'no-create-missing': `- source: {kind: ConfigMap, name: source, fieldPath: data.port}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [metadata.annotations.port]
`,
  reject: `- source: {kind: ConfigMap, name: source, fieldPath: data.host}
  targets:
  - select: {kind: Deployment}
    reject: [{name: web}]
    fieldPaths: [metadata.annotations.x]
`,
  'name-as-source': `- source: {kind: ConfigMap, name: source}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [metadata.labels.cfg]
`,
  'wildcard-path': `- source: {kind: ConfigMap, name: source, fieldPath: data.host}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.spec.containers.*.env.[name=DB_HOST].value]
`,
  'select-by-label': `- source: {kind: ConfigMap, name: source, fieldPath: data.host}
  targets:
  - select: {labelSelector: app=web}
    fieldPaths: [metadata.annotations.host]
    options: {create: true}
`,
  'missing-source': `- source: {kind: ConfigMap, name: nope, fieldPath: data.host}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [metadata.name]
`,
  'index-path': `- source: {kind: ConfigMap, name: source, fieldPath: data.host}
  targets:
  - select: {kind: Deployment}
    fieldPaths: [spec.template.spec.containers.0.env.0.value]
`,
  'int-source': `- source: {kind: Deployment, name: web, fieldPath: spec.replicas}
  targets:
  - select: {kind: ConfigMap}
    fieldPaths: [data.replicas]
    options: {create: true}
`,
};
for (const [name, body] of Object.entries(replacements)) {
  add(`replacements-${name}`, {
    'kustomization.yaml': `resources: [objects.yaml]\nreplacements:\n${body}`,
    'objects.yaml': replacementObjects,
  });
}
add('replacements-from-file', {
  'kustomization.yaml': 'resources: [objects.yaml]\nreplacements:\n- path: r.yaml\n',
  'objects.yaml': replacementObjects,
  'r.yaml': replacements.basic!,
});
add('replacements-local-config-source', {
  'kustomization.yaml':
    'resources: [objects.yaml, values.yaml]\nreplacements:\n- source: {kind: ConfigMap, name: values, fieldPath: data.host}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [spec.template.spec.containers.[name=app].env.[name=DB_HOST].value]\n',
  'objects.yaml': replacementObjects,
  'values.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\n  annotations:\n    config.kubernetes.io/local-config: "true"\ndata:\n  host: local.example.com\n',
});

// ---------- components ----------
add('components-basic', {
  'kustomization.yaml': 'resources: [d.yaml]\ncomponents: [comp]\n',
  'd.yaml': deployment(),
  'comp/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\npatches:\n- target: {kind: Deployment}\n  patch: |-\n    - op: add\n      path: /metadata/annotations\n      value: {comp: "on"}\n',
  'comp/cm.yaml': configMap('comp-cm'),
});
add('components-two-ordered', {
  'kustomization.yaml': 'resources: [d.yaml]\ncomponents: [a, b]\n',
  'd.yaml': deployment(),
  'a/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nreplicas:\n- name: web\n  count: 2\n',
  'b/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- target: {kind: Deployment}\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 7\n',
});
add('components-generator-merge', {
  'kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  literals: [A=1]\ncomponents: [comp]\n',
  'comp/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nconfigMapGenerator:\n- name: cfg\n  behavior: merge\n  literals: [B=2]\n',
});
add('components-with-prefix-in-parent', {
  'kustomization.yaml': 'namePrefix: p-\nresources: [d.yaml]\ncomponents: [comp]\n',
  'd.yaml': deployment(),
  'comp/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      replicas: 3\n',
});
add('components-not-component', {
  'kustomization.yaml': 'resources: [d.yaml]\ncomponents: [comp]\n',
  'd.yaml': deployment(),
  'comp/kustomization.yaml': 'resources: []\n',
});
add('components-as-resource', {
  'kustomization.yaml': 'resources: [comp]\n',
  'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
});

// ---------- resources and structure ----------
add('resources-multi-doc', {
  'kustomization.yaml': 'resources: [all.yaml]\n',
  'all.yaml': `---\n${configMap('a')}---\n---\n${configMap('b')}`,
});
add('resources-list-kind', {
  'kustomization.yaml': 'resources: [list.yaml]\n',
  'list.yaml': `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n`,
});
add('resources-configmap-list-kind', {
  'kustomization.yaml': 'resources: [list.yaml]\n',
  'list.yaml': `apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n`,
});
add('resources-bases-field', {
  'kustomization.yaml': 'bases: [base]\nresources: [cm.yaml]\n',
  'cm.yaml': configMap('top'),
  'base/kustomization.yaml': 'resources: [cm.yaml]\n',
  'base/cm.yaml': configMap('bottom'),
});
add('resources-kustomization-yml', {
  'kustomization.yaml': 'resources: [base]\n',
  'base/kustomization.yml': 'resources: [cm.yaml]\n',
  'base/cm.yaml': configMap('a'),
});
add('resources-Kustomization-file', {
  'kustomization.yaml': 'resources: [base]\n',
  'base/Kustomization': 'resources: [cm.yaml]\n',
  'base/cm.yaml': configMap('a'),
});
add('resources-missing-file', { 'kustomization.yaml': 'resources: [nope.yaml]\n' });
add('resources-duplicate', {
  'kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
  'a.yaml': configMap('same'),
  'b.yaml': configMap('same'),
});
add('resources-same-name-different-namespace', {
  'kustomization.yaml': 'resources: [a.yaml, b.yaml]\n',
  'a.yaml': configMap('same').replace('name: same', 'name: same\n  namespace: a'),
  'b.yaml': configMap('same').replace('name: same', 'name: same\n  namespace: b'),
});
add('resources-no-apiversion', {
  'kustomization.yaml': 'resources: [cm.yaml]\n',
  'cm.yaml': 'kind: ConfigMap\nmetadata:\n  name: a\ndata: {a: b}\n',
});
add('resources-no-kind', {
  'kustomization.yaml': 'resources: [cm.yaml]\n',
  'cm.yaml': 'apiVersion: v1\nmetadata:\n  name: a\n',
});
add('resources-no-name', {
  'kustomization.yaml': 'resources: [cm.yaml]\n',
  'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n',
});
add('resources-generate-name', {
  'kustomization.yaml': 'resources: [job.yaml]\n',
  'job.yaml': WORKLOADS.Job!.replace('name: migrate', 'generateName: migrate-'),
});
add('resources-cycle', {
  'kustomization.yaml': 'resources: [a]\n',
  'a/kustomization.yaml': 'resources: [../b]\n',
  'b/kustomization.yaml': 'resources: [../a]\n',
});
add('resources-empty-kustomization', { 'kustomization.yaml': '' });
add('resources-apiversion-kind-header', {
  'kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata:\n  name: ignored\nresources: [cm.yaml]\n',
  'cm.yaml': configMap('a'),
});
add('resources-diamond', {
  'kustomization.yaml': 'resources: [a, b]\n',
  'a/kustomization.yaml': 'resources: [../common]\nnamePrefix: a-\n',
  'b/kustomization.yaml': 'resources: [../common]\nnamePrefix: b-\n',
  'common/kustomization.yaml': 'resources: [cm.yaml]\n',
  'common/cm.yaml': configMap('shared'),
});
add('resources-duplicate-keys-in-kustomization', {
  'kustomization.yaml': 'resources: [cm.yaml]\nnamePrefix: a-\nnamePrefix: b-\n',
  'cm.yaml': configMap('x'),
});
add('resources-unknown-field', { 'kustomization.yaml': 'resources: []\nnamePrefx: a-\n' });
add('resources-yaml-anchors', {
  'kustomization.yaml': 'resources: [cm.yaml]\n',
  'cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &l {x: "1"}\n  annotations: *l\ndata:\n  <<: {merged: "yes"}\n  own: "1"\n',
});

// ---------- YAML 1.1 scalars as kustomize reads them ----------
const scalars: Record<string, string> = {
  octal: '0644',
  'octal-zero': '0',
  'octal-invalid': '09',
  hex: '0x1F',
  'yaml12-octal': '0o17',
  binary: '0b101',
  underscore: '1_000',
  'float-exp': '1e3',
  'float-dot': '.5',
  yes: 'yes',
  on: 'on',
  y: 'y',
  tilde: '~',
  date: '2001-12-14',
  datetime: '2001-12-14T21:59:43.10-05:00',
  sexagesimal: '1:20',
  'plus-int': '+12',
  'negative-octal': '-012',
  'capital-true': 'True',
};
for (const [name, value] of Object.entries(scalars)) {
  add(`scalar-${name}`, {
    'kustomization.yaml': 'resources: [d.yaml]\n',
    'd.yaml': deployment(
      'web',
      `        env:\n        - name: V\n          value: ${value}\n      volumes:\n      - name: s\n        secret:\n          secretName: x\n          defaultMode: ${value === 'yes' || value === 'on' || value === 'y' || value === '~' ? '0644' : value}\n`,
    ),
  });
}
add('scalar-annotations-coerced', {
  'kustomization.yaml': 'resources: [cm.yaml]\n',
  'cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    n: 12\n    b: true\n    f: 1.50\n  labels:\n    v: 2\ndata:\n  k: v\n',
});
add('scalar-kustomization-label-bool', {
  'kustomization.yaml': 'resources: [cm.yaml]\ncommonLabels:\n  enabled: yes\n',
  'cm.yaml': configMap('a'),
});
add('scalar-kustomization-label-int', {
  'kustomization.yaml': 'resources: [cm.yaml]\ncommonLabels:\n  version: 2\n',
  'cm.yaml': configMap('a'),
});
add('scalar-kustomization-namespace-int', {
  'kustomization.yaml': 'resources: [cm.yaml]\nnamespace: 12\n',
  'cm.yaml': configMap('a'),
});

// ---------- labels / commonLabels specifics ----------
add('labels-fields', {
  'kustomization.yaml':
    'resources: [cr.yaml]\nlabels:\n- pairs: {team: a}\n  fields:\n  - kind: Widget\n    path: spec/selector/matchLabels\n    create: true\n',
  'cr.yaml': WORKLOADS.CustomResource!,
});
add('labels-include-volume-claim-templates', {
  'kustomization.yaml':
    'resources: [s.yaml]\nlabels:\n- pairs: {team: a}\n  includeTemplates: true\n  includeVolumeClaimTemplates: true\n',
  's.yaml': WORKLOADS.StatefulSetWithClaims!,
});
add('labels-and-common-labels-conflict', {
  'kustomization.yaml': 'resources: [cm.yaml]\ncommonLabels: {team: a}\nlabels:\n- pairs: {team: b}\n',
  'cm.yaml': configMap('a'),
});
add('labels-two-entries', {
  'kustomization.yaml':
    'resources: [d.yaml]\nlabels:\n- pairs: {a: "1"}\n- pairs: {b: "2"}\n  includeSelectors: true\n',
  'd.yaml': deployment(),
});
add('common-labels-overwrite-existing', {
  'kustomization.yaml': 'resources: [d.yaml]\ncommonLabels: {app: other}\n',
  'd.yaml': deployment(),
});
add('common-labels-empty-value', {
  'kustomization.yaml': 'resources: [d.yaml]\ncommonLabels:\n  empty: ""\n',
  'd.yaml': deployment(),
});

// ---------- unsupported or rarely used fields (a finding at least) ----------
add('vars-basic', {
  'kustomization.yaml':
    'resources: [d.yaml, svc.yaml]\nvars:\n- name: SVC\n  objref: {kind: Service, name: web, apiVersion: v1}\n  fieldref: {fieldpath: metadata.name}\n',
  'd.yaml': deployment('web', '        args: ["--upstream=$(SVC)"]\n'),
  'svc.yaml': service(),
});
add('configurations-custom-nameref', {
  'kustomization.yaml': 'resources: [cr.yaml, cm.yaml]\nnamePrefix: p-\nconfigurations: [conf.yaml]\n',
  'cr.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  configName: cfg\n',
  'cm.yaml': configMap('cfg'),
  'conf.yaml':
    'nameReference:\n- kind: ConfigMap\n  fieldSpecs:\n  - kind: Widget\n    path: spec/configName\n',
});
add('build-metadata-origin', {
  'kustomization.yaml': 'resources: [cm.yaml]\nbuildMetadata: [originAnnotations]\n',
  'cm.yaml': configMap('a'),
});
add('build-metadata-managed-by', {
  'kustomization.yaml': 'resources: [cm.yaml]\nbuildMetadata: [managedByLabel]\n',
  'cm.yaml': configMap('a'),
});
add('build-metadata-transformer', {
  'kustomization.yaml': 'resources: [cm.yaml]\nnamePrefix: p-\nbuildMetadata: [transformerAnnotations]\n',
  'cm.yaml': configMap('a'),
});
add('transformers-inline-prefix', {
  'kustomization.yaml':
    'resources: [cm.yaml]\ntransformers:\n- |-\n  apiVersion: builtin\n  kind: PrefixSuffixTransformer\n  metadata:\n    name: p\n  prefix: x-\n  fieldSpecs:\n  - path: metadata/name\n',
  'cm.yaml': configMap('a'),
});
add('transformers-file-labels', {
  'kustomization.yaml': 'resources: [cm.yaml]\ntransformers: [labels.yaml]\n',
  'cm.yaml': configMap('a'),
  'labels.yaml':
    'apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  x: "1"\nfieldSpecs:\n- path: metadata/labels\n  create: true\n',
});
add('generators-inline-configmap', {
  'kustomization.yaml':
    'generators:\n- |-\n  apiVersion: builtin\n  kind: ConfigMapGenerator\n  metadata:\n    name: gen\n  literals: [A=1]\n',
});
add('sort-options-legacy', {
  'kustomization.yaml': 'resources: [all.yaml]\nsortOptions:\n  order: legacy\n',
  'all.yaml': [service(), deployment(), WORKLOADS.Namespace].join('---\n'),
});
add('sort-options-fifo', {
  'kustomization.yaml': 'resources: [all.yaml]\nsortOptions:\n  order: fifo\n',
  'all.yaml': [service(), deployment(), WORKLOADS.Namespace].join('---\n'),
});
add('helm-charts-local', {
  'kustomization.yaml': 'helmCharts:\n- name: demo\n  releaseName: demo\nhelmGlobals:\n  chartHome: charts\n',
  'charts/demo/Chart.yaml': 'apiVersion: v2\nname: demo\nversion: 0.1.0\n',
  'charts/demo/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
});
add('openapi-field', {
  'kustomization.yaml': 'resources: [cm.yaml]\nopenapi:\n  path: schema.json\n',
  'cm.yaml': configMap('a'),
  'schema.json': '{"definitions": {}}\n',
});
add('crds-field', {
  'kustomization.yaml': 'resources: [cr.yaml]\ncrds: [crd.json]\nnamePrefix: p-\n',
  'cr.yaml': WORKLOADS.CustomResource!,
  'crd.json': '{}\n',
});

export const KUSTOMIZE_CASES: readonly KustomizeCase[] = cases;
