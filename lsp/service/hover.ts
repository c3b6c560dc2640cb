/**
 * Hover: on `kind:` (or `apiVersion:`) the group, version and kind with the kind's description;
 * on an annotation key or value kd reads, its documentation; elsewhere the field's type and
 * description from the schema, as `kubectl explain` gives them.
 */
import { formatApiVersion, type SourceRange } from '../../src/index.js';
import { isAnnotationsPath } from './completion.js';
import type { CursorView, FeatureContext } from './language-service.js';
import { nodeAt, resolveNode, typeLabel } from './schema-index.js';
import type { HoverResult } from './types.js';
import { lineShape, nodeAtCursor, unquote } from './yaml-context.js';

export function hover(view: CursorView, ctx: FeatureContext): HoverResult | undefined {
  const n = nodeAtCursor(view.lines, view.lineIndex, view.column);
  if (!n) return undefined;
  const line = view.lines[view.lineIndex] ?? '';
  const shape = lineShape(line);
  const keyRange: SourceRange = { start: view.position(view.lineIndex, n.keyStart), end: view.position(view.lineIndex, n.keyEnd) };
  const valueEnd = shape.valueStart + shape.value.length;
  const valueRange: SourceRange = { start: view.position(view.lineIndex, shape.valueStart), end: view.position(view.lineIndex, valueEnd) };
  const range = n.target === 'key' ? keyRange : valueRange;
  const parent = n.path.slice(0, -1);

  if (parent.length === 0 && (n.key === 'kind' || n.key === 'apiVersion') && view.gvk !== undefined) {
    const g = view.gvk;
    const entry = ctx.schemas.kind(g);
    const parts = [`**${g.kind}** \`${formatApiVersion(g)}\``, '', `Group: \`${g.group === '' ? 'core' : g.group}\` · Version: \`${g.version}\` · Kind: \`${g.kind}\``];
    if (entry) {
      parts.push('', `${entry.namespaced ? 'Namespaced' : 'Cluster-scoped'}${entry.origin === 'crd' ? ', defined by a CRD in the workspace' : ''}.`);
      if (entry.description !== undefined) parts.push('', entry.description);
    } else parts.push('', '_No schema for this kind._');
    const result: HoverResult = { contents: parts.join('\n'), range };
    const manifest = view.segment.result.loaded.manifests.find((m) => m.listIndex === undefined && m.ref.name !== '');
    if (manifest) result.object = manifest.ref;
    return result;
  }

  if (isAnnotationsPath(parent)) {
    const doc = ctx.annotations.find((a) => a.key === n.key);
    if (!doc) return undefined;
    if (n.target === 'value') {
      const value = unquote(n.value);
      const v = doc.values.find((x) => x.value === value);
      if (v) return { contents: `\`${doc.key}: ${v.value}\`\n\n${v.summary}`, range };
    }
    const head = doc.aliasOf === undefined ? `**${doc.key}** (kd)` : `**${doc.key}** (${doc.tool}; read as \`${doc.aliasOf}\`)`;
    // Documentation that already lists every value (the Helm hook's mapping table) needs no second list.
    const listed = doc.values.every((v) => doc.documentation.includes(`\`${v.value}\``));
    const values = doc.values.length > 0 && !listed ? `\n\nValues:\n${doc.values.map((v) => `- \`${v.value}\`: ${v.summary}`).join('\n')}` : '';
    return { contents: `${head}\n\n${doc.documentation}${values}`, range: keyRange };
  }

  if (view.gvk === undefined) return undefined;
  const root = ctx.schemas.root(view.gvk);
  const node = root && nodeAt(root, n.path);
  if (!node) return undefined;
  const parentNode = nodeAt(root, parent);
  const required = parentNode !== undefined && (resolveNode(parentNode).schema.required ?? []).includes(n.key);
  const parts = [`**${n.key}** \`${typeLabel(node)}\`${required ? ' (required)' : ''}`];
  const description = node.schema.description;
  if (description !== undefined) parts.push('', description);
  const values = resolveNode(node).schema.enum;
  if (values && values.length > 0) parts.push('', `Values: ${values.map((v) => `\`${String(v)}\``).join(', ')}`);
  return { contents: parts.join('\n'), range: keyRange };
}
