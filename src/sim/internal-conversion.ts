/**
 * What the round trip through kube-apiserver's internal version does to a written object, where it
 * changes the stored form. Today one thing: a Secret's `stringData` is write-only. The v1 → internal
 * conversion (`Convert_v1_Secret_To_core_Secret`) copies each `stringData` entry into `data`
 * (overwriting a `data` entry of the same key) and the internal type has no `stringData`, so the
 * stored and returned Secret carries `data` only. Clients that compare their `stringData` with the
 * cluster rely on this. Runs on every write (create, update, patch, apply, dry run alike).
 */
import { isPlainObject } from './schema-nav.js';

export function convertThroughInternal(group: string, kind: string, obj: Record<string, unknown>): void {
  if (group === '' && kind === 'Secret') mergeStringData(obj);
}

function mergeStringData(secret: Record<string, unknown>): void {
  const stringData = secret.stringData;
  if (stringData === undefined) return;
  delete secret.stringData;
  if (!isPlainObject(stringData) || Object.keys(stringData).length === 0) return;
  const data: Record<string, unknown> = isPlainObject(secret.data) ? { ...secret.data } : {};
  // Structure checking has run: values are strings (a wrong type was refused before this point).
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  secret.data = data;
}
