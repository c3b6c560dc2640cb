/**
 * Reads just enough of the kubeconfig (KUBECONFIG's files, first current-context wins, else
 * ~/.kube/config) to know the current context's namespace, without loading the full client.
 * Offline commands like validate use it for namespace defaulting, as kubectl does.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from '../manifest/parse-document.js';

/** Limits as for manifests: a kubeconfig is small, and a hostile one must not hang validate. */
const LIMITS = { maxDepth: 100, maxAliasExpansion: 100_000 };

/**
 * A kubeconfig file's one document, read with the manifest parser (Kubernetes' scalar rules, as
 * kubectl's YAML library reads it), which every validate has loaded and warmed already; parsing
 * with the `yaml` library instead cost a small validate 10 ms more whenever a kubeconfig existed.
 */
function readKubeconfig(text: string): unknown {
  const parsed = parseDocument(text, LIMITS);
  return parsed.ok && parsed.values.length === 1 ? parsed.values[0] : undefined;
}

interface KubeconfigLike {
  'current-context'?: string;
  contexts?: Array<{ name?: string; context?: { namespace?: string } }>;
}

export function kubeconfigFiles(env: NodeJS.ProcessEnv, explicit?: string): string[] {
  if (explicit) return [explicit];
  const list = env.KUBECONFIG;
  if (list) return list.split(path.delimiter).filter(Boolean);
  return [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
}

/** The namespace of `context` (or of the current context); undefined when none is set or nothing can be read. */
export function contextNamespace(options: { env: NodeJS.ProcessEnv; kubeconfig?: string; context?: string }): string | undefined {
  const docs: KubeconfigLike[] = [];
  for (const file of kubeconfigFiles(options.env, options.kubeconfig)) {
    try {
      const doc = readKubeconfig(readFileSync(file, 'utf8')) as KubeconfigLike | null | undefined;
      if (doc && typeof doc === 'object') docs.push(doc);
    } catch {
      // An unreadable kubeconfig only means no namespace default: validate works offline.
    }
  }
  const current = options.context ?? docs.find((d) => d['current-context'])?.['current-context'];
  if (!current) return undefined;
  for (const d of docs) {
    // A malformed file (contexts not a list, a context not a mapping) gives no default, not a crash.
    const ctx = Array.isArray(d.contexts) ? d.contexts.find((c) => c !== null && typeof c === 'object' && c.name === current) : undefined;
    if (ctx) {
      const namespace = ctx.context !== null && typeof ctx.context === 'object' ? ctx.context.namespace : undefined;
      return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
    }
  }
  return undefined;
}
