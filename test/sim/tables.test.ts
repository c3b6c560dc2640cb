import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { humanDuration, tableFor } from '../../src/sim/tables.js';
import type { SimResource } from '../../src/sim/api-catalog.js';
import type { KubeObject } from '../../src/model/object-ref.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sim');
const NOW = Date.parse('2026-01-01T00:10:00Z');

function resource(group: string, plural: string, kind: string, extra: Partial<SimResource> = {}): SimResource {
  return { group, version: 'v1', kind, plural, namespaced: true, verbs: [], subresources: [], subresourceInfo: [], singular: kind.toLowerCase(), shortNames: [], categories: [], custom: false, ...extra };
}

describe('server-side tables', () => {
  it('pod STATUS, READY and RESTARTS follow the upstream printer', () => {
    const pods = parse(readFileSync(path.join(fixtures, 'pods-table.yaml'), 'utf8')) as KubeObject[];
    const t = tableFor(resource('', 'pods', 'Pod'), pods, '1', { now: NOW }) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    const text = [t.columnDefinitions.map((c) => c.name).join(' | '), ...t.rows.map((r) => r.cells.map(String).join(' | '))].join('\n') + '\n';
    expect(text).toBe(readFileSync(path.join(fixtures, 'pods-table-expected.txt'), 'utf8'));
  });

  it('custom resources get NAME, their printer columns, and AGE', () => {
    const r = resource('example.com', 'gizmos', 'Gizmo', { custom: true, printerColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }, { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 }] });
    const t = tableFor(r, [{ metadata: { name: 'g', creationTimestamp: '2026-01-01T00:09:00Z' }, spec: { size: 3 } }], '1', { now: NOW }) as { columnDefinitions: Array<{ name: string; priority: number }>; rows: Array<{ cells: unknown[] }> };
    expect(t.columnDefinitions.map((c) => [c.name, c.priority])).toEqual([['Name', 0], ['Size', 0], ['Color', 1], ['Age', 0]]);
    expect(t.rows[0]!.cells).toEqual(['g', 3, null, '60s']);
  });

  it('kinds without a printer get the default Name / Created At table', () => {
    const t = tableFor(resource('rbac.authorization.k8s.io', 'roles', 'Role'), [{ metadata: { name: 'r', creationTimestamp: '2026-01-01T00:00:00Z' } }], '1', { now: NOW }) as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> };
    expect(t.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Created At']);
    expect(t.rows[0]!.cells).toEqual(['r', '2026-01-01T00:00:00Z']);
  });

  it('ages read like kubectl (HumanDuration)', () => {
    const s = 1000;
    expect([0, 119 * s, 120 * s, 9 * 60 * s + 5 * s, 3 * 3600 * s, 7 * 3600 * s + 60 * s, 30 * 3600 * s, 3 * 86400 * s + 3600 * s, 400 * 86400 * s, 800 * 86400 * s].map(humanDuration)).toEqual([
      '0s', '119s', '2m', '9m5s', '3h', '7h1m', '30h', '3d1h', '400d', '2y70d',
    ]);
  });
});
