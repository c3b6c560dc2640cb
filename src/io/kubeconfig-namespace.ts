/**
 * Reads just enough of the kubeconfig (KUBECONFIG's files, first current-context wins, else
 * ~/.kube/config) to know the current context's namespace, without loading the full client.
 * Offline commands like validate use it for namespace defaulting, as kubectl does.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

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
      const doc = parse(readFileSync(file, 'utf8')) as KubeconfigLike | null;
      if (doc && typeof doc === 'object') docs.push(doc);
    } catch {
      // An unreadable kubeconfig only means no namespace default: validate works offline.
    }
  }
  const current = options.context ?? docs.find((d) => d['current-context'])?.['current-context'];
  if (!current) return undefined;
  for (const d of docs) {
    const ctx = d.contexts?.find((c) => c.name === current);
    if (ctx) return ctx.context?.namespace || undefined;
  }
  return undefined;
}
