/**
 * Builds the JSON Schema (draft 2020-12) of the annotations map from the catalogue. The published
 * `schemas/annotations.schema.json` is this value, written out; a test keeps the file and the
 * catalogue equal, so editors (yaml-language-server) see exactly what kd accepts.
 *
 * Limits: a pattern cannot express the integer range or "greater than zero"; descriptions say so,
 * and kd reports those values itself. Unknown `kd.io/` keys are rejected by the schema while kd
 * only warns about them.
 */
import { INTEGER_MAX, INTEGER_MIN, KD_ANNOTATIONS, KD_ANNOTATION_PREFIX, type AnnotationKeySpec } from './catalog.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function property(spec: AnnotationKeySpec, extra: { default?: string; kdKey?: string }): Json {
  const lines = [spec.summary];
  if (extra.kdKey !== undefined) lines.push(`${extra.kdKey} wins when both are set.`);
  if (spec.values !== undefined) {
    const describe = (v: NonNullable<AnnotationKeySpec['values']>[number]) =>
      v.kdValue === undefined || v.kdValue === v.value ? `${v.value}: ${v.summary}` : `${v.value} (kd: ${v.kdValue}): ${v.summary}`;
    lines.push(`Values: ${spec.values.map(describe).join(' ')}`);
  }
  if (spec.kind === 'integer') lines.push(`Range ${INTEGER_MIN} to ${INTEGER_MAX}.`);
  if (spec.kind === 'duration') lines.push('Must be greater than zero.');
  const out: { [key: string]: Json } = {
    type: 'string',
    description: lines.join(' '),
    markdownDescription: spec.documentation,
  };
  if (spec.kind === 'enum' && spec.values !== undefined) out['enum'] = spec.values.map((v) => v.value);
  else out['pattern'] = spec.pattern;
  if (extra.default !== undefined) out['default'] = extra.default;
  out['examples'] = [...spec.examples];
  return out;
}

export function annotationsJsonSchema(): Json {
  const properties: { [key: string]: Json } = {};
  for (const annotation of KD_ANNOTATIONS) {
    properties[annotation.key] = property(annotation, annotation.default === undefined ? {} : { default: annotation.default });
    for (const alias of annotation.aliases) properties[alias.key] = property(alias, { kdKey: annotation.key });
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://kd.io/schemas/annotations.schema.json',
    title: 'kd annotations',
    description:
      "The metadata.annotations of a Kubernetes object as kd reads them: kd's own kd.io/ annotations and the Argo CD and Helm annotations kd reads as their aliases. Other annotations are any string. Generated from src/annotations/catalog.ts.",
    type: 'object',
    additionalProperties: { type: 'string' },
    propertyNames: {
      if: { pattern: `^${KD_ANNOTATION_PREFIX.replace(/[.]/g, '\\.')}` },
      then: { enum: KD_ANNOTATIONS.map((a) => a.key) },
    },
    properties,
  };
}
