/**
 * `kubectl kd apply --watch`: applies once, then re-applies on every save until `q` or Ctrl-C.
 * Wires the parts together and owns their lifetimes: the target (cluster or --sim), the desired
 * objects cache, the apply loop, the file watcher, the cluster follower (drift, `d`), the
 * self-healer (--self-heal), and the output:
 * the Ink screen on a terminal, plain lines otherwise (`--no-tui`, pipes, CI).
 *
 * Ends cleanly: the running apply is stopped through its signal and awaited (revision marked,
 * lock released), the watchers closed, the screen unmounted (cursor and raw mode restored).
 * Exit code 0 when stopped by the user with `q`, 130 on a signal (SIGINT/SIGTERM).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, describeRef, executorDeps, formatMetav1Time, inputError, objectKey, runApply, usageError, type DoneEvent, type Session } from '../../src/index.js';
import { stdoutStyle, type CommandContext } from '../context.js';
import { applyRequestSettings, type ApplyOptions } from '../commands/apply.js';
import { openTarget } from '../commands/target.js';
import { RunNotifier, notifyContextOf, notifyEach } from '../notify.js';
import { initialView, type ObjectRow } from '../ui/view-model.js';
import { ViewStore } from '../ui/view-store.js';
import { mountWatchScreen } from '../ui/mount.js';
import { shouldColor } from '../output/style.js';
import { ApplyLoop } from './apply-loop.js';
import { ClusterFollower } from './cluster-follow.js';
import { DesiredCache } from './desired-cache.js';
import { watchInputs } from './file-watcher.js';
import type { LoopEvent } from './loop-events.js';
import { clockTime, plainWatchFormatter } from './plain-output.js';
import { SelfHealer } from './self-heal.js';

export interface WatchFlags {
  /** `--no-tui` sets false: plain lines even on a terminal. */
  tui: boolean;
  /** Simulated ms per real one under --sim; default: real time on the screen (watch it happen), 20 for plain output. */
  simSpeed?: number;
  /** Debounce of file events, ms (default 100). */
  debounceMs?: number;
  /** `--self-heal`: re-apply what another manager changed or deleted in the cluster. */
  selfHeal?: boolean;
}

/** Under --sim the screen runs the simulator at twice real time: the slow worker is seen becoming ready. */
const SCREEN_SIM_SPEED = 2;

export async function runApplyWatch(options: ApplyOptions & WatchFlags, ctx: CommandContext): Promise<number> {
  if (options.paths.includes('-')) throw usageError('--watch cannot read standard input', 'give files or folders to watch');
  if (options.dryRun !== 'none') throw usageError('--watch applies on every save; it cannot be combined with --dry-run', 'run kubectl kd apply --dry-run=client without --watch to see the plan');
  if (options.output !== 'text') throw usageError('--watch prints text (a screen, or lines with --no-tui); -o jsonl is not supported with it');
  for (const p of options.paths) if (!existsSync(path.resolve(ctx.cwd, p))) throw inputError(`${p}: no such file or directory`, 'check the path; give files or folders to watch');
  // This command stops cleanly on SIGINT/SIGTERM by itself (the lock is released).
  if (ctx.interrupt) ctx.interrupt.handled = true;
  const tui = options.tui && ctx.stdout.isTTY === true && ctx.stdin.isTTY === true && ctx.env.TERM !== 'dumb';
  const simSpeed = options.simSpeed ?? (tui ? SCREEN_SIM_SPEED : undefined);
  const target: Session = await openTarget({ ...options, simSpeed }, ctx);
  const now = () => Date.now();
  let finish!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const onSignal = () => finish(ExitCode.interrupted);
  ctx.signal.addEventListener('abort', onSignal, { once: true });
  if (ctx.signal.aborted) finish(ExitCode.interrupted);

  const out = tui ? screenOutput(options, ctx, target, () => finish(ExitCode.ok)) : plainOutput(options, ctx);
  let healer: SelfHealer | undefined;
  /** Objects the running apply failed on: their last applied state stays the previous one. */
  let failed = new Set<string>();
  const emit = (e: LoopEvent) => {
    if (e.type === 'apply-started') failed = new Set();
    if (e.type === 'apply' && e.event.type === 'object-failed') failed.add(objectKey(e.event.ref));
    const shown = relativePaths(e, ctx.cwd);
    out.emit(shown);
    if (shown.type === 'drift') healer?.observe(shown.entries);
  };
  let watcher: ReturnType<typeof watchInputs> | undefined;
  // Fields others add from now on (kubectl label) are foreign; a minute's slack for the server's clock.
  const follower = new ClusterFollower({ client: target.client, emit, now, salt: randomBytes(16).toString('hex'), foreignSince: formatMetav1Time(target.clock.now() - 60_000) });
  let lastDone: DoneEvent | undefined;
  /** `--notify` deliveries still under way; awaited before exiting. */
  const notifying = new Set<Promise<void>>();
  try {
    const cache = new DesiredCache({ paths: options.paths, cwd: ctx.cwd, env: ctx.env, defaultNamespace: target.namespace, input: options.input });
    const loop = new ApplyLoop({
      source: cache,
      request: { ...applyRequestSettings(options, target.namespace), description: 'apply --watch' },
      apply: (request, signal) => {
        const events = runApply(request, executorDeps(target, signal));
        if (!options.notify) return events;
        const notifier = new RunNotifier(options.notify, { release: request.release!, context: notifyContextOf(target.description), operation: 'apply' });
        return notifyEach(events, notifier, notifying, (message) => emit({ type: 'notice', at: now(), level: 'warning', message }));
      },
      emit,
      now,
      onApplyStart: () => follower.suspend(),
      onApplied: (manifests, done) => {
        // Runs stopped before anything was sent leave the cluster as it was.
        lastDone = done;
        if (done && done.failure?.kind !== 'invalid' && done.failure?.kind !== 'lock' && done.failure?.kind !== 'refused') follower.follow(manifests, failed);
        follower.resume();
      },
    });
    if (options.selfHeal) {
      healer = new SelfHealer({
        clock: { now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
        formatClock: clockTime,
        emit,
        // Taking the fields back from the manager that changed them: --force-conflicts, as `F`; no hooks.
        reapply: async () => {
          lastDone = undefined;
          loop.applyNow({ heal: true });
          await loop.idle();
          return (lastDone as DoneEvent | undefined)?.status === 'succeeded';
        },
      });
    }
    out.bind({
      applyNow: () => loop.applyNow(),
      applyWithForce: () => loop.applyNow({ forceConflicts: true }),
      togglePause: () => {
        if (!watcher) return;
        const paused = out.paused();
        if (paused) watcher.resume();
        else watcher.pause();
        emit({ type: paused ? 'resumed' : 'paused', at: now() });
      },
      diff: (row) => emit({ type: 'detail', at: now(), title: `diff ${describeRef(row.ref)}: live → files`, lines: row.action.endsWith('hook') ? ['a hook: created by each apply and deleted after it, so not followed'] : follower.diffLines(row.ref) }),
      events: (row) => {
        void eventLines(target, row).then((lines) => emit({ type: 'detail', at: now(), title: `events ${describeRef(row.ref)}`, lines }));
      },
    });
    watcher = watchInputs({
      roots: cache.roots,
      onBatch: (batch) => loop.changed(batch),
      onError: (error) => emit({ type: 'notice', at: now(), level: 'warning', message: `file watching: ${error.message}` }),
      ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
    });
    await watcher.ready;
    emit({ type: 'watching', at: now(), roots: options.paths });
    void loop.start();
    const code = await finished;
    out.stopping();
    await loop.stop();
    // The last revision's notification still goes out (each try is bounded by its timeout).
    await Promise.all([...notifying]);
    return code;
  } finally {
    ctx.signal.removeEventListener('abort', onSignal);
    healer?.stop();
    follower.stop();
    await watcher?.close();
    await out.close();
    await target.close();
  }
}

interface Output {
  emit(e: LoopEvent): void;
  bind(actions: { applyNow(): void; applyWithForce(): void; togglePause(): void; diff(row: ObjectRow): void; events(row: ObjectRow): void }): void;
  paused(): boolean;
  stopping(): void;
  close(): Promise<void>;
}

function plainOutput(options: ApplyOptions, ctx: CommandContext): Output {
  const format = plainWatchFormatter({ style: stdoutStyle(ctx, options.color), verbose: options.verbose, formatClock: clockTime });
  let paused = false;
  return {
    emit: (e) => {
      if (e.type === 'paused') paused = true;
      if (e.type === 'resumed') paused = false;
      const text = format(e);
      if (text) ctx.stdout.write(text);
    },
    bind: () => {},
    paused: () => paused,
    stopping: () => ctx.stdout.write(`${clockTime(Date.now())} watch    stopping\n`),
    close: async () => {},
  };
}

function screenOutput(options: ApplyOptions & WatchFlags, ctx: CommandContext, target: Session, quit: () => void): Output {
  const theme = { color: shouldColor(ctx.stdout, ctx.env, options.color) };
  const store = new ViewStore(initialView({ context: target.description.startsWith('context ') ? target.description.slice(8) : 'kd sim', namespace: target.namespace, release: options.release, selfHeal: options.selfHeal === true }), {
    env: { formatClock: clockTime },
    clock: () => target.clock.now(),
  });
  let actions: Parameters<Output['bind']>[0] | undefined;
  const screen = mountWatchScreen(
    {
      store,
      theme,
      formatClock: clockTime,
      actions: {
        quit,
        applyNow: () => actions?.applyNow(),
        applyWithForce: () => actions?.applyWithForce(),
        togglePause: () => actions?.togglePause(),
        diff: (row) => actions?.diff(row),
        events: (row) => actions?.events(row),
      },
    },
    { stdout: ctx.stdout, stdin: ctx.stdin, stderr: ctx.stderr },
  );
  return {
    emit: (e) => store.dispatch(e),
    bind: (a) => (actions = a),
    paused: () => store.getSnapshot().paused,
    stopping: () => store.update((v) => ({ ...v, state: 'stopping', overlay: undefined })),
    close: async () => {
      store.dispose();
      await screen.unmount();
    },
  };
}

/** File names on screen and in plain lines are relative to the current folder (as the user typed them). */
export function relativePaths(e: LoopEvent, cwd: string): LoopEvent {
  const rel = (f: string) => (path.isAbsolute(f) ? path.relative(cwd, f) || '.' : f);
  if (e.type === 'files-changed') return { ...e, changed: e.changed.map(rel), removed: e.removed.map(rel) };
  if (e.type === 'watching') return { ...e, roots: e.roots.map(rel) };
  if (e.type === 'validated') return { ...e, diagnostics: e.diagnostics.map((d) => (d.file ? { ...d, file: rel(d.file) } : d)) };
  if (e.type === 'apply' && e.event.type === 'diagnostics') return { ...e, event: { ...e.event, diagnostics: e.event.diagnostics.map((d) => (d.file ? { ...d, file: rel(d.file) } : d)) } };
  return e;
}

async function eventLines(target: Session, row: ObjectRow): Promise<string[]> {
  const name = row.createdName ?? row.ref.name;
  if (!name) return ['not created yet'];
  try {
    const { items } = await target.client.list({ group: '', version: 'v1', kind: 'Event' }, { namespace: row.ref.namespace ?? 'default' });
    const mine = items.filter((e) => {
      const o = (e['involvedObject'] ?? e['regarding']) as { kind?: unknown; name?: unknown } | undefined;
      return o?.kind === row.ref.kind && o.name === name;
    });
    if (mine.length === 0) return ['no events'];
    return mine.slice(-20).map((e) => `${String(e['type'] ?? 'Normal')} ${String(e['reason'] ?? '')}: ${String(e['message'] ?? e['note'] ?? '').trim()}`);
  } catch (error) {
    return [`events could not be listed: ${error instanceof Error ? error.message : String(error)}`];
  }
}
