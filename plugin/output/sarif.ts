/**
 * SARIF 2.1.0 for kd's findings: validate diagnostics and drift findings (as diagnostics with rule
 * `drift/<class>`; those with no file, `file: ''`, get only a logical location).
 * Fingerprints are stable across runs and line moves: they hash the rule, the file, the object's
 * identity and the field path, not the line, so code scanning tracks a finding as it moves.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { compareDiagnostics, objectKey, toJsonPointer, type Diagnostic, type RuleInfo } from '../../src/index.js';

export interface SarifOptions {
  toolVersion: string;
  /** Base for relative artifact URIs; SARIF consumers resolve them against %SRCROOT%. */
  cwd: string;
  ruleInfo: (id: string) => RuleInfo;
}

const level = (s: Diagnostic['severity']) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

function artifactUri(file: string, cwd: string): string {
  if (file === '<stdin>') return 'stdin';
  const rel = path.isAbsolute(file) ? path.relative(cwd, file) : file;
  return rel.split(path.sep).join('/').replace(/^\.\//, '');
}

// node:crypto is loaded when a fingerprint is first made: validate and drift load this module for
// every output format, and loading crypto cost every run a few milliseconds of start-up.
let crypto: typeof import('node:crypto') | undefined;

export function fingerprint(d: Diagnostic, uri: string): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const identity = [d.rule, uri, d.object ? objectKey(d.object) : `doc${d.documentIndex ?? ''}`, d.path ? toJsonPointer(d.path) : '', d.path ? '' : d.message];
  return crypto.createHash('sha256').update(identity.join('\u0000')).digest('hex').slice(0, 32);
}

export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  const sorted = [...diagnostics].sort(compareDiagnostics);
  const ruleIds = [...new Set(sorted.map((d) => d.rule))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const seen = new Map<string, number>();
  const results = sorted.map((d) => {
    const uri = artifactUri(d.file, options.cwd);
    let fp = fingerprint(d, uri);
    // Two findings with one identity (rare: the same rule twice on one field) still need distinct prints.
    const n = seen.get(fp) ?? 0;
    seen.set(fp, n + 1);
    if (n > 0) fp = `${fp}:${n}`;
    return {
      ruleId: d.rule,
      ruleIndex: ruleIndex.get(d.rule),
      level: level(d.severity),
      message: { text: d.message },
      // A finding with no file (a drift in the cluster only) has just its logical location.
      locations: d.file === '' ? [{ logicalLocations: [{ fullyQualifiedName: `${d.object ? objectKey(d.object) : ''}${d.path ? toJsonPointer(d.path) : ''}`, kind: 'member' }] }] : [
        {
          physicalLocation: {
            artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
            region: {
              startLine: d.range.start.line,
              startColumn: d.range.start.column,
              endLine: d.range.end.line,
              endColumn: Math.max(d.range.end.column, d.range.start.line === d.range.end.line ? d.range.start.column + 1 : 1),
            },
          },
          ...(d.path ? { logicalLocations: [{ fullyQualifiedName: toJsonPointer(d.path), kind: 'member' }] } : {}),
        },
      ],
      partialFingerprints: { 'kdFinding/v1': fp },
    };
  });
  const doc = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kubectl-kd',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            rules: ruleIds.map((id) => {
              const info = options.ruleInfo(id);
              return { id, name: id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()), shortDescription: { text: info.description } };
            }),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileUri(options.cwd) } },
        results,
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function pathToFileUri(dir: string): string {
  const abs = path.resolve(dir).split(path.sep).join('/');
  return `file://${abs.startsWith('/') ? '' : '/'}${encodeURI(abs)}/`;
}
