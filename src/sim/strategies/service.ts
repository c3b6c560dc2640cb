/**
 * Services: defaults with cluster IP and node port allocation (through the storage's Allocator),
 * the DNS-1035 name rule, immutable cluster IPs, and allocated values that survive an update
 * leaving them empty (upstream patchAllocatedValues).
 */
import type { StatusCause } from '../../model/status.js';
import { isPlainObject } from '../schema-nav.js';
import { dnsLabelName, LABEL_1035 } from './names.js';
import { setDefault, specOf, specsOf, type Allocator, type Obj, type Strategy } from './strategy.js';

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

export const serviceStrategy: Strategy = {
  defaults(o, { alloc }) {
    defaultService(specOf(o), alloc);
  },
  validateName: (name) =>
    dnsLabelName(
      name,
      LABEL_1035,
      `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ),
  validateUpdate(oldObj, newObj) {
    const out: StatusCause[] = [];
    const { os, ns } = specsOf(oldObj, newObj);
    const oldIPs = Array.isArray(os.clusterIPs) ? os.clusterIPs : [];
    const newIPs = Array.isArray(ns.clusterIPs) ? ns.clusterIPs : [];
    if (oldIPs.length > 0 && newIPs.length > 0 && oldIPs[0] !== newIPs[0])
      out.push({ reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: []string{${newIPs.map((x) => JSON.stringify(x)).join(', ')}}: may not change once set` });
    if (os.clusterIP !== undefined && ns.clusterIP !== undefined && os.clusterIP !== ns.clusterIP && !(os.type === 'ExternalName' || ns.type === 'ExternalName'))
      out.push({ reason: 'FieldValueInvalid', field: 'spec.clusterIP', message: `Invalid value: ${JSON.stringify(ns.clusterIP)}: field is immutable` });
    return out;
  },
  prepareForUpdate(old, obj) {
    const os = isPlainObject(old.spec) ? old.spec : {};
    const ns = isPlainObject(obj.spec) ? obj.spec : undefined;
    if (!ns) return;
    if (os.type === ns.type || (ns.type === undefined && os.type === 'ClusterIP')) {
      if ((ns.clusterIP === undefined || ns.clusterIP === '') && os.clusterIP !== undefined) ns.clusterIP = os.clusterIP;
      if (ns.clusterIPs === undefined && os.clusterIPs !== undefined && ns.clusterIP === os.clusterIP) ns.clusterIPs = os.clusterIPs;
    }
    const oldPorts = Array.isArray(os.ports) ? os.ports.filter(isPlainObject) : [];
    if (Array.isArray(ns.ports))
      for (const p of ns.ports)
        if (isPlainObject(p) && (p.nodePort === undefined || p.nodePort === 0)) {
          const prev = oldPorts.find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
          if (prev?.nodePort !== undefined) p.nodePort = prev.nodePort;
        }
  },
};
