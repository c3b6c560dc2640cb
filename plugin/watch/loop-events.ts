/**
 * What the watch reports besides the executor's own events: file changes, validation results,
 * skipped applies, pause and resume, drift seen in the cluster. The terminal UI and the plain
 * text output are two consumers of this one stream (the apply events are carried inside it
 * unchanged). `at` is wall-clock milliseconds.
 */
import type { ApplyEvent, Diagnostic, DriftClass, FieldOwner, ObjectRef } from '../../src/index.js';

/**
 * One finding of the three-way drift of a followed object (src/drift's classes): a field, or the
 * object itself (`missing`: deleted in the cluster; path ''). Values are shortened JSON text,
 * Secret values masked; a side absent is absent on that side.
 */
export interface DriftEntry {
  ref: ObjectRef;
  class: Exclude<DriftClass, 'in-sync' | 'new' | 'kept'>;
  /** `spec.replicas`, or '' for the object itself. */
  path: string;
  desired?: string;
  applied?: string;
  live?: string;
  /** Who wrote the live value (drifted, conflict), from managedFields. */
  owner?: FieldOwner;
}

export type LoopEvent =
  | { type: 'watching'; at: number; roots: string[] }
  | { type: 'files-changed'; at: number; changed: string[]; removed: string[] }
  | { type: 'validated'; at: number; diagnostics: Diagnostic[]; errors: number; objects: number }
  | { type: 'skipped'; at: number; reason: string }
  | { type: 'queued'; at: number }
  | { type: 'apply-started'; at: number; trigger: 'start' | 'change' | 'manual' | 'heal' }
  /** An executor event; `at` is the wall clock when it arrived (the event's own `at` is the executor's clock). */
  | { type: 'apply'; at: number; event: ApplyEvent }
  | { type: 'paused'; at: number }
  | { type: 'resumed'; at: number }
  | { type: 'drift'; at: number; entries: DriftEntry[] }
  | { type: 'detail'; at: number; title: string; lines: string[] }
  | { type: 'notice'; at: number; level: 'info' | 'warning' | 'error'; message: string }
  /** --self-heal restored (or gave up on) an object changed in the cluster. */
  | { type: 'healed'; at: number; level: 'ok' | 'warning'; message: string };
