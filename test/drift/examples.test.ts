/**
 * No false drift: after a fresh `kubectl kd apply` of every example in examples/, drift finds
 * every object in sync, although the server defaulted fields (Deployment strategy, container
 * policies, Service ports' protocol and targetPort), kept quantities (`100m`, `128Mi`) and turned
 * the Secret's stringData into data.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingLines, repoRoot, startDriftSim } from './support.js';
import { perFile } from '../support/per-file.js';

const d = perFile(startDriftSim);

const examples = readdirSync(path.join(repoRoot, 'examples'));

describe('a fresh apply of each example', () => {
  for (const name of examples) {
    it(`examples/${name}: every object in sync, exit 0`, async () => {
      const dir = path.join(repoRoot, 'examples', name);
      await d.apply(dir, name, 'default');
      const { report, diagnostics } = await d.drift({ paths: [dir], namespace: 'default', release: name, showForeign: false });
      expect(diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      const lines = findingLines(report);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => !l.endsWith(' in-sync'))).toEqual([]);
      expect(report.driftFound).toBe(false);
    }, 60_000);
  }
});
