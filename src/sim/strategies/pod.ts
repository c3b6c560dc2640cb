/**
 * Pods and the pod templates every workload embeds: container, probe and volume defaults
 * (SetDefaults_PodSpec and friends), the QoS class a new Pod starts with, and the few spec fields
 * an update may change (ValidatePodUpdate).
 */
import { deepEqual, isPlainObject } from '../schema-nav.js';
import { child, setDefault, specOf, specsOf, type Obj, type Strategy } from './strategy.js';

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
    }
}

/** A workload's `spec.template` (or a Job template's), defaulted as a pod template. */
export function defaultTemplate(spec: Obj, options: { restartPolicy?: boolean } = {}): void {
  const tpl = child(spec, 'template');
  // metav1.Time is not omitempty in 1.32, so templates carry `creationTimestamp: null`.
  setDefault(child(tpl, 'metadata'), 'creationTimestamp', null);
  defaultPodSpec(child(tpl, 'spec'), options);
}

export function qosClass(pod: Obj): string {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const cs = (Array.isArray(spec.containers) ? spec.containers : []).filter(isPlainObject);
  let any = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const r = isPlainObject(c.resources) ? c.resources : {};
    const req = isPlainObject(r.requests) ? r.requests : {};
    const lim = isPlainObject(r.limits) ? r.limits : {};
    if (Object.keys(req).length > 0 || Object.keys(lim).length > 0) any = true;
    for (const k of ['cpu', 'memory']) if (lim[k] === undefined || (req[k] !== undefined && req[k] !== lim[k])) guaranteed = false;
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export const podStrategy: Strategy = {
  defaults(o) {
    const s = specOf(o);
    defaultPodSpec(s);
    setDefault(s, 'enableServiceLinks', true);
    setDefault(s, 'serviceAccountName', 'default');
    setDefault(s, 'priority', 0);
    setDefault(s, 'preemptionPolicy', 'PreemptLowerPriority');
  },
  initialStatus(o) {
    return { phase: 'Pending', qosClass: qosClass(o) };
  },
  validateUpdate(oldObj, newObj) {
    const { os, ns } = specsOf(oldObj, newObj);
    const strip = (s: Obj) => {
      const c = JSON.parse(JSON.stringify(s)) as Obj;
      for (const list of ['containers', 'initContainers'])
        if (Array.isArray(c[list])) for (const x of c[list] as unknown[]) if (isPlainObject(x)) delete x.image;
      delete c.activeDeadlineSeconds;
      delete c.tolerations;
      delete c.terminationGracePeriodSeconds;
      delete c.nodeName;
      return c;
    };
    if (deepEqual(strip(os), strip(ns))) return [];
    return [
      {
        reason: 'FieldValueForbidden',
        field: 'spec',
        message:
          'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      },
    ];
  },
};
