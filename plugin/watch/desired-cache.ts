/**
 * The desired objects of a watch, kept per input unit so that a save re-reads and re-validates
 * only what changed. A unit is one manifest file, or one kustomization folder (re-rendered as a
 * whole when anything below it changes). The schema registry is kept between reloads; only when a
 * CustomResourceDefinition is added, changed or removed is everything validated again with a fresh
 * registry, since custom resources in other files depend on it. Cross-object checks (duplicates)
 * always run over the whole set.
 *
 * Never throws for user input: an unreadable or vanished file is dropped from the set, and
 * problems are diagnostics, exactly as `kubectl kd apply` reports them.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  KdError,
  SchemaRegistry,
  applyNamespaceDefaults,
  checkDuplicates,
  compareDiagnostics,
  isCrdObject,
  isManifestFileName,
  loadManifests,
  prepareRegistry,
  readInputs,
  readWalkedFile,
  resolveSchemaSources,
  validateEach,
  type Diagnostic,
  type InputOptions,
  type Manifest,
  type SchemaSource,
  type SourceText,
} from '../../src/index.js';
import type { ChangeBatch } from './change-batch.js';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface DesiredCacheOptions {
  /** The input paths as the user gave them (files, folders, kustomization folders). */
  paths: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  defaultNamespace: string;
  schemaSources?: SchemaSource[];
  /** `--max-input-size`, `--allow-remote`. */
  input?: InputOptions;
}

export interface DesiredSnapshot {
  manifests: Manifest[];
  diagnostics: Diagnostic[];
  /** Input files (or rendered kustomizations) in the set. */
  files: number;
}

export interface ReloadResult extends DesiredSnapshot {
  /** Units read again (display paths), and units gone from the set. */
  reread: string[];
  removed: string[];
  /** Whether everything was validated again (a CRD changed). */
  full: boolean;
}

interface Unit {
  /** How to read it again: the path as the user would name it. */
  readPath: string;
  kustomization: boolean;
  loaded: Manifest[];
  loadDiagnostics: Diagnostic[];
  validated: Manifest[];
  validateDiagnostics: Diagnostic[];
  sources: number;
}

export class DesiredCache {
  readonly #options: DesiredCacheOptions;
  readonly #units = new Map<string, Unit>();
  readonly #relative: boolean;
  readonly #sources: SchemaSource[];
  #registry: SchemaRegistry;
  #inputDiagnostics: Diagnostic[] = [];

  constructor(options: DesiredCacheOptions) {
    this.#options = options;
    this.#relative = options.paths.every((p) => !path.isAbsolute(p));
    this.#sources = options.schemaSources ?? resolveSchemaSources({ env: options.env, cwd: options.cwd });
    this.#registry = new SchemaRegistry(this.#sources);
  }

  /** The absolute paths to watch. */
  get roots(): string[] {
    return this.#options.paths.map((p) => path.resolve(this.#options.cwd, p));
  }

  /** Reads every input (throws only what `apply` throws: a named path that does not exist). */
  async loadAll(): Promise<DesiredSnapshot> {
    const inputs = await readInputs(this.#options.paths, { ...this.#options.input });
    this.#units.clear();
    for (const [key, unit] of this.#group(inputs.sources)) this.#units.set(key, unit);
    this.#inputDiagnostics = [];
    for (const d of inputs.diagnostics) {
      const unit = [...this.#units.values()].find((u) => u.readPath === d.file);
      if (unit) unit.loadDiagnostics.push(d);
      else this.#inputDiagnostics.push(d);
    }
    await this.#validateAll();
    return this.snapshot();
  }

  /** Applies a batch of file changes: re-reads the units they touch, re-validates what is needed. */
  async reload(batch: ChangeBatch): Promise<ReloadResult> {
    const toRead = new Map<string, string>(); // unit key → read path
    const removed: string[] = [];
    let crdTouched = false;
    const dropUnit = (key: string) => {
      const unit = this.#units.get(key);
      if (!unit) return;
      if (unit.loaded.some((m) => isCrdObject(m.object))) crdTouched = true;
      this.#units.delete(key);
      removed.push(unit.readPath);
    };
    for (const file of [...batch.changed, ...batch.removed]) {
      const gone = batch.removed.includes(file);
      const kustomizationDir = this.#kustomizationUnitFor(file);
      if (kustomizationDir) {
        toRead.set(kustomizationDir, this.#display(kustomizationDir));
        continue;
      }
      if (!gone && KUSTOMIZATION_FILES.includes(path.basename(file))) {
        // A folder just became a kustomization: its files leave the set, the rendering replaces them.
        const dir = path.dirname(file);
        for (const key of [...this.#units.keys()]) if (key.startsWith(dir + path.sep)) dropUnit(key);
        toRead.set(dir, this.#display(dir));
        continue;
      }
      if (gone) dropUnit(file);
      else if (isManifestFileName(file) && this.#isInput(file)) toRead.set(file, this.#display(file));
    }
    const touched = new Set([...toRead.values(), ...removed, ...[...batch.changed, ...batch.removed].map((f) => this.#display(f))]);
    this.#inputDiagnostics = this.#inputDiagnostics.filter((d) => !touched.has(d.file));
    const reread: string[] = [];
    const changedKeys: string[] = [];
    for (const [key, readPath] of toRead) {
      const before = this.#units.get(key);
      if (before?.loaded.some((m) => isCrdObject(m.object))) crdTouched = true;
      let sources: SourceText[];
      let diagnostics: Diagnostic[];
      try {
        if (!existsSync(key)) throw new KdError('input', `${readPath}: no such file or directory`);
        // A file below a watched folder is judged as the folder's walk judged it (.kdignore,
        // --exclude, skipped folders, documents that are not Kubernetes objects); a named one is read whole.
        const root = this.#walkRootOf(key);
        const inputs = root === undefined ? await readInputs([readPath], { ...this.#options.input }) : await readWalkedFile(readPath, root, { ...this.#options.input });
        if (inputs === undefined) {
          dropUnit(key);
          continue;
        }
        sources = inputs.sources;
        diagnostics = inputs.diagnostics;
      } catch (error) {
        // Gone between the event and the read (a rename in flight): it is removed for now.
        if (!(error instanceof KdError)) throw error;
        dropUnit(key);
        continue;
      }
      this.#units.delete(key);
      const grouped = this.#group(sources);
      if (grouped.size === 0) grouped.set(key, this.#unit(readPath, false, sources));
      for (const [k, unit] of grouped) {
        unit.loadDiagnostics.push(...diagnostics.splice(0));
        this.#units.set(k, unit);
        changedKeys.push(k);
        if (unit.loaded.some((m) => isCrdObject(m.object))) crdTouched = true;
      }
      reread.push(readPath);
    }
    if (crdTouched) await this.#validateAll();
    else await this.#validateUnits(changedKeys);
    return { ...this.snapshot(), reread, removed, full: crdTouched };
  }

  snapshot(): DesiredSnapshot {
    const keys = [...this.#units.keys()].sort();
    const manifests: Manifest[] = [];
    const diagnostics: Diagnostic[] = [...this.#inputDiagnostics];
    let files = 0;
    for (const key of keys) {
      const unit = this.#units.get(key)!;
      manifests.push(...unit.validated);
      diagnostics.push(...unit.loadDiagnostics, ...unit.validateDiagnostics);
      files += unit.sources;
    }
    diagnostics.push(...checkDuplicates(manifests));
    diagnostics.sort(compareDiagnostics);
    return { manifests, diagnostics, files };
  }

  async #validateAll(): Promise<void> {
    this.#registry = new SchemaRegistry(this.#sources);
    await this.#validateUnits([...this.#units.keys()]);
  }

  async #validateUnits(keys: readonly string[]): Promise<void> {
    const loaded = keys.flatMap((k) => this.#units.get(k)?.loaded ?? []);
    const crdDiagnostics = await prepareRegistry(this.#registry, loaded);
    for (const key of keys) {
      const unit = this.#units.get(key);
      if (!unit) continue;
      const defaulted = applyNamespaceDefaults(unit.loaded, {
        defaultNamespace: this.#options.defaultNamespace,
        isNamespaced: (gvk) => this.#registry.isNamespaced(gvk),
      });
      unit.validated = defaulted;
      unit.validateDiagnostics = validateEach(defaulted, this.#registry, { strict: true });
      const files = new Set(unit.loaded.map((m) => m.file));
      unit.validateDiagnostics.unshift(...crdDiagnostics.filter((d) => files.has(d.file)));
    }
  }

  #group(sources: readonly SourceText[]): Map<string, Unit> {
    const out = new Map<string, Unit>();
    for (const source of sources) {
      const kustomization = source.rendered !== undefined;
      const abs = path.resolve(this.#options.cwd, kustomization ? path.dirname(source.rendered!.kustomization) : source.path);
      const existing = out.get(abs);
      if (existing) {
        const more = loadManifests([source]);
        existing.loaded.push(...more.manifests);
        existing.loadDiagnostics.push(...more.diagnostics);
        existing.sources++;
      } else out.set(abs, this.#unit(kustomization ? this.#display(abs) : source.path, kustomization, [source]));
    }
    return out;
  }

  #unit(readPath: string, kustomization: boolean, sources: readonly SourceText[]): Unit {
    const loaded = loadManifests(sources);
    return { readPath, kustomization, loaded: loaded.manifests, loadDiagnostics: loaded.diagnostics, validated: [], validateDiagnostics: [], sources: sources.length };
  }

  #kustomizationUnitFor(file: string): string | undefined {
    for (const [key, unit] of this.#units) if (unit.kustomization && (file === key || file.startsWith(key + path.sep))) return key;
    return undefined;
  }

  /** The watched folder (as the user named it) whose walk reads this file; undefined for a named file or a kustomization folder. */
  #walkRootOf(key: string): string | undefined {
    if (this.#options.paths.some((p) => path.resolve(this.#options.cwd, p) === key)) return undefined;
    try {
      if (statSync(key).isDirectory()) return undefined;
    } catch {
      return undefined;
    }
    const i = this.roots.findIndex((root) => key.startsWith(root + path.sep));
    // Named as the file's read path is (relative to cwd, or absolute), so the walk's relative paths match.
    return i < 0 ? undefined : this.#relative ? this.#options.paths[i] : this.roots[i];
  }

  /** Whether a file is one of the inputs: a named file, or a file below a named folder. */
  #isInput(file: string): boolean {
    return this.roots.some((root) => {
      if (file === root) return true;
      if (!file.startsWith(root + path.sep)) return false;
      try {
        return statSync(root).isDirectory();
      } catch {
        return false;
      }
    });
  }

  #display(abs: string): string {
    return this.#relative ? path.relative(this.#options.cwd, abs) || '.' : abs;
  }
}
