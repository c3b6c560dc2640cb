/**
 * Helpers for the drift tests: a kd sim (the built-in bundle's Kubernetes API, built-in controllers on a fast
 * clock), manifests written to a temporary folder, `kubectl kd apply`'s executor to create
 * releases, the real kubectl to change the cluster behind kd's back, and `runDrift` against the
 * same sim with a fixed clock and salt.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { releasePorts, type ReleasePorts } from '../../src/apply/index.js';
import { readDesired } from '../../src/io/read-desired.js';
import { DEFAULT_FAIL_ON, type DriftReport, type IgnoreRule } from '../../src/drift/index.js';
import { runDrift, type DriftRunRequest, type DriftRunResult } from '../../src/session/drift-run.js';
import { sessionOver } from '../../src/session/open.js';
import { SchemaDirSource } from '../../src/io/schema-dir-source.js';
import { KubectlEnv } from '../e2e/kubectl-harness.js';
import { doneOf, startApplySim, type ApplySim } from '../apply/support/apply-sim.js';
import { BUILT_IN_SCHEMAS } from '../support/schemas.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const openapiDir = BUILT_IN_SCHEMAS;
export const fixturesDir = path.resolve(here, '../fixtures/drift');
export const repoRoot = path.resolve(here, '../..');
export const REPORT_TIME = Date.UTC(2026, 0, 15, 12, 0, 0);
export const SALT = 'test-salt';

export interface DriftSim {
  s: ApplySim;
  ports: ReleasePorts;
  kubectl(namespace: string): KubectlEnv;
  /** A folder of manifest files (name → YAML text). */
  folder(files: Record<string, string>): Folder;
  /** `kubectl kd apply` of the folder as a release. */
  apply(dir: string, release: string, namespace: string): Promise<void>;
  drift(request: Partial<DriftRunRequest> & { paths: string[]; namespace: string }): Promise<DriftRunResult>;
  stop(): Promise<void>;
}

export interface Folder {
  dir: string;
  write(name: string, text: string): void;
  remove(name: string): void;
}

export async function startDriftSim(): Promise<DriftSim> {
  const s = await startApplySim({ podReadyDelayMs: 100 });
  const ports = releasePorts(s.session.client, s.clock, '0.1.0-test');
  const schemaSources = [new SchemaDirSource(openapiDir)];
  return {
    s,
    ports,
    kubectl: (namespace) => new KubectlEnv(s.sim.kubeconfig({ namespace })),
    folder(files) {
      const dir = mkdtempSync(path.join(tmpdir(), 'kd-drift-'));
      const folder: Folder = {
        dir,
        write: (name, text) => {
          mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
          writeFileSync(path.join(dir, name), text);
        },
        remove: (name) => rmSync(path.join(dir, name)),
      };
      for (const [name, text] of Object.entries(files)) folder.write(name, text);
      return folder;
    },
    async apply(dir, release, namespace) {
      const desired = await readDesired({ paths: [dir], defaultNamespace: namespace, env: {}, cwd: repoRoot, schemaSources });
      const events = await s.apply({ objects: desired.manifests, diagnostics: desired.diagnostics, release: { name: release, namespace }, paths: [dir] }, { ports });
      const done = doneOf(events);
      if (done.status !== 'succeeded') throw new Error(`apply failed: ${JSON.stringify(done.failure)}`);
    },
    drift(request) {
      const full: DriftRunRequest = {
        contexts: [],
        env: {},
        cwd: repoRoot,
        ignore: [] as IgnoreRule[],
        showForeign: false,
        diff: false,
        failOn: [...DEFAULT_FAIL_ON],
        secretSalt: SALT,
        now: () => REPORT_TIME,
        kdVersion: '0.1.0-test',
        release: 'app',
        ...request,
      };
      return runDrift(full, {
        openTarget: async (_context, signal) =>
          sessionOver(s.session.client, { version: full.kdVersion, signal, ...(full.storage ? { storage: full.storage } : {}) }, { clock: s.clock, namespace: request.namespace, context: 'kd-sim', description: 'kd sim', close: async () => {} }),
      });
    },
    stop: () => s.stop(),
  };
}

/** One line per finding, for exact comparison: `Kind name class /pointer applied → live (manager operation)`. */
export function findingLines(report: DriftReport): string[] {
  const out: string[] = [];
  for (const t of report.targets)
    for (const o of t.objects) {
      if (o.findings.length === 0) out.push(`${o.ref.kind} ${o.ref.name} ${o.class}`);
      for (const f of o.findings) {
        const ptr = f.path === undefined ? '' : ` ${'/' + f.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
        const values = f.path === undefined ? '' : ` ${show(f.desired)}|${show(f.applied)}|${show(f.live)}`;
        const owner = f.owner ? ` (${f.owner.manager} ${f.owner.operation}${f.owner.subresource ? ` ${f.owner.subresource}` : ''})` : '';
        out.push(`${o.ref.kind} ${o.ref.name} ${f.class}${ptr}${values}${owner}`);
      }
    }
  return out;
}

function show(v: unknown): string {
  return v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
}
