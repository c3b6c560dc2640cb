/**
 * From kubectl's flags to a session request: the core opens it (src/session/open.ts). Flags left
 * unset are not passed on, so the core's defaults (context namespace, rate limits, simulator
 * speed) apply. Also the flag and environment parsing that several commands share
 * (`--history-max`/KD_HISTORY_MAX, `--storage`).
 */
import { openSession, parseStorage, usageError, type Session, type SessionRequest, type StorageChoice } from '../../src/index.js';
import { storageFlags } from '../flags.js';
import type { CommandContext } from '../context.js';

/** The connection flags a command may carry; only `apply --watch` sets `simSpeed`. */
export type TargetFlags = Pick<SessionRequest, 'sim' | 'kubeconfig' | 'context' | 'namespace' | 'qps' | 'burst' | 'simSpeed' | 'historyMax' | 'storage'>;

/**
 * Opens the command's session. `signal` stops the record store's own requests: the release
 * commands that only read or delete pass theirs; apply and rollback do not (their run marks its
 * revision failed after an interrupt).
 */
export function openTarget(flags: TargetFlags, ctx: CommandContext, options: { signal?: AbortSignal } = {}): Promise<Session> {
  return openSession({
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
    ...(options.signal === undefined ? {} : { signal: options.signal }),
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
