/** Shared helpers of the simulator unit tests: the built-in bundle's OpenAPI documents, by path. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenApiDocument } from '../../src/schema/types.js';
import { BUILT_IN_SCHEMAS } from '../support/schemas.js';

export const SCHEMA_DIR = BUILT_IN_SCHEMAS;

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
