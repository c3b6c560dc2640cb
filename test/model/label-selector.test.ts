/**
 * The one label-selector implementation against Kubernetes' rules (metav1.LabelSelectorAsSelector
 * then Matches): nil matches nothing, `{}` matches everything, a malformed selector converts to
 * nothing (`undefined`); and the two callers that read it differently on purpose.
 */
import { describe, expect, it } from 'vitest';
import { formatLabelSelector, isEmptyLabelSelector, labelSelectorMatcher } from '../../src/model/index.js';
import { podMatcher } from '../../src/apply/label-selector.js';
import { validateWorkload } from '../../src/validate/builtin/apps.js';

const web = { app: 'web', tier: 'frontend' };

const table: Array<[string, unknown, Record<string, string> | undefined, boolean | undefined]> = [
  ['nil selector selects nothing', undefined, web, false],
  ['null selector selects nothing', null, web, false],
  ['empty selector selects everything', {}, web, true],
  ['empty selector selects a pod without labels', {}, undefined, true],
  ['empty matchLabels and matchExpressions select everything', { matchLabels: {}, matchExpressions: [] }, web, true],
  ['matchLabels subset', { matchLabels: { app: 'web' } }, web, true],
  ['matchLabels other value', { matchLabels: { app: 'api' } }, web, false],
  ['matchLabels on a pod without labels', { matchLabels: { app: 'web' } }, undefined, false],
  ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] }, web, true],
  ['In, label missing', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, web, false],
  ['NotIn, label missing matches', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, web, true],
  ['NotIn, value listed', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }, web, false],
  ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, web, true],
  ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, web, false],
  ['labels and expressions are ANDed', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] }, web, false],
  ['unknown operator is malformed', { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, web, undefined],
  ['In without values is malformed', { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }, web, undefined],
  ['Exists with values is malformed', { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] }, web, undefined],
  ['a non-string matchLabels value is malformed', { matchLabels: { replicas: 3 } }, web, undefined],
  ['a selector that is not an object is malformed', 'app=web', web, undefined],
];

describe('labelSelectorMatcher', () => {
  it.each(table)('%s', (_name, selector, labels, expected) => {
    const matcher = labelSelectorMatcher(selector);
    expect(matcher === undefined ? undefined : matcher(labels)).toBe(expected);
  });

  it('tells an empty selector from an absent one', () => {
    expect(isEmptyLabelSelector({})).toBe(true);
    expect(isEmptyLabelSelector({ matchLabels: {} })).toBe(true);
    expect(isEmptyLabelSelector(undefined)).toBe(false);
    expect(isEmptyLabelSelector({ matchLabels: { app: 'web' } })).toBe(false);
  });
});

describe('the callers that read a selector their own way', () => {
  const pod = (labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(labels ? { labels } : {}) } });
  const workload = (selector: unknown) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector } });

  it('kd collects no pods for an empty or malformed selector (it never guesses whose pods they are)', () => {
    expect(podMatcher(workload({ matchLabels: { app: 'web' } }))(pod(web))).toBe(true);
    expect(podMatcher(workload({}))(pod(web))).toBe(false);
    expect(podMatcher(workload(undefined))(pod(web))).toBe(false);
    expect(podMatcher(workload({ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }))(pod(web))).toBe(false);
  });

  it('validation reports a template mismatch only for a selector that converts, as apps validation does', () => {
    const deployment = (selector: unknown) => ({ spec: { selector, template: { metadata: { labels: web }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } });
    const mismatch = (selector: unknown) => validateWorkload('Deployment', deployment(selector)).some((e) => e.body.includes('does not match template'));
    expect(mismatch({ matchLabels: { app: 'api' } })).toBe(true);
    expect(mismatch({ matchLabels: { app: 'web' } })).toBe(false);
    expect(mismatch({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'app', operator: 'Bogus' }] })).toBe(false);
  });
});

describe('formatLabelSelector (the API server string form: Scale status.selector, the SELECTOR column)', () => {
  it('prints matchLabels sorted by key, then each expression', () => {
    expect(formatLabelSelector({ matchLabels: { tier: 'web', app: 'shop' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'NotIn', values: ['c'] }, { key: 'y', operator: 'Exists' }, { key: 'z', operator: 'DoesNotExist' }] })).toBe(
      'app=shop,tier=web,env in (a,b),x notin (c),y,!z',
    );
  });
  it('is empty for a selector that selects by nothing', () => {
    expect(formatLabelSelector({})).toBe('');
    expect(formatLabelSelector(undefined)).toBe('');
  });
});
