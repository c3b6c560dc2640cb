/**
 * The watch screen as data: a pure fold of the loop's event stream (which carries the executor's
 * apply events) into what the screen shows. The components render a `WatchView` and nothing
 * else, so every screen state can be built from events in a test and compared as a frame.
 *
 * Times: `at` of apply events is the executor's clock (the simulator's scaled time under --sim),
 * used for elapsed times; wall-clock times (the header's "last apply") are formatted by the
 * `formatClock` given, so tests pin the time zone.
 */
import { displayRef, objectKey, type ApplyEvent, type Diagnostic, type HealthState, type ObjectRef, type Plan, type PlanEntry } from '../../src/index.js';
import type { DriftEntry, LoopEvent } from '../watch/loop-events.js';

export type WatchState = 'starting' | 'validating' | 'applying' | 'watching' | 'invalid' | 'stopping';
export type RowPhase = 'waiting' | 'applying' | 'progressing' | 'healthy' | 'failed' | 'unchanged' | 'pruned';

export interface ObjectRow {
  key: string;
  ref: ObjectRef;
  /** `Deployment shop/web`. */
  label: string;
  /** create, update, unchanged, prune, or the hook's phase (`pre-apply hook`). */
  action: string;
  phase: RowPhase;
  health?: { state: HealthState; ready?: { ready: number; desired: number }; message: string };
  startedAt?: number;
  endedAt?: number;
  /** For hooks created from generateName: the name the cluster gave. */
  createdName?: string;
  failure?: string;
}

export interface RowGroup {
  title: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  rows: ObjectRow[];
}

export interface LogLine {
  at: number;
  level: 'info' | 'ok' | 'warning' | 'error';
  text: string;
}

export interface FinishedLine {
  id: number;
  level: 'ok' | 'warning' | 'error';
  text: string;
}

export interface WatchView {
  context: string;
  /** The release's namespace (where its record lives). */
  namespace: string;
  /** --self-heal is on (the drift panel says so). */
  selfHeal?: boolean;
  /** The namespaces the release's objects use, from the last plan (the header shows these). */
  namespaces?: string[];
  release: string;
  revision?: number;
  state: WatchState;
  paused: boolean;
  queued: boolean;
  lastApply?: { time: string; ok: boolean; text: string };
  groups: RowGroup[];
  problems: Diagnostic[];
  drift: DriftEntry[];
  log: LogLine[];
  finished: FinishedLine[];
  selected: number;
  overlay?: { kind: 'help' | 'diff' | 'events'; title: string; lines: string[] };
  /** The last apply failed on a field conflict: its whole message and hint, shown until the next apply ends (F re-applies with force). */
  conflict?: { message: string; hint?: string };
  /** The executor's clock as of the last event or tick, for elapsed times. */
  now: number;
  spinner: number;
}

export interface ViewEnv {
  formatClock: (wallMs: number) => string;
}

const LOG_KEEP = 50;

export function initialView(header: { context: string; namespace: string; release: string; selfHeal?: boolean }): WatchView {
  return { ...header, state: 'starting', paused: false, queued: false, groups: [], problems: [], drift: [], log: [], finished: [], selected: 0, now: 0, spinner: 0 };
}

/** All rows in screen order (what the selection indexes). */
export function allRows(view: Pick<WatchView, 'groups'>): ObjectRow[] {
  return view.groups.flatMap((g) => g.rows);
}

export function selectedRow(view: WatchView): ObjectRow | undefined {
  return allRows(view)[view.selected];
}

export function reduceView(view: WatchView, event: LoopEvent, env: ViewEnv): WatchView {
  switch (event.type) {
    case 'watching':
      return log(view, event.at, 'info', `watching ${event.roots.join(', ')}`);
    case 'files-changed': {
      const names = [...event.changed, ...event.removed.map((f) => `${f} (removed)`)];
      return log({ ...view, state: 'validating' }, event.at, 'info', `changed: ${names.join(', ')}`);
    }
    case 'validated': {
      const next: WatchView = { ...view, problems: event.diagnostics };
      if (event.errors > 0) return { ...next, state: 'invalid' };
      return log(next, event.at, 'info', `valid: ${plural(event.objects, 'object')}${event.diagnostics.length > 0 ? ` (${plural(event.diagnostics.length, 'warning')})` : ''}`);
    }
    case 'skipped': {
      const invalid = view.state === 'invalid';
      const v = log({ ...view, state: invalid ? 'invalid' : 'watching' }, event.at, invalid ? 'error' : 'info', event.reason);
      if (!invalid) return v;
      return finish(v, 'error', `${env.formatClock(event.at)} ${event.reason}`);
    }
    case 'queued':
      return log({ ...view, queued: true }, event.at, 'info', 'change queued: one more apply after this one');
    case 'apply-started':
      return { ...view, state: 'applying', queued: false, groups: [], selected: 0, problems: view.problems.filter((d) => d.severity !== 'error') };
    case 'paused':
      return log({ ...view, paused: true }, event.at, 'info', 'watching paused (p to resume)');
    case 'resumed':
      return log({ ...view, paused: false }, event.at, 'info', 'watching resumed');
    case 'drift': {
      const v = { ...view, drift: event.entries };
      // One log line per new finding (who changed what), one when all is in sync again.
      const known = new Set(view.drift.map(driftKey));
      const added = event.entries.filter((e) => !known.has(driftKey(e)));
      if (event.entries.length === 0) return view.drift.length === 0 ? v : log(v, event.at, 'info', 'drift: the cluster matches the files again');
      return added.reduce((acc, e) => log(acc, event.at, 'warning', describeDrift(e, env.formatClock)), v);
    }
    case 'healed':
      return log(view, event.at, event.level, event.message);
    case 'detail':
      return { ...view, overlay: { kind: event.title.startsWith('events') ? 'events' : 'diff', title: event.title, lines: event.lines } };
    case 'notice':
      return log(view, event.at, event.level === 'info' ? 'info' : event.level, event.message);
    case 'apply':
      return reduceApply(view, event.event, env, event.at);
  }
}

function reduceApply(view: WatchView, e: ApplyEvent, env: ViewEnv, wallAt: number): WatchView {
  const v: WatchView = { ...view, now: Math.max(view.now, e.at) };
  switch (e.type) {
    case 'plan':
      return { ...v, groups: groupsOf(e.plan), namespaces: namespacesOf(e.plan), selected: 0, ...(e.release?.revision !== undefined ? { revision: e.release.revision } : {}) };
    case 'diagnostics':
      return { ...v, problems: e.diagnostics };
    case 'wave-started':
      return { ...v, groups: v.groups.map((g) => (g.title === waveTitle(e.wave) ? { ...g, state: 'running' } : g)) };
    case 'wave-finished':
      return { ...v, groups: v.groups.map((g) => (g.title === waveTitle(e.wave) ? { ...g, state: e.ok ? 'done' : 'failed' } : g)) };
    case 'object-applied':
      return updateRow(v, e.ref, (r) => ({ ...r, action: e.action === 'namespace-created' ? 'create' : r.action, phase: e.action === 'unchanged' ? 'unchanged' : 'applying', startedAt: e.at }));
    case 'health-changed':
      return updateRow(v, e.ref, (r) => {
        const health: NonNullable<ObjectRow['health']> = { state: e.status, message: e.message, ...(e.ready ? { ready: e.ready } : {}) };
        const phase: RowPhase = e.status === 'Current' ? (r.action === 'unchanged' ? 'unchanged' : 'healthy') : e.status === 'Failed' ? 'failed' : 'progressing';
        return { ...r, health, phase, ...(e.status === 'Current' || e.status === 'Failed' ? { endedAt: e.at } : {}), ...(r.startedAt === undefined ? { startedAt: e.at } : {}) };
      });
    case 'health-check':
      // The check is the last step of the row's health: in progress until it passes.
      return updateRow(v, e.ref, (r) => {
        const status: HealthState = e.state === 'passed' ? 'Current' : e.state === 'failed' ? 'Failed' : 'InProgress';
        const text = e.state === 'running' ? `check ${e.check}` : `check ${e.check} ${e.state}: ${e.message}`;
        const health: NonNullable<ObjectRow['health']> = { state: status, message: text, ...(r.health?.ready ? { ready: r.health.ready } : {}) };
        const phase: RowPhase = e.state === 'passed' ? (r.action === 'unchanged' ? 'unchanged' : 'healthy') : e.state === 'failed' ? 'failed' : 'progressing';
        const { endedAt: _ended, ...rest } = r;
        return { ...rest, health, phase, ...(e.state === 'passed' || e.state === 'failed' ? { endedAt: e.at } : {}) };
      });
    case 'hook-started':
      return withGroupState(updateRow(v, e.ref, (r) => ({ ...r, phase: 'applying', startedAt: e.at })), e.phase, 'running');
    case 'hook-finished': {
      const next = updateRow(v, e.ref, (r) => ({ ...r, phase: e.ok ? 'healthy' : 'failed', endedAt: e.at, ...(e.ok ? {} : { failure: e.message }), ...(e.ref.name ? { createdName: e.ref.name } : {}) }));
      const group = next.groups.find((g) => g.title === phaseTitle(e.phase));
      const finishedGroup = group && group.rows.every((r) => r.phase === 'healthy' || r.phase === 'failed' || r.phase === 'unchanged');
      return finishedGroup ? withGroupState(next, e.phase, e.ok ? 'done' : 'failed') : next;
    }
    case 'prune':
    case 'object-deleted':
      return updateRow(v, e.ref, (r) => ({ ...r, phase: 'pruned', endedAt: e.at }));
    case 'object-failed':
      return log(
        updateRow(v, e.ref, (r) => ({ ...r, phase: 'failed', failure: `${e.reason}: ${e.message}`, endedAt: e.at })),
        e.at,
        'error',
        `${displayRef(e.ref)}: ${e.reason}: ${e.message}`,
      );
    case 'retry':
      return log(v, e.at, 'warning', `${e.request}: ${e.reason}, retry ${e.attempt + 1}`);
    case 'warning':
      return log(v, e.at, 'warning', e.message);
    case 'diff':
      return v;
    case 'done': {
      const c = e.counts;
      const counts = `${c.applied} applied, ${c.unchanged} unchanged${c.pruned ? `, ${c.pruned} pruned` : ''}${c.hooks ? `, ${plural(c.hooks, 'hook')}` : ''}`;
      const revision = e.revision ?? v.revision;
      const ok = e.status === 'succeeded';
      const text = ok ? `succeeded in ${duration(e.durationMs)} (${counts})` : `${e.status}: ${e.failure?.message ?? ''}`;
      const time = env.formatClock(wallAt);
      const { conflict: _previous, ...rest } = v;
      const conflict = e.failure?.kind === 'conflict' ? { conflict: { message: e.failure.message, ...(e.failure.hint ? { hint: e.failure.hint } : {}) } } : {};
      const next: WatchView = { ...rest, ...conflict, state: 'watching', lastApply: { time, ok, text: ok ? `succeeded in ${duration(e.durationMs)}` : e.status === 'interrupted' ? 'interrupted' : `failed (${e.failure?.kind ?? 'error'})` }, ...(revision !== undefined ? { revision } : {}) };
      const line = `${time} ${revision !== undefined ? `${e.unchanged ? 'unchanged: ' : ''}revision ${revision} ` : ''}${text}`;
      return finish(log(next, wallAt, ok ? 'ok' : 'error', text), ok ? 'ok' : e.status === 'interrupted' ? 'warning' : 'error', line);
    }
  }
}

function namespacesOf(plan: Plan): string[] {
  const all = [...plan.preApply, ...plan.waves.flatMap((w) => w.entries), ...plan.postApply].map((e) => e.ref.namespace).filter((n): n is string => !!n);
  return [...new Set(all)].sort();
}

function driftKey(e: DriftEntry): string {
  return `${objectKey(e.ref)}|${e.path}|${e.class}|${e.live ?? ''}`;
}

function groupsOf(plan: Plan): RowGroup[] {
  const groups: RowGroup[] = [];
  const rows = (entries: readonly PlanEntry[]) => entries.map(rowOf);
  if (plan.preApply.length > 0) groups.push({ title: 'pre-apply', state: 'waiting', rows: rows(plan.preApply) });
  for (const w of plan.waves) groups.push({ title: waveTitle(w.wave), state: 'waiting', rows: rows(w.entries) });
  if (plan.prune.length > 0) groups.push({ title: 'prune', state: 'waiting', rows: rows(plan.prune) });
  if (plan.postApply.length > 0) groups.push({ title: 'post-apply', state: 'waiting', rows: rows(plan.postApply) });
  return groups;
}

function rowOf(entry: PlanEntry): ObjectRow {
  const action = entry.hook ? (entry.hook.phase === 'sync' ? 'sync hook' : 'hook') : entry.action;
  return { key: entry.key, ref: entry.ref, label: displayRef(entry.ref), action, phase: entry.action === 'unchanged' && !entry.hook ? 'unchanged' : 'waiting' };
}

function waveTitle(wave: number): string {
  return `wave ${wave}`;
}

/** The group a hook phase's rows are in: every phase before the waves is in `pre-apply`, every one after in `post-apply`. */
function phaseTitle(phase: string): string {
  if (phase === 'wave' || phase === 'sync') return '';
  if (phase === 'pre-install' || phase === 'pre-upgrade' || phase === 'pre-rollback') return 'pre-apply';
  if (phase === 'post-install' || phase === 'post-upgrade' || phase === 'post-rollback') return 'post-apply';
  return phase;
}

function withGroupState(view: WatchView, phase: string, state: RowGroup['state']): WatchView {
  const title = phaseTitle(phase);
  if (!title) return view;
  return { ...view, groups: view.groups.map((g) => (g.title === title ? { ...g, state } : g)) };
}

/**
 * Finds the row of an event's object: by identity, or for a hook created from `generateName`,
 * the hook row of the same kind and namespace whose prefix the created name has.
 */
function updateRow(view: WatchView, ref: ObjectRef, update: (row: ObjectRow) => ObjectRow): WatchView {
  const key = objectKey(ref);
  let found = false;
  const match = (r: ObjectRow) => {
    if (found) return false;
    if (r.key === key) return (found = true);
    const generate = r.ref.generateName;
    if (!r.ref.name && generate && r.ref.kind === ref.kind && r.ref.namespace === ref.namespace) {
      const same = r.createdName === undefined ? ref.name === '' || ref.name.startsWith(generate) : r.createdName === ref.name;
      if (same) return (found = true);
    }
    return false;
  };
  const groups = view.groups.map((g) => {
    const i = g.rows.findIndex(match);
    if (i < 0) return g;
    const rows = [...g.rows];
    const row = rows[i]!;
    const updated = update(row);
    rows[i] = ref.name && !row.ref.name ? { ...updated, createdName: ref.name } : updated;
    return { ...g, rows };
  });
  return found ? { ...view, groups } : view;
}

function log(view: WatchView, at: number, level: LogLine['level'], text: string): WatchView {
  const next = [...view.log, { at, level, text }];
  return { ...view, log: next.length > LOG_KEEP ? next.slice(-LOG_KEEP) : next };
}

function finish(view: WatchView, level: FinishedLine['level'], text: string): WatchView {
  return { ...view, finished: [...view.finished, { id: view.finished.length, level, text }] };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Elapsed time of a row: until it finished, or until now while it runs. */
export function rowElapsed(row: ObjectRow, now: number): string {
  if (row.startedAt === undefined) return '';
  return duration(Math.max(0, (row.endedAt ?? now) - row.startedAt));
}

/** Moves the selection, clamped to the rows. */
export function moveSelection(view: WatchView, delta: number): WatchView {
  const count = allRows(view).length;
  if (count === 0) return view;
  return { ...view, selected: Math.min(count - 1, Math.max(0, view.selected + delta)) };
}

/**
 * One drift finding as a line, its class first: `drifted Deployment shop/web spec.replicas 3 → 6
 * by kubectl (Update) 00:12:03` (applied → live, and who wrote the live value); `pending …: 3 → 4
 * in the files`; `conflict …: files 4, cluster 6 by …`.
 */
export function describeDrift(e: DriftEntry, formatClock: (ms: number) => string): string {
  const name = displayRef(e.ref);
  const by = e.owner ? ` by ${e.owner.manager} (${e.owner.operation})${e.owner.time ? ` ${formatClock(Date.parse(e.owner.time))}` : ''}` : '';
  const v = (x: string | undefined) => x ?? '(absent)';
  switch (e.class) {
    case 'missing':
      return `missing ${name}: deleted in the cluster`;
    case 'orphan':
      return `orphan ${name}: in the cluster, no longer in the files`;
    case 'pending':
      return `pending ${name} ${e.path} ${v(e.applied)} → ${v(e.desired)} in the files`;
    case 'conflict':
      return `conflict ${name} ${e.path}: files ${v(e.desired)}, cluster ${v(e.live)}${by}`;
    case 'foreign':
      return `foreign ${name} ${e.path} ${v(e.live)}${by}`;
    case 'drifted':
      return `drifted ${name} ${e.path} ${v(e.applied)} → ${v(e.live)}${by}`;
  }
}
