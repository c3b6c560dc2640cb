/**
 * A SchemaSource over a directory in the `/openapi/v3` layout (`api/v1.json`,
 * `apis/<group>/<version>.json`): `--schema-dir`, `KD_SCHEMA_DIR`, and the built-in bundle.
 * Documents are read lazily, once each, so a run pays only for the group-versions it uses.
 * With `kindsDir` (the built-in bundle's `lean/kinds`, written by scripts/gen-bundle.mjs) it also
 * offers one small document per kind, so that validating a few kinds parses only their schemas.
 * Files are read synchronously: they are read once, and a thread-pool round trip per document
 * cost more than the read.
 */
import { readdir as readdirCallback, readFileSync } from 'node:fs';
import path from 'node:path';
import { environmentError } from '../errors.js';
import type { GroupVersionPath, OpenApiDocument, SchemaSource } from '../schema/types.js';

// node:fs's callback functions rather than node:fs/promises, which every validate would load for
// these reads alone, with eight more of Node's modules behind it (readline, the fs watchers):
// issue 17.
const readdir = (dir: string): Promise<string[]> =>
  new Promise((resolve, reject) => readdirCallback(dir, (error, names) => (error ? reject(error) : resolve(names))));

export class SchemaDirSource implements SchemaSource {
  readonly description: string;
  readonly kubernetesVersion?: string;
  readonly #dir: string;
  #list?: Promise<GroupVersionPath[]>;
  readonly #docs = new Map<GroupVersionPath, Promise<OpenApiDocument | undefined>>();
  readonly #kindsDir?: string;
  readonly #kindDocs = new Map<string, Promise<OpenApiDocument | undefined>>();

  /**
   * `groupVersions`: the listing when it is known without reading the folders (the built-in
   * bundle's `bundle.json`): finding it is one directory read per API group, and directory reads
   * were among the dearest system calls of a small run.
   */
  constructor(dir: string, options: { description?: string; kubernetesVersion?: string; groupVersions?: readonly string[]; kindsDir?: string } = {}) {
    this.#dir = dir;
    if (options.kindsDir !== undefined) this.#kindsDir = options.kindsDir;
    this.description = options.description ?? `schema directory ${dir}`;
    const version = options.kubernetesVersion ?? /v?(\d+\.\d+)\/?$/.exec(dir)?.[1];
    if (version !== undefined) this.kubernetesVersion = version;
    if (options.groupVersions !== undefined) this.#list = Promise.resolve(inListingOrder(options.groupVersions));
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

  /**
   * One kind's document (its resource's paths, the components its schemas reach), when the
   * folder has per-kind documents and one for this kind; undefined otherwise (the caller reads
   * the group-version's document). Kind names come from user files: only plain names are looked up.
   */
  kindDocument(gv: GroupVersionPath, kind: string): Promise<OpenApiDocument | undefined> {
    if (this.#kindsDir === undefined || !/^[A-Za-z0-9]+$/.test(kind)) return Promise.resolve(undefined);
    const key = `${gv}/${kind}`;
    let doc = this.#kindDocs.get(key);
    if (!doc) {
      const file = path.join(this.#kindsDir, `${key}.json`);
      doc = (async () => readJson(file))();
      this.#kindDocs.set(key, doc);
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
    return readJson(path.join(this.#dir, `${gv}.json`));
  }
}

/** A schema document; undefined when it cannot be read (absent), an environment error when it is not JSON. */
function readJson(file: string): OpenApiDocument | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as OpenApiDocument;
  } catch (cause) {
    throw environmentError(`schema document ${file} is not valid JSON: ${(cause as Error).message}`);
  }
}

/** Group-version paths in the order `#scan` lists them: the core group, then groups and versions by name. */
function inListingOrder(gvs: readonly string[]): GroupVersionPath[] {
  const core = gvs.filter((g) => /^api\/[^/]+$/.test(g));
  const named = gvs.filter((g) => /^apis\/[^/]+\/[^/]+$/.test(g)).map((g) => g.split('/') as [string, string, string]);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  named.sort(([, ga, va], [, gb, vb]) => byName(ga, gb) || byName(`${va}.json`, `${vb}.json`));
  return [...core, ...named.map((p) => p.join('/'))] as GroupVersionPath[];
}
