/**
 * Checks kd's machine output against the JSON Schemas published in schemas/: every `-o json`
 * document and every `-o jsonl` line is picked by its `kind` (ValidationResult, DriftReport,
 * ApplyEvent, ReleaseHistory, ReleaseList). The CLI helpers of the tests call
 * `checkMachineOutput` on every run, so any JSON a test produces is validated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const schemasDir = path.resolve(import.meta.dirname, '../../schemas');

export const SCHEMA_BY_KIND: Record<string, string> = {
  ValidationResult: 'validate-result.schema.json',
  DriftReport: 'drift-result.schema.json',
  ApplyEvent: 'apply-event.schema.json',
  ReleaseHistory: 'release-history.schema.json',
  ReleaseList: 'release-list.schema.json',
  RevisionDiff: 'revision-diff.schema.json',
  PendingReleaseList: 'pending-release-list.schema.json',
};

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  for (const f of readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(path.join(schemasDir, f), 'utf8')), f);
  validators = new Map(Object.entries(SCHEMA_BY_KIND).map(([kind, file]) => [kind, ajv.getSchema(file)!]));
  return validators;
}

/** Every machine-readable document in this output, checked against its schema; throws on the first that fails. Returns how many were checked. */
export function checkJsonDocuments(docs: readonly unknown[]): number {
  const v = load();
  for (const doc of docs) {
    const kind = (doc as { kind?: unknown }).kind;
    const validate = typeof kind === 'string' ? v.get(kind) : undefined;
    if (!validate) throw new Error(`kd JSON output without a known kind (${String(kind)}): ${JSON.stringify(doc).slice(0, 200)}`);
    if (!validate(doc)) throw new Error(`kd ${kind} output does not match schemas/${SCHEMA_BY_KIND[kind as string]}: ${JSON.stringify(validate.errors, null, 1)}`);
  }
  return docs.length;
}

/** The output format asked for by these arguments: `-o json`, `--output=jsonl`, ... */
export function outputFormat(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === '-o' || a === '--output') && i + 1 < args.length) return args[i + 1];
    const m = /^(?:-o|--output)=?(.+)$/.exec(a);
    if (m && a !== '--output') return m[1];
  }
  return undefined;
}

/** Called by the CLI helpers after each run: validates stdout when the run asked for json or jsonl. */
export function checkMachineOutput(args: readonly string[], stdout: string): number {
  const format = outputFormat(args);
  if (stdout.trim() === '') return 0;
  if (format === 'json') return checkJsonDocuments([JSON.parse(stdout)]);
  if (format === 'jsonl') return checkJsonDocuments(stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)));
  return 0;
}
