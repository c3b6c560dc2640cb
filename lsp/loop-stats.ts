/**
 * What held kd-lsp's event loop, for measuring rather than guessing (KD_LSP_TRACE=<file>): the
 * durations the server reports per label (handlers' synchronous parts, validation slices) and
 * Node's event-loop delay histogram, whose maximum is the longest stretch any request had to
 * wait behind, whatever ran. Written as JSON to the file when the process exits.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoopStats {
  timing(label: string, ms: number): void;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const round = (x: number) => Math.round(x * 100) / 100;

export function loopStats(file: string): LoopStats {
  const samples = new Map<string, number[]>();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  process.once('exit', () => {
    delay.disable();
    const labels: Record<string, { count: number; p50: number; p95: number; max: number; total: number }> = {};
    for (const [label, xs] of samples) {
      const sorted = [...xs].sort((a, b) => a - b);
      labels[label] = { count: xs.length, p50: round(pct(sorted, 50)), p95: round(pct(sorted, 95)), max: round(sorted.at(-1) ?? 0), total: round(xs.reduce((a, b) => a + b, 0)) };
    }
    // The histogram counts in ns; its values include the 1 ms sampling resolution.
    const loop = { max: round(delay.max / 1e6), p99: round(delay.percentile(99) / 1e6), mean: round(delay.mean / 1e6) };
    try {
      writeFileSync(file, JSON.stringify({ labels, eventLoopDelay: loop }, null, 2));
    } catch {
      // Measuring must never change how the server ends.
    }
  });
  return {
    timing(label, ms) {
      let xs = samples.get(label);
      if (!xs) samples.set(label, (xs = []));
      xs.push(ms);
    },
  };
}
