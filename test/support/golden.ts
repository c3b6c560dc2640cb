/**
 * Golden files, one rule for every suite: a test compares its output with a file checked in
 * beside its fixtures, and a missing file fails the test (a new golden must be reviewed, never
 * written silently by a first run). `KD_UPDATE_GOLDENS=1` is the one switch that rewrites them
 * from the current output; review the diff before committing it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const UPDATE_GOLDENS_ENV = 'KD_UPDATE_GOLDENS';

export interface GoldenOptions {
  /** Rewrite the file from `actual` (default: `KD_UPDATE_GOLDENS=1`). */
  update?: boolean;
}

/** The golden text of `file`; with the switch on, `actual` is written there first. */
export function golden(file: string, actual: string, options: GoldenOptions = {}): string {
  const update = options.update ?? process.env[UPDATE_GOLDENS_ENV] === '1';
  if (update) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return actual;
  }
  if (!existsSync(file)) throw new Error(`missing golden file ${file}: run the test with ${UPDATE_GOLDENS_ENV}=1 to write it, and review it`);
  return readFileSync(file, 'utf8');
}
