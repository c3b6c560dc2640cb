/**
 * Opens what a command works on: a cluster from kubectl's flags, or an in-process kd sim
 * (`--sim`). Flags left unset are not passed on, so the core's defaults (context namespace,
 * rate limits, simulator speed) apply.
 */
import { openApplyTarget, parseStorage, usageError, type ApplyDeps, type ApplyTarget, type ApplyTargetRequest, type StorageChoice } from '../../src/index.js';
import { storageFlags } from '../flags.js';
import type { CommandContext } from '../context.js';

/** The connection flags a command may carry; only `apply --watch` sets `simSpeed`. */
export type TargetFlags = Pick<ApplyTargetRequest, 'sim' | 'kubeconfig' | 'context' | 'namespace' | 'qps' | 'burst' | 'simSpeed' | 'historyMax' | 'storage'>;

export function openTarget(flags: TargetFlags, ctx: CommandContext): Promise<ApplyTarget> {
  return openApplyTarget({
    sim: flags.sim,
    env: ctx.env,
    version: ctx.version,
    ...(flags.simSpeed === undefined ? {} : { simSpeed: flags.simSpeed }),
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { context: flags.context }),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    ...(flags.qps === undefined ? {} : { qps: flags.qps }),
    ...(flags.burst === undefined ? {} : { burst: flags.burst }),
    ...historyMaxOf(flags.historyMax, ctx.env),
    ...(flags.storage === undefined ? {} : { storage: flags.storage }),
  });
}

/** `--storage`/`--storage-namespace`, else KD_STORAGE/KD_STORAGE_NAMESPACE, else Secrets in the release's namespace. */
export function storageOf(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): StorageChoice {
  return parseStorage(storageFlags(argv), env);
}

/** `--history-max N` as given on the command line (a whole number, 0 = unlimited); undefined when absent. */
export function historyMaxFlag(argv: Record<string, unknown>): { historyMax?: number } {
  const value = argv['history-max'];
  return value === undefined ? {} : { historyMax: parseHistoryMax(String(value), '--history-max') };
}

/** The flag wins; else `KD_HISTORY_MAX`; else the store's default (10). */
function historyMaxOf(flag: number | undefined, env: NodeJS.ProcessEnv): { historyMax?: number } {
  if (flag !== undefined) return { historyMax: flag };
  const value = env['KD_HISTORY_MAX'];
  return value === undefined || value === '' ? {} : { historyMax: parseHistoryMax(value, 'KD_HISTORY_MAX') };
}

function parseHistoryMax(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw usageError(`${what} must be a whole number of revisions to keep (0 keeps all), not "${text}"`, 'e.g. --history-max 10');
  return n;
}

/** What the executor needs of a target for one run, stopped by `signal`. */
export function executorDeps(target: ApplyTarget, signal: AbortSignal): ApplyDeps {
  return { client: target.client, clock: target.clock, signal, ports: target.ports, retries: target.retries };
}
