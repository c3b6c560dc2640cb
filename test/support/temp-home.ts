/**
 * A temporary HOME for every kd process a test starts, so that kd's discovery and schema caches
 * (`~/.cache/kd`), and anything else it keeps under HOME, land outside both the source tree and
 * the user's own home. One folder per test file (vitest runs each file in its own process),
 * removed when that process exits.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let home: string | undefined;

/** HOME and the XDG folders kd could read or write, all inside this file's temporary HOME. */
export function tempHomeEnv(): { HOME: string; XDG_CACHE_HOME: string; XDG_CONFIG_HOME: string; XDG_STATE_HOME: string } {
  if (home === undefined) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kd-test-home-'));
    home = dir;
    mkdirSync(path.join(dir, '.cache'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return { HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), XDG_CONFIG_HOME: path.join(home, '.config'), XDG_STATE_HOME: path.join(home, '.local', 'state') };
}
