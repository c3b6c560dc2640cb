/**
 * What the watch reports besides the executor's own events: file changes, validation results,
 * skipped applies, pause and resume, drift seen in the cluster. The terminal UI and the plain
 * text output are two consumers of this one stream (the apply events are carried inside it
 * unchanged). `at` is wall-clock milliseconds.
 */
import type { ApplyEvent, Diagnostic, ObjectRef } from '../../src/index.js';

/** One field of an applied object that the cluster no longer has as applied. */
export interface DriftEntry {
  ref: ObjectRef;
  /** `spec.replicas`, or '' when the object itself was deleted. */
  path: string;
  /** What kd applied and what the cluster has now (JSON text, shortened); `live` undefined when deleted. */
  applied: string;
  live: string | undefined;
}

export type LoopEvent =
  | { type: 'watching'; at: number; roots: string[] }
  | { type: 'files-changed'; at: number; changed: string[]; removed: string[] }
  | { type: 'validated'; at: number; diagnostics: Diagnostic[]; errors: number; objects: number }
  | { type: 'skipped'; at: number; reason: string }
  | { type: 'queued'; at: number }
  | { type: 'apply-started'; at: number; trigger: 'start' | 'change' | 'manual' }
  /** An executor event; `at` is the wall clock when it arrived (the event's own `at` is the executor's clock). */
  | { type: 'apply'; at: number; event: ApplyEvent }
  | { type: 'paused'; at: number }
  | { type: 'resumed'; at: number }
  | { type: 'drift'; at: number; entries: DriftEntry[] }
  | { type: 'detail'; at: number; title: string; lines: string[] }
  | { type: 'notice'; at: number; level: 'info' | 'warning' | 'error'; message: string };
