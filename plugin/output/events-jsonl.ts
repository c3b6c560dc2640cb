/**
 * The apply event stream as JSON lines (`-o jsonl`): one JSON object per event, exactly the
 * event's data (times as ISO strings), for machines. The plan event carries the plan as data;
 * Secret values never appear (the executor masks diffs and never puts object bodies in events).
 */
import type { ApplyEvent } from '../../src/index.js';

export function formatEventJsonl(event: ApplyEvent): string {
  return `${JSON.stringify({ ...event, at: new Date(event.at).toISOString() }, replacer)}\n`;
}

/** Plan entries carry the desired object for the executor; the printed plan needs only identities and actions. */
function replacer(key: string, value: unknown): unknown {
  if (key === 'object') return undefined;
  return value;
}
