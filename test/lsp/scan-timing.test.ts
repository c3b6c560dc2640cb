/**
 * Cross-file diagnostics do not depend on when the workspace scan finishes: a file opened before
 * the scan has read the other files ends with the same "defined twice" diagnostics as one opened
 * after it. The host's file listing is held on a gate the test opens, so the order is chosen, not
 * raced.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ServerHost } from '../../lsp/server.js';
import { formatDiagnostics } from './support/fixtures.js';
import { fileUri, startClientPerTest } from './support/lsp-client.js';
import { tempDirPerTest } from '../support/temp-dirs.js';

const tempDir = tempDirPerTest();
const start = startClientPerTest();

const COUNT = 100;

function configMaps(mode: string): string {
  const docs: string[] = [];
  for (let i = 0; i < COUNT; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\n  namespace: team-${i % 4}\ndata:\n  MODE: ${mode}\n`);
  return docs.join('---\n');
}

/** A workspace whose second file (by path) redefines every object of the first; the second is opened. */
function workspace(): { dir: string; opened: string; text: string } {
  const dir = tempDir('kd-lsp-scan-');
  writeFileSync(path.join(dir, 'a-base.yaml'), configMaps('production'));
  const text = configMaps('staging');
  const opened = path.join(dir, 'b-overlay.yaml');
  writeFileSync(opened, text);
  return { dir, opened, text };
}

/** The host with its workspace listing held until `release()`; `scanned` resolves once every listed file was read. */
function gatedHost(): { wrap: (h: ServerHost) => ServerHost; release: () => void; scanned: Promise<void> } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let listed: string[] | undefined;
  const read = new Set<string>();
  let scannedResolve!: () => void;
  const scanned = new Promise<void>((r) => (scannedResolve = r));
  const wrap = (h: ServerHost): ServerHost => ({
    ...h,
    async listManifestFiles(fileOrDir) {
      await gate;
      listed = await h.listManifestFiles(fileOrDir);
      return listed;
    },
    async readFile(file) {
      const text = await h.readFile(file);
      read.add(file);
      // The opened file is skipped by the scan: every other listed file read means the scan has all it needs.
      if (listed && listed.filter((f) => !f.endsWith('b-overlay.yaml')).every((f) => read.has(f))) scannedResolve();
      return text;
    },
  });
  return { wrap, release, scanned };
}

const EXPECTED_DUPLICATES = COUNT;

describe('workspace scan timing', () => {
  test('the scan finishing before the open: every redefined object is reported', async () => {
    const { dir, opened, text } = workspace();
    const gated = gatedHost();
    const client = await start({ root: dir, host: gated.wrap });
    gated.release();
    // Both files come from the scan here (nothing is open yet): wait until it has listed them.
    for (let i = 0; i < 500 && (await client.workspaceSymbols('settings-')).length < 2 * COUNT; i++) await new Promise((r) => setImmediate(r));
    const uri = fileUri(opened);
    client.open(uri, text);
    const published = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    expect(published.diagnostics).toHaveLength(EXPECTED_DUPLICATES);
    expect(formatDiagnostics(published.diagnostics.slice(0, 1))).toBe(
      '3:8-3:18 error manifest/duplicate ConfigMap team-0/settings-0 is defined twice; the first is at a-base.yaml:4:9\n',
    );
  });

  test('the scan finishing after the open: the same diagnostics, and nothing published before the scan has the other file', async () => {
    const { dir, opened, text } = workspace();
    const gated = gatedHost();
    const client = await start({ root: dir, host: gated.wrap });
    const uri = fileUri(opened);
    client.open(uri, text);
    // A hover answers once every schema is loaded: far more than checking the opened file needs,
    // so a server that publishes without the scan has done so by now.
    expect(await client.hover(uri, { line: 1, character: 7 })).not.toBeNull();
    gated.release();
    await gated.scanned;
    const published = await client.diagnostics(uri, (p) => p.diagnostics.length > 0);
    expect(published.diagnostics).toHaveLength(EXPECTED_DUPLICATES);
    expect(formatDiagnostics(published.diagnostics.slice(0, 1))).toBe(
      '3:8-3:18 error manifest/duplicate ConfigMap team-0/settings-0 is defined twice; the first is at a-base.yaml:4:9\n',
    );
    // Every publication for the document, the first included, has them.
    expect(client.published(uri).map((p) => p.diagnostics.length)).toEqual([EXPECTED_DUPLICATES]);
  });
});
