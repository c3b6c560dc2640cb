/** How the plan names an object: `Deployment shop/web`; custom resources with their group (`Widget.example.com shop/w1`). */
import { groupKind, type ObjectRef } from '../model/index.js';
import { isBuiltInGroup } from './kind-order.js';

export function displayRef(ref: ObjectRef): string {
  const kind = isBuiltInGroup(ref.group) ? ref.kind : groupKind(ref);
  const name = ref.name || (ref.generateName ? `${ref.generateName}*` : '<unnamed>');
  return `${kind} ${ref.namespace ? `${ref.namespace}/` : ''}${name}`;
}
