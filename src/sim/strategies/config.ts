/**
 * ConfigMaps and Secrets: Secret's default type, the 1 MiB data limit (also here so a sim without
 * the core validator keeps it; the core's identical cause is merged with it) and the `immutable`
 * flag that freezes data.
 */
import type { StatusCause } from '../../model/status.js';
import { deepEqual, isPlainObject } from '../schema-nav.js';
import type { Obj, Strategy } from './strategy.js';

/** core.MaxSecretSize: the most a Secret's or ConfigMap's data may hold together. */
export const MAX_DATA_SIZE = 1024 * 1024;

/**
 * ValidateSecret / ValidateConfigMap's size rule: the decoded bytes of every value together (a
 * ConfigMap's `data` and `binaryData`) at most 1 MiB. Secret stringData is already merged into
 * data here. The ConfigMap error is on the whole object, which Go prints as the field `[]`.
 */
function validateDataSize(kind: 'Secret' | 'ConfigMap', o: Obj): StatusCause[] {
  let total = 0;
  const add = (m: unknown, base64: boolean) => {
    if (!isPlainObject(m)) return;
    for (const v of Object.values(m)) if (typeof v === 'string') total += base64 ? Buffer.from(v, 'base64').length : Buffer.byteLength(v, 'utf8');
  };
  add(o.data, kind === 'Secret');
  if (kind === 'ConfigMap') add(o.binaryData, true);
  if (total <= MAX_DATA_SIZE) return [];
  return [{ reason: 'FieldValueTooLong', field: kind === 'Secret' ? 'data' : '[]', message: `Too long: may not be more than ${MAX_DATA_SIZE} bytes` }];
}

function immutableData(kind: 'Secret' | 'ConfigMap', oldObj: Obj, newObj: Obj): StatusCause[] {
  if (oldObj.immutable !== true) return [];
  const out: StatusCause[] = [];
  if (newObj.immutable !== true) out.push({ reason: 'FieldValueForbidden', field: 'immutable', message: 'Forbidden: field is immutable when `immutable` is set' });
  if (!deepEqual(oldObj.data, newObj.data) || !deepEqual(oldObj.binaryData, newObj.binaryData) || (kind === 'Secret' && !deepEqual(oldObj.stringData, newObj.stringData)))
    out.push({ reason: 'FieldValueForbidden', field: 'data', message: 'Forbidden: field is immutable when `immutable` is set' });
  return out;
}

export const secretStrategy: Strategy = {
  defaults(o) {
    if (o.type === undefined || o.type === '') o.type = 'Opaque';
  },
  validate: (o) => validateDataSize('Secret', o),
  validateUpdate: (oldObj, newObj) => immutableData('Secret', oldObj, newObj),
};

export const configMapStrategy: Strategy = {
  validate: (o) => validateDataSize('ConfigMap', o),
  validateUpdate: (oldObj, newObj) => immutableData('ConfigMap', oldObj, newObj),
};
