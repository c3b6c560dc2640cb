/**
 * Roles, ClusterRoles and their bindings, as pkg/apis/rbac/validation validates them: every rule
 * has verbs, and either apiGroups and resources or nonResourceURLs (never both, and never
 * nonResourceURLs in a namespaced Role); a binding's roleRef names a Role or ClusterRole of the
 * RBAC group, and each subject is a ServiceAccount (with a namespace in a ClusterRoleBinding), a
 * User or a Group.
 */
import { isDns1123Subdomain } from '../metadata.js';
import { Errors, FieldPath, isRecord, records, str, type FieldError } from './field.js';

export const RULE_RBAC = 'builtin/rbac';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function validateRole(kind: string, o: Record<string, unknown>): FieldError[] {
  const e = new Errors(RULE_RBAC);
  const namespaced = kind === 'Role';
  records(o.rules).forEach((r, i) => {
    const rp = FieldPath.root('rules').index(i);
    // Absent verbs are schema/required; an empty list is this rule's.
    if (Array.isArray(r.verbs) && r.verbs.length === 0) e.required(rp.child('verbs'), 'verbs must contain at least one value');
    const urls = list(r.nonResourceURLs);
    if (urls.length > 0) {
      const value = { go: `[]string{${urls.map((u) => JSON.stringify(String(u))).join(', ')}}` };
      if (namespaced) e.invalid(rp.child('nonResourceURLs'), value, 'namespaced rules cannot apply to non-resource URLs');
      if (list(r.apiGroups).length > 0 || list(r.resources).length > 0 || list(r.resourceNames).length > 0)
        e.invalid(rp.child('nonResourceURLs'), value, 'rules cannot apply to both regular resources and non-resource URLs');
      return;
    }
    if (list(r.apiGroups).length === 0) e.required(rp.child('apiGroups'), 'resource rules must supply at least one api group');
    if (list(r.resources).length === 0) e.required(rp.child('resources'), 'resource rules must supply at least one resource');
  });
  return e.list;
}

export function validateBinding(kind: string, o: Record<string, unknown>): FieldError[] {
  const e = new Errors(RULE_RBAC);
  const namespaced = kind === 'RoleBinding';
  const ref = isRecord(o.roleRef) ? o.roleRef : undefined;
  if (ref) {
    const at = FieldPath.root('roleRef');
    // Absent roleRef fields are schema/required.
    if (typeof ref.apiGroup === 'string' && ref.apiGroup !== RBAC_GROUP) e.notSupported(at.child('apiGroup'), ref.apiGroup, [RBAC_GROUP]);
    const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
    if (typeof ref.kind === 'string' && !kinds.includes(ref.kind)) e.notSupported(at.child('kind'), ref.kind, kinds);
    if (ref.name === '') e.required(at.child('name'));
  }
  records(o.subjects).forEach((s, i) => {
    const sp = FieldPath.root('subjects').index(i);
    const name = str(s.name);
    if (s.name === '') e.required(sp.child('name'));
    if (typeof s.kind !== 'string') return;
    const apiGroup = str(s.apiGroup);
    switch (s.kind) {
      case 'ServiceAccount':
        if (name !== '') e.invalidEach(sp.child('name'), name, isDns1123Subdomain(name));
        if (apiGroup !== '') e.notSupported(sp.child('apiGroup'), apiGroup, ['']);
        if (!namespaced && str(s.namespace) === '') e.required(sp.child('namespace'));
        break;
      case 'User':
      case 'Group':
        // v1 defaults an empty apiGroup of User and Group subjects to the RBAC group.
        if (apiGroup !== '' && apiGroup !== RBAC_GROUP) e.notSupported(sp.child('apiGroup'), apiGroup, [RBAC_GROUP]);
        break;
      default:
        e.notSupported(sp.child('kind'), str(s.kind), ['ServiceAccount', 'User', 'Group']);
    }
  });
  return e.list;
}
