/**
 * Server-side defaulting of the common kinds, as the upstream `SetDefaults_*` functions and
 * admission do, so a GET after apply looks like a real server's answer. Allocations that need
 * state (Service cluster IPs and node ports) go through an `Allocator` the caller owns.
 * Defaulting only fills absent fields; it never overrides what the user set.
 */
import { isPlainObject } from './schema-nav.js';

export interface Allocator {
  clusterIP(): string;
  nodePort(): number;
}

type Obj = Record<string, unknown>;

function obj(parent: Obj, key: string): Obj {
  if (!isPlainObject(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}

function setDefault(o: Obj, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function defaultContainer(c: Obj): void {
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    const image = c.image;
    const lastPart = image.slice(image.lastIndexOf('/') + 1);
    const tagged = lastPart.includes(':') && !image.includes('@');
    const tag = tagged ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
    c.imagePullPolicy = image.includes('@') ? 'IfNotPresent' : !tagged || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  setDefault(c, 'resources', {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isPlainObject(p)) setDefault(p, 'protocol', 'TCP');
  if (Array.isArray(c.env))
    for (const e of c.env)
      if (isPlainObject(e) && isPlainObject(e.valueFrom) && isPlainObject(e.valueFrom.fieldRef)) setDefault(e.valueFrom.fieldRef, 'apiVersion', 'v1');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = c[probe];
    if (!isPlainObject(p)) continue;
    setDefault(p, 'timeoutSeconds', 1);
    setDefault(p, 'periodSeconds', 10);
    setDefault(p, 'successThreshold', 1);
    setDefault(p, 'failureThreshold', 3);
    if (isPlainObject(p.httpGet)) setDefault(p.httpGet, 'scheme', 'HTTP');
  }
}

export function defaultPodSpec(spec: Obj, options: { restartPolicy?: boolean } = {}): void {
  if (options.restartPolicy !== false) setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const list of ['containers', 'initContainers', 'ephemeralContainers'])
    if (Array.isArray(spec[list])) for (const c of spec[list]) if (isPlainObject(c)) defaultContainer(c);
  if (Array.isArray(spec.volumes))
    for (const v of spec.volumes) {
      if (!isPlainObject(v)) continue;
      for (const src of ['configMap', 'secret']) if (isPlainObject(v[src])) setDefault(v[src], 'defaultMode', 420);
      if (isPlainObject(v.emptyDir)) void 0;
    }
}

function defaultTemplate(spec: Obj, options: { restartPolicy?: boolean } = {}): void {
  const tpl = obj(spec, 'template');
  // metav1.Time is not omitempty in 1.32, so templates carry `creationTimestamp: null`.
  setDefault(obj(tpl, 'metadata'), 'creationTimestamp', null);
  defaultPodSpec(obj(tpl, 'spec'), options);
}

/** Applies the defaults of `group/kind` in place. `uid` is the object's uid (Jobs' selectors use it). */
export function applyDefaults(group: string, kind: string, o: Obj, alloc: Allocator, uid: string): void {
  const key = `${group}/${kind}`;
  const spec = (): Obj => obj(o, 'spec');
  switch (key) {
    case '/Pod': {
      const s = spec();
      defaultPodSpec(s);
      setDefault(s, 'enableServiceLinks', true);
      setDefault(s, 'serviceAccountName', 'default');
      setDefault(s, 'priority', 0);
      setDefault(s, 'preemptionPolicy', 'PreemptLowerPriority');
      break;
    }
    case 'apps/Deployment': {
      const s = spec();
      setDefault(s, 'replicas', 1);
      setDefault(s, 'revisionHistoryLimit', 10);
      setDefault(s, 'progressDeadlineSeconds', 600);
      const st = obj(s, 'strategy');
      setDefault(st, 'type', 'RollingUpdate');
      if (st.type === 'RollingUpdate') {
        const ru = obj(st, 'rollingUpdate');
        setDefault(ru, 'maxSurge', '25%');
        setDefault(ru, 'maxUnavailable', '25%');
      }
      defaultTemplate(s);
      break;
    }
    case 'apps/ReplicaSet':
    case '/ReplicationController': {
      const s = spec();
      setDefault(s, 'replicas', 1);
      defaultTemplate(s);
      break;
    }
    case 'apps/StatefulSet': {
      const s = spec();
      setDefault(s, 'replicas', 1);
      setDefault(s, 'podManagementPolicy', 'OrderedReady');
      setDefault(s, 'revisionHistoryLimit', 10);
      const us = obj(s, 'updateStrategy');
      setDefault(us, 'type', 'RollingUpdate');
      if (us.type === 'RollingUpdate') setDefault(obj(us, 'rollingUpdate'), 'partition', 0);
      const pr = obj(s, 'persistentVolumeClaimRetentionPolicy');
      setDefault(pr, 'whenDeleted', 'Retain');
      setDefault(pr, 'whenScaled', 'Retain');
      defaultTemplate(s);
      break;
    }
    case 'apps/DaemonSet': {
      const s = spec();
      setDefault(s, 'revisionHistoryLimit', 10);
      const us = obj(s, 'updateStrategy');
      setDefault(us, 'type', 'RollingUpdate');
      if (us.type === 'RollingUpdate') {
        const ru = obj(us, 'rollingUpdate');
        setDefault(ru, 'maxUnavailable', 1);
        setDefault(ru, 'maxSurge', 0);
      }
      defaultTemplate(s);
      break;
    }
    case 'batch/Job': {
      const s = spec();
      defaultJobSpec(s, o, uid);
      break;
    }
    case 'batch/CronJob': {
      const s = spec();
      setDefault(s, 'concurrencyPolicy', 'Allow');
      setDefault(s, 'suspend', false);
      setDefault(s, 'successfulJobsHistoryLimit', 3);
      setDefault(s, 'failedJobsHistoryLimit', 1);
      const jt = obj(s, 'jobTemplate');
      setDefault(obj(jt, 'metadata'), 'creationTimestamp', null);
      const js = obj(jt, 'spec');
      setDefault(js, 'completions', 1);
      setDefault(js, 'parallelism', 1);
      setDefault(js, 'backoffLimit', 6);
      setDefault(js, 'completionMode', 'NonIndexed');
      setDefault(js, 'suspend', false);
      setDefault(js, 'podReplacementPolicy', 'TerminatingOrFailed');
      defaultTemplate(js, { restartPolicy: false });
      break;
    }
    case '/Service':
      defaultService(spec(), alloc);
      break;
    case '/Namespace': {
      const s = spec();
      setDefault(s, 'finalizers', ['kubernetes']);
      const st = obj(o, 'status');
      setDefault(st, 'phase', 'Active');
      const m = obj(o, 'metadata');
      const labels = obj(m, 'labels');
      if (typeof m.name === 'string') labels['kubernetes.io/metadata.name'] = m.name;
      break;
    }
    case '/Secret':
      if (o.type === undefined || o.type === '') o.type = 'Opaque';
      break;
    case '/PersistentVolumeClaim':
      setDefault(spec(), 'volumeMode', 'Filesystem');
      break;
    case '/PersistentVolume': {
      const s = spec();
      setDefault(s, 'persistentVolumeReclaimPolicy', 'Retain');
      setDefault(s, 'volumeMode', 'Filesystem');
      break;
    }
    default:
      break;
  }
}

function defaultJobSpec(s: Obj, o: Obj, uid: string): void {
  // A work queue (parallelism without completions) keeps completions unset.
  if (s.completions === undefined && s.parallelism === undefined) s.completions = 1;
  setDefault(s, 'parallelism', 1);
  setDefault(s, 'backoffLimit', 6);
  setDefault(s, 'completionMode', 'NonIndexed');
  setDefault(s, 'suspend', false);
  setDefault(s, 'podReplacementPolicy', 'TerminatingOrFailed');
  const tpl = obj(s, 'template');
  const tm = obj(tpl, 'metadata');
  setDefault(tm, 'creationTimestamp', null);
  if (s.manualSelector !== true && s.selector === undefined && uid !== '') {
    const name = isPlainObject(o.metadata) ? String(o.metadata.name ?? '') : '';
    s.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    const labels = obj(tm, 'labels');
    setDefault(labels, 'batch.kubernetes.io/controller-uid', uid);
    setDefault(labels, 'batch.kubernetes.io/job-name', name);
    setDefault(labels, 'controller-uid', uid);
    setDefault(labels, 'job-name', name);
  }
  defaultPodSpec(obj(tpl, 'spec'), { restartPolicy: false });
}

function defaultService(s: Obj, alloc: Allocator): void {
  setDefault(s, 'type', 'ClusterIP');
  setDefault(s, 'sessionAffinity', 'None');
  const type = s.type;
  if (type !== 'ExternalName') {
    if (s.clusterIP === undefined || s.clusterIP === '') s.clusterIP = alloc.clusterIP();
    setDefault(s, 'clusterIPs', [s.clusterIP]);
    setDefault(s, 'ipFamilies', ['IPv4']);
    setDefault(s, 'ipFamilyPolicy', 'SingleStack');
    setDefault(s, 'internalTrafficPolicy', 'Cluster');
  }
  if (type === 'NodePort' || type === 'LoadBalancer') setDefault(s, 'externalTrafficPolicy', 'Cluster');
  if (type === 'LoadBalancer') setDefault(s, 'allocateLoadBalancerNodePorts', true);
  if (Array.isArray(s.ports))
    for (const p of s.ports) {
      if (!isPlainObject(p)) continue;
      setDefault(p, 'protocol', 'TCP');
      if (type !== 'ExternalName') setDefault(p, 'targetPort', p.port);
      if ((type === 'NodePort' || (type === 'LoadBalancer' && s.allocateLoadBalancerNodePorts !== false)) && (p.nodePort === undefined || p.nodePort === 0))
        p.nodePort = alloc.nodePort();
    }
}
