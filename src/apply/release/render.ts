/**
 * Text forms of history and list (the JSON forms are plugin/output/releases-json.ts), stable so that tests compare them exactly. Tables are
 * aligned like kubectl's (columns padded, three spaces apart, no trailing spaces). Only labels
 * and annotations of the records are shown: the objects (and the Secret values among them) never.
 */
import type { HeldLock } from '../lock.js';
import type { Revision } from './types.js';

/** `kubectl kd list --pending`: a release whose latest revision is pending, and its lock (null: nobody holds it). */
export interface PendingRelease extends Revision {
  lock: HeldLock | null;
}

export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `apply: health: Deployment shop/web ...`: the description, and the state's message when there is one. */
export function describeRevision(r: Pick<Revision, 'description' | 'message'> & { state?: Revision['state'] }): string {
  // A revision kept by `delete --keep-history`: the message is the deletion's, not the apply's.
  if (r.state === 'deleted') return `${r.description === '' ? '' : `${r.description}; `}release deleted (${r.message === '' ? 'history kept' : `${r.message}, history kept`})`;
  if (r.message === '') return r.description;
  if (r.description === '') return r.message;
  return `${r.description}: ${r.message}`;
}

export function renderHistoryText(revisions: readonly Revision[]): string {
  return renderTable(
    ['REVISION', 'UPDATED', 'STATUS', 'OBJECTS', 'DESCRIPTION'],
    revisions.map((r) => [String(r.revision), r.updated, r.state, String(r.objectCount), oneLine(describeRevision(r))]),
  );
}

export function renderListText(releases: readonly Revision[]): string {
  return renderTable(
    ['NAME', 'NAMESPACE', 'REVISION', 'STATUS', 'UPDATED', 'OBJECTS'],
    releases.map((r) => [r.name, r.namespace, String(r.revision), r.state, r.updated, String(r.objectCount)]),
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** LOCK: `live (HOLDER since TIME)`, `expired (HOLDER since TIME)` or `none`; only an expired or absent lock can be recovered. */
export function renderPendingText(releases: readonly PendingRelease[]): string {
  return renderTable(
    ['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'LOCK'],
    releases.map((r) => [r.name, r.namespace, String(r.revision), r.updated, r.lock === null ? 'none' : `${r.lock.live ? 'live' : 'expired'} (${r.lock.holder} since ${r.lock.since})`]),
  );
}

