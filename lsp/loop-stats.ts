/**
 * What held kd-lsp's event loop, for measuring rather than guessing (KD_LSP_TRACE=<file>): the
 * durations the server reports per label (handlers' synchronous parts, validation slices), in
 * wall and CPU time, and
 * Node's event-loop delay histogram, whose maximum is the longest stretch any request had to
 * wait behind, whatever ran. Written as JSON to the file when the process exits.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** When a piece of work started: wall clock and the process's CPU time, in ms. */
export interface Mark {
  wall: number;
  cpu: number;
}

/**
 * Times pieces of work. Both clocks are kept: the wall time is what a request waiting behind the
 * work sees; the CPU time is that work's own cost, which the load of a shared machine does not
 * inflate (the process is single-threaded while it runs JavaScript, garbage collection aside).
 */
export interface LoopTimer {
  start(): Mark;
  stop(label: string, started: Mark): void;
}

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const round = (x: number) => Math.round(x * 100) / 100;

export function loopStats(file: string): LoopTimer {
  const samples = new Map<string, Array<{ wall: number; cpu: number }>>();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  process.once('exit', () => {
    delay.disable();
    const summary = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { p50: round(pct(sorted, 50)), p95: round(pct(sorted, 95)), max: round(sorted.at(-1) ?? 0), total: round(xs.reduce((a, b) => a + b, 0)) };
    };
    const labels: Record<string, { count: number; wall: ReturnType<typeof summary>; cpu: ReturnType<typeof summary> }> = {};
    for (const [label, xs] of samples) labels[label] = { count: xs.length, wall: summary(xs.map((x) => x.wall)), cpu: summary(xs.map((x) => x.cpu)) };
    // The histogram counts in ns; its values include the 1 ms sampling resolution.
    const loop = { max: round(delay.max / 1e6), p99: round(delay.percentile(99) / 1e6), mean: round(delay.mean / 1e6) };
    try {
      writeFileSync(file, JSON.stringify({ labels, eventLoopDelay: loop }, null, 2));
    } catch {
      // Measuring must never change how the server ends.
    }
  });
  return {
    start: () => ({ wall: performance.now(), cpu: cpuNow() }),
    stop(label, started) {
      let xs = samples.get(label);
      if (!xs) samples.set(label, (xs = []));
      xs.push({ wall: performance.now() - started.wall, cpu: cpuNow() - started.cpu });
    },
  };
}
