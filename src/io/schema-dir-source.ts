/**
 * A SchemaSource over a directory in the `/openapi/v3` layout (`api/v1.json`,
 * `apis/<group>/<version>.json`): `--schema-dir`, `KD_SCHEMA_DIR`, and the built-in bundle.
 * Documents are read lazily, once each, so a run pays only for the group-versions it uses.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { environmentError } from '../errors.js';
import type { GroupVersionPath, OpenApiDocument, SchemaSource } from '../schema/types.js';

export class SchemaDirSource implements SchemaSource {
  readonly description: string;
  readonly kubernetesVersion?: string;
  readonly #dir: string;
  #list?: Promise<GroupVersionPath[]>;
  readonly #docs = new Map<GroupVersionPath, Promise<OpenApiDocument | undefined>>();

  constructor(dir: string, options: { description?: string; kubernetesVersion?: string } = {}) {
    this.#dir = dir;
    this.description = options.description ?? `schema directory ${dir}`;
    const version = options.kubernetesVersion ?? /v?(\d+\.\d+)\/?$/.exec(dir)?.[1];
    if (version !== undefined) this.kubernetesVersion = version;
  }

  groupVersions(): Promise<GroupVersionPath[]> {
    this.#list ??= this.#scan();
    return this.#list;
  }

  document(gv: GroupVersionPath): Promise<OpenApiDocument | undefined> {
    let doc = this.#docs.get(gv);
    if (!doc) {
      doc = this.#read(gv);
      this.#docs.set(gv, doc);
    }
    return doc;
  }

  async #scan(): Promise<GroupVersionPath[]> {
    const out: GroupVersionPath[] = [];
    let core: string[];
    try {
      core = await readdir(path.join(this.#dir, 'api'));
    } catch (cause) {
      try {
        await readdir(this.#dir);
      } catch {
        throw environmentError(
          `schema directory ${this.#dir} cannot be read`,
          'point --schema-dir (or KD_SCHEMA_DIR) at a folder holding api/v1.json and apis/<group>/<version>.json',
        );
      }
      core = [];
      void cause;
    }
    for (const f of core) if (f.endsWith('.json')) out.push(`api/${f.slice(0, -5)}`);
    let groups: string[] = [];
    try {
      groups = await readdir(path.join(this.#dir, 'apis'));
    } catch {
      // A directory with only the core group is still a valid source.
    }
    for (const g of groups.sort()) {
      let versions: string[] = [];
      try {
        versions = await readdir(path.join(this.#dir, 'apis', g));
      } catch {
        continue;
      }
      for (const f of versions.sort()) if (f.endsWith('.json')) out.push(`apis/${g}/${f.slice(0, -5)}`);
    }
    if (out.length === 0)
      throw environmentError(
        `schema directory ${this.#dir} holds no OpenAPI v3 documents`,
        'expected api/v1.json and apis/<group>/<version>.json, as a cluster serves them at /openapi/v3',
      );
    return out;
  }

  async #read(gv: GroupVersionPath): Promise<OpenApiDocument | undefined> {
    const file = path.join(this.#dir, `${gv}.json`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return JSON.parse(text) as OpenApiDocument;
    } catch (cause) {
      throw environmentError(`schema document ${file} is not valid JSON: ${(cause as Error).message}`);
    }
  }
}
