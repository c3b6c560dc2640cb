/**
 * The peer of the validate benchmark: the "naive yaml + ajv loop in Node" the issue names.
 * Parses every document with positions (yaml.parseAllDocuments) and validates it with ajv against
 * the built-in bundle's schemas, compiled once per kind. No Kubernetes semantics: just the loop.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';

const root = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const bundle = path.join(root, 'schemas', 'kubernetes');
const docs = {
  'apps/v1': JSON.parse(readFileSync(path.join(bundle, 'apis/apps/v1.json'), 'utf8')),
  v1: JSON.parse(readFileSync(path.join(bundle, 'api/v1.json'), 'utf8')),
};
const ajv = new Ajv.default({ strict: false, allErrors: true, validateFormats: false });
// One root schema holding every definition, so the documents' own `#/components/schemas/...` refs resolve.
ajv.addSchema({ $id: 'k8s', components: { schemas: { ...docs.v1.components.schemas, ...docs['apps/v1'].components.schemas } } });
const validators = new Map();
function validatorFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!validators.has(key)) {
    const doc = docs[apiVersion];
    const name = doc && Object.keys(doc.components.schemas).find((n) => n.endsWith(`.${kind}`) && doc.components.schemas[n]['x-kubernetes-group-version-kind']);
    validators.set(key, name ? ajv.getSchema(`k8s#/components/schemas/${name}`) : undefined);
  }
  return validators.get(key);
}

function files(p) {
  if (statSync(p).isDirectory()) return readdirSync(p).sort().flatMap((f) => files(path.join(p, f)));
  return /\.ya?ml$/.test(p) ? [p] : [];
}

let objects = 0;
let errors = 0;
for (const file of files(process.argv[2])) {
  for (const d of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const obj = d.toJS();
    if (!obj) continue;
    objects++;
    const v = validatorFor(obj.apiVersion, obj.kind);
    if (v && !v(obj)) errors += v.errors.length;
  }
}
console.log(`${objects} objects, ${errors} errors`);
