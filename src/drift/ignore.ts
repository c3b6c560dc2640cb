/**
 * Fields drift does not look at: `kd.io/drift-ignore` on an object (JSON pointers) and
 * `--ignore KIND:/json/pointer` rules (repeatable, or one per line of `--ignore-file`). KIND is
 * `Deployment`, `Deployment.apps` or `*`, without regard to case; a pointer covers everything
 * below it. Parsing never throws: bad rules come back as problems for the shell to report.
 */
import { groupKind, toJsonPointer, type JsonPath, type ObjectRef } from '../model/index.js';

export interface IgnoreRule {
  /** `*`, `Kind` or `Kind.group`, lower-cased. */
  kind: string;
  pointer: string;
}

export function parseIgnoreRule(text: string): { rule: IgnoreRule } | { problem: string } {
  const t = text.trim();
  const colon = t.indexOf(':');
  if (colon <= 0) return { problem: `--ignore "${text}" is not KIND:/json/pointer (e.g. Deployment:/spec/replicas)` };
  const kind = t.slice(0, colon).trim().toLowerCase();
  const pointer = t.slice(colon + 1).trim();
  if (!pointer.startsWith('/')) return { problem: `--ignore "${text}": the JSON pointer must start with / (e.g. Deployment:/spec/replicas)` };
  return { rule: { kind, pointer: pointer.replace(/\/+$/, '') || '/' } };
}

/** Rules from an ignore file's text: one per line, `#` comments and blank lines skipped. */
export function parseIgnoreFile(text: string): { rules: IgnoreRule[]; problems: string[] } {
  const rules: IgnoreRule[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.replace(/(^|\s)#.*$/, '').trim();
    if (t === '') return;
    const parsed = parseIgnoreRule(t);
    if ('rule' in parsed) rules.push(parsed.rule);
    else problems.push(`line ${i + 1}: ${parsed.problem}`);
  });
  return { rules, problems };
}

/** The pointers that apply to one object: matching rules plus its own annotation's. */
export function ignoredPointers(ref: ObjectRef, rules: readonly IgnoreRule[], annotation: readonly string[]): string[] {
  const names = new Set(['*', ref.kind.toLowerCase(), groupKind(ref).toLowerCase()]);
  return [...rules.filter((r) => names.has(r.kind)).map((r) => r.pointer), ...annotation.map((p) => p.trim()).filter((p) => p.startsWith('/'))];
}

export function isIgnored(path: JsonPath, pointers: readonly string[]): boolean {
  if (pointers.length === 0) return false;
  const p = toJsonPointer(path);
  return pointers.some((ptr) => ptr === '/' || p === ptr || p.startsWith(`${ptr}/`));
}
