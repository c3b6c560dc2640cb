/** Shared helpers of the simulator unit tests: the real 1.35 OpenAPI documents, by path. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenApiDocument } from '../../src/schema/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCHEMA_DIR = path.resolve(here, '../../../shared/kubernetes-openapi/v1.35');

const cache = new Map<string, OpenApiDocument>();

/** `v1` for the core group, else `group/version`. */
export function loadDoc(gv: string): OpenApiDocument {
  let d = cache.get(gv);
  if (!d) {
    const file = gv.includes('/') ? path.join(SCHEMA_DIR, 'apis', `${gv}.json`) : path.join(SCHEMA_DIR, 'api', `${gv}.json`);
    d = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
    cache.set(gv, d);
  }
  return d;
}
