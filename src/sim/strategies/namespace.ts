/**
 * Namespaces: the `kubernetes` finalizer, the Active phase and the `kubernetes.io/metadata.name`
 * label as defaults, and the RFC 1123 label name rule. Their lifecycle (Terminating, emptied, gone)
 * is the garbage collector's (garbage-collector.ts).
 */
import { dnsLabelName, LABEL_1123 } from './names.js';
import { child, setDefault, specOf, type Strategy } from './strategy.js';

export const namespaceStrategy: Strategy = {
  defaults(o) {
    const s = specOf(o);
    setDefault(s, 'finalizers', ['kubernetes']);
    const st = child(o, 'status');
    setDefault(st, 'phase', 'Active');
    const m = child(o, 'metadata');
    const labels = child(m, 'labels');
    if (typeof m.name === 'string') labels['kubernetes.io/metadata.name'] = m.name;
  },
  validateName: (name) =>
    dnsLabelName(
      name,
      LABEL_1123,
      `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ),
};
