/**
 * PodDisruptionBudget, as pkg/apis/policy/validation validates it: minAvailable and maxUnavailable
 * are exclusive, and each is a non-negative number or a percentage of at most 100%.
 */
import { Errors, FieldPath, intOrString, isRecord, type FieldError } from './field.js';

export const RULE_PDB = 'builtin/pdb';

export function validatePdb(o: Record<string, unknown>): FieldError[] {
  const spec = isRecord(o.spec) ? o.spec : undefined;
  if (!spec) return [];
  const e = new Errors(RULE_PDB);
  const at = FieldPath.root('spec');
  const set = (v: unknown) => v !== undefined && v !== null;
  if (set(spec.minAvailable) && set(spec.maxUnavailable)) e.invalid(at, { go: 'policy.PodDisruptionBudgetSpec{...}' }, 'minAvailable and maxUnavailable cannot be both set');
  for (const f of ['minAvailable', 'maxUnavailable']) {
    const v = spec[f];
    const fp = at.child(f);
    if (typeof v === 'number' && v < 0) e.invalid(fp, v, 'must be greater than or equal to 0');
    if (typeof v === 'string') {
      const m = /^([0-9]+)%$/.exec(v);
      if (!m) e.invalid(fp, intOrString(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
      else if (Number(m[1]) > 100) e.invalid(fp, intOrString(v), 'must not be greater than 100%');
    }
  }
  return e.list;
}
