/**
 * Release records as data. The payload (objects as kd applied them, paths, kd version, start
 * time) is written once when a revision begins and never changes; the state, its message and
 * the update time live in labels and annotations, so state transitions are small patches.
 */
import type { KubeObject } from '../../model/index.js';
import type { RevisionState } from '../ports.js';

export type { RevisionState };

/** What the compressed JSON of one revision holds. */
export interface RecordPayload {
  /** Always `kd.io/release.v1`. */
  apiVersion: string;
  name: string;
  namespace: string;
  revision: number;
  kdVersion: string;
  /** ISO time the revision began. */
  startedAt: string;
  paths: string[];
  description: string;
  /** The objects exactly as kd applied them (hooks included): what the next plan calls `recorded`. */
  objects: KubeObject[];
}

/** One revision as history shows it: read from labels and annotations alone. */
export interface Revision {
  name: string;
  namespace: string;
  revision: number;
  state: RevisionState;
  /** ISO time of the last state change. */
  updated: string;
  objectCount: number;
  description: string;
  /** The state's message (`applied 12 objects`, the failure reason); may be empty. */
  message: string;
  kdVersion: string;
  /** Secrets the record is split over (1 when it fits in one). */
  parts: number;
}

/** A revision with its payload decoded. */
export interface RevisionWithObjects extends Revision {
  startedAt: string;
  paths: string[];
  objects: KubeObject[];
}
