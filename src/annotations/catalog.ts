/**
 * The catalogue of kd's annotations (`kd.io/*`) and of the Argo CD and Helm annotations kd reads
 * as aliases: keys, one-line summaries, markdown documentation, value syntax and allowed values.
 * The reader, the checks, the JSON Schema (`schemas/annotations.schema.json`), LSP completion and
 * hover and the README table are all derived from this one table, so they cannot disagree.
 *
 * Invariants: every `pattern` is an anchored ECMAScript regular expression (valid with the `u`
 * flag, as JSON Schema validators compile it) that accepts exactly the values the reader parses
 * without a syntax error; numeric ranges and meaning (a zero timeout, an unmapped Helm hook) are
 * checked by the reader on top of the pattern. Comma lists allow spaces around items, as Argo CD
 * and Helm trim them; empty items are errors.
 */

export const KD_ANNOTATION_PREFIX = 'kd.io/';

/** The field of `KdAnnotations` an annotation (and its aliases) sets. */
export type KdAnnotationField =
  | 'syncWave'
  | 'hooks'
  | 'hookWeight'
  | 'hookDeletePolicies'
  | 'hookFailurePolicy'
  | 'keep'
  | 'driftIgnore'
  | 'health'
  | 'timeoutMs'
  | 'healthCheck'
  | 'healthCheckPath'
  | 'healthCheckPort'
  | 'healthCheckExpect'
  | 'healthCheckCommand'
  | 'healthCheckContainer';

/** How a value is written. */
export type AnnotationValueKind =
  | 'integer'
  | 'enum'
  | 'enum-list'
  | 'duration'
  | 'pointer-list'
  /** A URL path starting with `/`. */
  | 'url-path'
  /** A port number (1-65535) or a port name. */
  | 'port'
  /** Comma list of HTTP status codes or classes (`200`, `2xx`). */
  | 'status-list'
  /** A command line, split into words as a POSIX shell would (quotes, backslashes), never run by one. */
  | 'command'
  /** A DNS label (a container name). */
  | 'dns-label';

export type AnnotationTool = 'kd' | 'Argo CD' | 'Helm' | 'sherpack';

export interface AnnotationValueDoc {
  /** The value as written. */
  value: string;
  /** One line, for completion lists. */
  summary: string;
  /**
   * For alias values: the kd value it is read as. `none` marks a value the other tool accepts
   * but kd has no use for (a Helm `test` hook): it is accepted and ignored.
   */
  kdValue?: string;
}

/** One annotation key: kd's own or an alias. */
export interface AnnotationKeySpec {
  key: string;
  tool: AnnotationTool;
  /** One line, for completion lists and the README. */
  summary: string;
  /** Markdown, for hover. */
  documentation: string;
  kind: AnnotationValueKind;
  /** Human form of the syntax, used in messages: `an integer (may be negative)`. */
  valueSyntax: string;
  /** Allowed values (enum and enum-list kinds), with documentation. */
  values?: readonly AnnotationValueDoc[];
  /** Anchored regular expression accepting exactly the syntactically valid values. */
  pattern: string;
  examples: readonly string[];
}

export interface KdAnnotationSpec extends AnnotationKeySpec {
  tool: 'kd';
  field: KdAnnotationField;
  /** The value kd assumes when neither the key nor an alias is present. */
  default?: string;
  /** Other tools' keys read the same way, in order of precedence (kd's own key wins over all). */
  aliases: readonly AnnotationKeySpec[];
}

/** Inclusive range of integer annotations: Argo CD and Helm parse them as Go ints; kd keeps to 32 bits. */
export const INTEGER_MIN = -2147483648;
export const INTEGER_MAX = 2147483647;

const INTEGER_PATTERN = '^[+-]?[0-9]+$';
const DURATION_PATTERN = '^(?:[0-9]+(?:\\.[0-9]+)?(?:ms|h|m|s))+$';
const POINTER = '/(?:[^~,]|~[01])*';
const POINTER_LIST_PATTERN = `^ *${POINTER} *(?:, *${POINTER} *)*$`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function enumPattern(values: readonly AnnotationValueDoc[]): string {
  return `^(?:${values.map((v) => escapeRegExp(v.value)).join('|')})$`;
}

function enumListPattern(values: readonly AnnotationValueDoc[]): string {
  const item = `(?:${values.map((v) => escapeRegExp(v.value)).join('|')})`;
  return `^ *${item} *(?:, *${item} *)*$`;
}

const INTEGER_SYNTAX = `an integer from ${INTEGER_MIN} to ${INTEGER_MAX}`;

/** The value fields of an integer key. */
const INTEGER_VALUE = { kind: 'integer', valueSyntax: INTEGER_SYNTAX, pattern: INTEGER_PATTERN } as const;

/** The value fields of a key that takes one of `values`: the syntax for messages and the pattern both come from the list. */
function enumValues(values: readonly AnnotationValueDoc[]): Pick<AnnotationKeySpec, 'kind' | 'valueSyntax' | 'values' | 'pattern'> {
  const names = values.map((v) => v.value);
  const valueSyntax = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`;
  return { kind: 'enum', valueSyntax, values, pattern: enumPattern(values) };
}

/** The value fields of a key that takes a comma-separated list of `values`. */
function enumListValues(values: readonly AnnotationValueDoc[]): Pick<AnnotationKeySpec, 'kind' | 'valueSyntax' | 'values' | 'pattern'> {
  return { kind: 'enum-list', valueSyntax: `a comma-separated list of ${values.map((v) => v.value).join(', ')}`, values, pattern: enumListPattern(values) };
}

/** Markdown bullets, one per value with its summary, for hover documentation. */
function valueBullets(values: readonly AnnotationValueDoc[]): string[] {
  return values.map((v) => `- \`${v.value}\`: ${v.summary}`);
}

// 1. Sync waves ---------------------------------------------------------------------------------

const syncWave: KdAnnotationSpec = {
  key: 'kd.io/sync-wave',
  tool: 'kd',
  field: 'syncWave',
  summary: 'The wave the object is applied in; lower waves apply first.',
  documentation: [
    'The **wave** the object is applied in (an integer, may be negative; default `0`).',
    '',
    'kd applies the objects of one wave, waits until they are healthy (see `kd.io/health`), then',
    'moves on to the next wave. Within a wave, objects are ordered by kind (namespaces and CRDs',
    'first), then by name.',
  ].join('\n'),
  ...INTEGER_VALUE,
  examples: ['-1', '0', '5'],
  default: '0',
  aliases: [
    {
      key: 'argocd.argoproj.io/sync-wave',
      tool: 'Argo CD',
      summary: "Argo CD's sync wave; read as kd.io/sync-wave.",
      documentation: "Argo CD's sync wave, read exactly as `kd.io/sync-wave`. When both are set, `kd.io/sync-wave` wins.",
      ...INTEGER_VALUE,
      examples: ['-1', '0', '5'],
    },
  ],
};

// 2. Hooks ---------------------------------------------------------------------------------------

export const HOOK_PHASES = [
  'pre-install',
  'post-install',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'pre-apply',
  'post-apply',
  'apply-failed',
  'pre-delete',
  'post-delete',
] as const;
export type HookPhase = (typeof HOOK_PHASES)[number];

const kdHookValues: AnnotationValueDoc[] = [
  { value: 'pre-install', summary: 'Run before the objects on an install: the first apply of a release (or the first after a delete that kept its history).' },
  { value: 'post-install', summary: 'Run after an install, once every wave is applied and healthy.' },
  { value: 'pre-upgrade', summary: 'Run before the objects on every apply after the install.' },
  { value: 'post-upgrade', summary: 'Run after every apply after the install, once everything is healthy.' },
  { value: 'pre-rollback', summary: 'Run before the objects on a rollback (kubectl kd rollback), and on no other run.' },
  { value: 'post-rollback', summary: 'Run after a rollback, once everything is healthy.' },
  { value: 'pre-apply', summary: 'Run before the first wave of every install and upgrade (not on rollback); a failure stops the apply.' },
  { value: 'post-apply', summary: 'Run after the last wave of every install and upgrade (not on rollback) is applied and healthy.' },
  { value: 'apply-failed', summary: 'Run when an install or upgrade fails (a hook, an object or a health gate failed).' },
  { value: 'pre-delete', summary: 'Run before kd deletes the objects (kubectl kd delete).' },
  { value: 'post-delete', summary: 'Run after kd has deleted the objects.' },
];

const argoHookValues: AnnotationValueDoc[] = [
  { value: 'PreSync', summary: 'Before the manifests are applied.', kdValue: 'pre-apply' },
  { value: 'Sync', summary: 'A hook created in its wave, together with the other objects.', kdValue: 'sync' },
  { value: 'PostSync', summary: 'After a successful apply, once everything is healthy.', kdValue: 'post-apply' },
  { value: 'SyncFail', summary: 'When the sync (apply) fails.', kdValue: 'apply-failed' },
  { value: 'Skip', summary: 'Do not apply this object at all.', kdValue: 'skip' },
  { value: 'PreDelete', summary: 'Before the objects are deleted.', kdValue: 'pre-delete' },
  { value: 'PostDelete', summary: 'After the objects are deleted.', kdValue: 'post-delete' },
];

const helmHookValues: AnnotationValueDoc[] = [
  { value: 'pre-install', summary: 'Before the first apply of a release.', kdValue: 'pre-install' },
  { value: 'pre-upgrade', summary: 'Before every later apply.', kdValue: 'pre-upgrade' },
  { value: 'post-install', summary: 'After the first apply of a release.', kdValue: 'post-install' },
  { value: 'post-upgrade', summary: 'After every later apply.', kdValue: 'post-upgrade' },
  { value: 'pre-delete', summary: 'Before deletion.', kdValue: 'pre-delete' },
  { value: 'post-delete', summary: 'After deletion.', kdValue: 'post-delete' },
  { value: 'pre-rollback', summary: 'Before a rollback.', kdValue: 'pre-rollback' },
  { value: 'post-rollback', summary: 'After a rollback.', kdValue: 'post-rollback' },
  { value: 'test', summary: 'Run by `helm test` only; kd ignores it.', kdValue: 'none' },
  { value: 'test-success', summary: 'Old name of `test`; kd ignores it.', kdValue: 'none' },
];

const hook: KdAnnotationSpec = {
  key: 'kd.io/hook',
  tool: 'kd',
  field: 'hooks',
  summary: 'Makes the object a hook that runs in the given phases instead of being applied in a wave.',
  documentation: [
    'Makes the object a **hook**: instead of being applied with the other objects, it is created',
    'in each named phase, kd waits for it to complete (a Job to succeed, a Pod to finish, anything',
    'else to be healthy) and then deletes it as `kd.io/hook-delete-policy` says.',
    '',
    'A comma-separated list of phases:',
    '',
    ...valueBullets(kdHookValues),
    '',
    'Which run is which: an **install** is the first apply of a release (or the first after',
    '`kubectl kd delete --keep-history`), an **upgrade** every later apply, a **rollback**',
    '`kubectl kd rollback` (a rollback runs its rollback hooks only).',
    '',
    'Hooks of one phase run in the order of `kd.io/hook-weight`, then kind, then name; a failing',
    'hook fails the run unless `kd.io/hook-failure-policy` says otherwise.',
    'Hooks usually have `generateName` or a delete policy, so that a re-run does not collide with',
    'the previous run.',
  ].join('\n'),
  ...enumListValues(kdHookValues),
  examples: ['pre-install', 'pre-upgrade', 'post-apply,apply-failed'],
  aliases: [
    {
      key: 'argocd.argoproj.io/hook',
      tool: 'Argo CD',
      summary: "Argo CD's hook phases; read as kd.io/hook.",
      documentation: [
        "Argo CD's resource hook, read as `kd.io/hook`:",
        '',
        ...argoHookValues.map((v) => `- \`${v.value}\` → ${v.kdValue === 'sync' ? 'created in its wave, as a hook' : v.kdValue === 'skip' ? 'not applied' : `\`${v.kdValue}\``}: ${v.summary}`),
        '',
        '`Skip` only counts when it is the only value (as in Argo CD); `Sync` cannot be combined with',
        'other phases in kd.',
      ].join('\n'),
      ...enumListValues(argoHookValues),
      examples: ['PreSync', 'PostSync'],
    },
    {
      key: 'helm.sh/hook',
      tool: 'Helm',
      summary: "Helm's hook events; read as kd.io/hook.",
      documentation: [
        "Helm's chart hook, read as `kd.io/hook`: each Helm event is the kd phase of the same name (an",
        'install is the first apply of a release, an upgrade every later one).',
        '',
        ...helmHookValues.map((v) => `- \`${v.value}\` → ${v.kdValue === 'none' ? 'ignored' : `\`${v.kdValue}\``}: ${v.summary}`),
        '',
        'An object whose every event is ignored (only `test` hooks) is not applied by kd,',
        'as Argo CD does with such hooks.',
      ].join('\n'),
      ...enumListValues(helmHookValues),
      examples: ['pre-install,pre-upgrade', 'post-install'],
    },
  ],
};

const hookWeight: KdAnnotationSpec = {
  key: 'kd.io/hook-weight',
  tool: 'kd',
  field: 'hookWeight',
  summary: 'Order of a hook within its phase; lower runs first.',
  documentation: [
    'Orders hooks within one phase: lower weights run first (an integer, may be negative;',
    'default `0`). Only meaningful together with `kd.io/hook`.',
  ].join('\n'),
  ...INTEGER_VALUE,
  examples: ['-5', '0', '10'],
  default: '0',
  aliases: [
    {
      key: 'helm.sh/hook-weight',
      tool: 'Helm',
      summary: "Helm's hook weight; read as kd.io/hook-weight.",
      documentation: "Helm's hook weight, read exactly as `kd.io/hook-weight`.",
      ...INTEGER_VALUE,
      examples: ['-5', '0', '10'],
    },
  ],
};

export const HOOK_DELETE_POLICIES = ['before-hook-creation', 'hook-succeeded', 'hook-failed'] as const;
export type HookDeletePolicy = (typeof HOOK_DELETE_POLICIES)[number];

const kdDeletePolicyValues: AnnotationValueDoc[] = [
  { value: 'before-hook-creation', summary: 'Delete the previous run of the hook before creating it again (the default).' },
  { value: 'hook-succeeded', summary: 'Delete the hook once it has succeeded.' },
  { value: 'hook-failed', summary: 'Delete the hook when it has failed.' },
];

const hookDeletePolicy: KdAnnotationSpec = {
  key: 'kd.io/hook-delete-policy',
  tool: 'kd',
  field: 'hookDeletePolicies',
  summary: 'When kd deletes a hook: before-hook-creation (default), hook-succeeded, hook-failed.',
  documentation: [
    'When kd deletes a hook object (a comma-separated list; default `before-hook-creation`, as in',
    'Argo CD and Helm):',
    '',
    ...valueBullets(kdDeletePolicyValues),
  ].join('\n'),
  ...enumListValues(kdDeletePolicyValues),
  examples: ['before-hook-creation', 'before-hook-creation,hook-succeeded'],
  default: 'before-hook-creation',
  aliases: [
    (() => {
      const values: AnnotationValueDoc[] = [
        { value: 'BeforeHookCreation', summary: 'Delete the previous run before creating the hook again.', kdValue: 'before-hook-creation' },
        { value: 'HookSucceeded', summary: 'Delete the hook once it has succeeded.', kdValue: 'hook-succeeded' },
        { value: 'HookFailed', summary: 'Delete the hook when it has failed.', kdValue: 'hook-failed' },
      ];
      return {
        key: 'argocd.argoproj.io/hook-delete-policy',
        tool: 'Argo CD' as const,
        summary: "Argo CD's hook delete policy; read as kd.io/hook-delete-policy.",
        documentation: [
          "Argo CD's hook delete policy, read as `kd.io/hook-delete-policy`:",
          '',
          ...values.map((v) => `- \`${v.value}\` → \`${v.kdValue}\``),
        ].join('\n'),
        ...enumListValues(values),
        examples: ['BeforeHookCreation', 'HookSucceeded,HookFailed'],
      };
    })(),
    (() => {
      const values: AnnotationValueDoc[] = kdDeletePolicyValues.map((v) => ({ ...v, kdValue: v.value }));
      return {
        key: 'helm.sh/hook-delete-policy',
        tool: 'Helm' as const,
        summary: "Helm's hook delete policy; read as kd.io/hook-delete-policy.",
        documentation: "Helm's hook delete policy, read as `kd.io/hook-delete-policy` (the same values).",
        ...enumListValues(values),
        examples: ['before-hook-creation', 'hook-succeeded'],
      };
    })(),
  ],
};

export const HOOK_FAILURE_POLICIES = ['fail', 'continue', 'rollback'] as const;
export type HookFailurePolicy = (typeof HOOK_FAILURE_POLICIES)[number];

const failurePolicyValues: AnnotationValueDoc[] = [
  { value: 'fail', summary: 'A failing hook fails the run (the default).' },
  { value: 'continue', summary: 'A failing hook is reported as a warning; the run goes on and can succeed.' },
  { value: 'rollback', summary: 'A failing hook fails the run and rolls the release back to its last deployed revision, as --atomic does.' },
];

const hookFailurePolicy: KdAnnotationSpec = {
  key: 'kd.io/hook-failure-policy',
  tool: 'kd',
  field: 'hookFailurePolicy',
  summary: 'What a failing hook does to the run: fail (default), continue, rollback.',
  documentation: [
    'What happens when this hook fails (its Job fails, its Pod fails, it times out):',
    '',
    ...valueBullets(failurePolicyValues),
    '',
    'Only meaningful together with `kd.io/hook`. An interrupt (Ctrl-C) always stops the run.',
  ].join('\n'),
  ...enumValues(failurePolicyValues),
  examples: ['continue', 'rollback'],
  default: 'fail',
  aliases: [],
};

// 3. Lifecycle, drift, health ------------------------------------------------------------------

const keepValues: AnnotationValueDoc[] = [{ value: 'keep', summary: 'Never prune or delete this object.' }];

const resourcePolicy: KdAnnotationSpec = {
  key: 'kd.io/resource-policy',
  tool: 'kd',
  field: 'keep',
  summary: 'keep: kd never prunes or deletes the object.',
  documentation: [
    '`keep`: kd never prunes or deletes this object, not even when it disappears from the',
    'manifests or on `kubectl kd delete` (the object is left in the cluster, unmanaged).',
  ].join('\n'),
  ...enumValues(keepValues),
  examples: ['keep'],
  aliases: [
    {
      key: 'helm.sh/resource-policy',
      tool: 'Helm',
      summary: "Helm's resource policy; read as kd.io/resource-policy.",
      documentation: "Helm's resource policy, read as `kd.io/resource-policy`: `keep` means kd never prunes or deletes the object.",
      kind: 'enum',
      valueSyntax: 'keep',
      values: keepValues.map((v) => ({ ...v, kdValue: v.value })),
      pattern: enumPattern(keepValues),
      examples: ['keep'],
    },
  ],
};

const driftIgnore: KdAnnotationSpec = {
  key: 'kd.io/drift-ignore',
  tool: 'kd',
  field: 'driftIgnore',
  summary: 'Comma-separated JSON pointers of fields that drift detection ignores.',
  documentation: [
    'Fields that drift detection ignores, as a comma-separated list of JSON pointers (RFC 6901):',
    'each starts with `/`; `~1` stands for `/` and `~0` for `~` in a key. A pointer covers',
    'everything below it. Keys containing a comma cannot be named.',
    '',
    'Example: `/spec/replicas, /metadata/annotations/deployment.kubernetes.io~1revision`.',
  ].join('\n'),
  kind: 'pointer-list',
  valueSyntax: 'a comma-separated list of JSON pointers such as /spec/replicas',
  pattern: POINTER_LIST_PATTERN,
  examples: ['/spec/replicas', '/spec/replicas,/spec/template/metadata/annotations'],
  aliases: [],
};

const healthValues: AnnotationValueDoc[] = [
  { value: 'wait', summary: 'Wait until the object is healthy before the next wave (the default).' },
  { value: 'skip', summary: 'Do not wait for this object; its wave completes without it.' },
];

const health: KdAnnotationSpec = {
  key: 'kd.io/health',
  tool: 'kd',
  field: 'health',
  summary: 'wait (default): gate the next wave on this object being healthy; skip: do not wait.',
  documentation: ['Whether the object gates its wave:', '', ...valueBullets(healthValues)].join('\n'),
  ...enumValues(healthValues),
  examples: ['wait', 'skip'],
  default: 'wait',
  aliases: [],
};

const timeout: KdAnnotationSpec = {
  key: 'kd.io/timeout',
  tool: 'kd',
  field: 'timeoutMs',
  summary: 'How long kd waits for the object (or hook) to become healthy, e.g. 90s, 5m, 1h30m.',
  documentation: [
    'How long kd waits for this object to become healthy (or this hook to complete) before it',
    'counts as failed, overriding `--timeout`. A duration: numbers with units `h`, `m`, `s` or `ms`,',
    'such as `90s`, `5m`, `1h30m`, `1.5h`; it must be greater than zero.',
  ].join('\n'),
  kind: 'duration',
  valueSyntax: 'a duration such as 90s, 5m or 1h30m (units h, m, s, ms)',
  pattern: DURATION_PATTERN,
  examples: ['90s', '5m', '1h30m'],
  aliases: [],
};

// Custom health checks ----------------------------------------------------------------------------

const PORT_NUMBER = '[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]';
// IANA_SVC_NAME, as Kubernetes validates container port names: at most 15 characters, a-z0-9 and
// single inner hyphens, at least one letter.
const PORT_NAME = '(?=[-a-z0-9]{1,15}$)(?=[-0-9]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*';
const PORT_PATTERN = `^(?:${PORT_NUMBER}|${PORT_NAME})$`;
const URL_PATH_PATTERN = '^/[^\\s#]*$';
const STATUS = '[1-5](?:[0-9]{2}|xx)';
const STATUS_LIST_PATTERN = `^ *${STATUS} *(?:, *${STATUS} *)*$`;
/** One shell word: unquoted characters, backslash escapes, '...' and "..." (with escapes). */
export const COMMAND_WORD = `(?:[^\\s'"\\\\]|\\\\[\\s\\S]|'[^']*'|"(?:[^"\\\\]|\\\\[\\s\\S])*")+`;
export const COMMAND_PATTERN = `^\\s*${COMMAND_WORD}(?:\\s+${COMMAND_WORD})*\\s*$`;
const DNS_LABEL_PATTERN = '^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$';

const healthCheckValues: AnnotationValueDoc[] = [
  { value: 'http', summary: 'GET a path of each ready pod (or the Service) through the API server proxy.' },
  { value: 'command', summary: 'Run a command in each ready pod (pods/exec); exit code 0 is healthy.' },
];

const healthCheck: KdAnnotationSpec = {
  key: 'kd.io/health-check',
  tool: 'kd',
  field: 'healthCheck',
  summary: 'A check kd runs once the object is ready: http (a GET through the API server) or command (exec).',
  documentation: [
    'A custom health check that kd runs after the object is healthy by its kind\'s rules, until it',
    'passes or the timeout (`kd.io/timeout`, `--timeout`) ends; a failure fails the apply.',
    '',
    ...valueBullets(healthCheckValues),
    '',
    'Both go through the Kubernetes API server (the `proxy` and `exec` subresources of each ready',
    'pod of the current rollout, or the `proxy` of a Service), so they work wherever kubectl works.',
    'See `kd.io/health-check-path`, `-port`, `-expect`, `-command` and `-container`.',
  ].join('\n'),
  ...enumValues(healthCheckValues),
  examples: ['http', 'command'],
  aliases: [
    {
      key: 'sherpack.io/health-check',
      tool: 'sherpack',
      summary: 'sherpack\'s switch for custom health checks; "true" is read as kd.io/health-check with sherpack.io/health-check-type (default http).',
      documentation:
        'sherpack\'s switch for custom health checks: `"true"` turns the check named by `sherpack.io/health-check-type` on (an HTTP check when no type is set); `"false"` turns it off.',
      kind: 'enum',
      valueSyntax: 'true or false',
      values: [
        { value: 'true', summary: 'Run the check of sherpack.io/health-check-type (http by default).', kdValue: 'default' },
        { value: 'false', summary: 'No custom health check.', kdValue: 'none' },
      ],
      pattern: '^(?:true|false)$',
      examples: ['true', 'false'],
    },
    {
      key: 'sherpack.io/health-check-type',
      tool: 'sherpack',
      summary: "sherpack's health check type; read as kd.io/health-check.",
      documentation: "sherpack's health check type (`http` or `command`), read exactly as `kd.io/health-check`.",
      ...enumValues(healthCheckValues),
      examples: ['http', 'command'],
    },
  ],
};

function sherpackAlias(suffix: string, kind: AnnotationValueKind, valueSyntax: string, pattern: string, examples: string[]): AnnotationKeySpec {
  return {
    key: `sherpack.io/health-check-${suffix}`,
    tool: 'sherpack',
    summary: `sherpack's health check ${suffix}; read as kd.io/health-check-${suffix}.`,
    documentation: `sherpack's health check ${suffix}, read exactly as \`kd.io/health-check-${suffix}\`.`,
    kind,
    valueSyntax,
    pattern,
    examples,
  };
}

const PATH_SYNTAX = 'a URL path starting with / (no spaces)';
const PORT_SYNTAX = 'a port number from 1 to 65535 or a port name (at most 15 of a-z, 0-9 and -)';
const COMMAND_SYNTAX = 'a command line (words split as a shell would, with balanced quotes)';

const healthCheckPath: KdAnnotationSpec = {
  key: 'kd.io/health-check-path',
  tool: 'kd',
  field: 'healthCheckPath',
  summary: 'The path the HTTP health check requests (default /).',
  documentation: 'The path (and query) the `kd.io/health-check: http` check requests from each pod or the Service, such as `/healthz`. Default `/`.',
  kind: 'url-path',
  valueSyntax: PATH_SYNTAX,
  pattern: URL_PATH_PATTERN,
  examples: ['/healthz', '/ready?full=1'],
  default: '/',
  aliases: [sherpackAlias('path', 'url-path', PATH_SYNTAX, URL_PATH_PATTERN, ['/healthz'])],
};

const healthCheckPort: KdAnnotationSpec = {
  key: 'kd.io/health-check-port',
  tool: 'kd',
  field: 'healthCheckPort',
  summary: "The port of the HTTP health check: a number or a port name (default: the first container's first port).",
  documentation: [
    'The port the `kd.io/health-check: http` check requests: a number, or the name of a container',
    'port (of a Service: a Service port). Default: the first port of the first container (of a',
    'Service: its first port).',
  ].join('\n'),
  kind: 'port',
  valueSyntax: PORT_SYNTAX,
  pattern: PORT_PATTERN,
  examples: ['8080', 'http'],
  aliases: [sherpackAlias('port', 'port', PORT_SYNTAX, PORT_PATTERN, ['8080'])],
};

const healthCheckExpect: KdAnnotationSpec = {
  key: 'kd.io/health-check-expect',
  tool: 'kd',
  field: 'healthCheckExpect',
  summary: 'HTTP status codes the health check accepts, e.g. 200,204 or 2xx (default 2xx).',
  documentation: 'The HTTP status codes that count as healthy: a comma list of codes (`200`) and classes (`2xx`). Default `2xx`.',
  kind: 'status-list',
  valueSyntax: 'a comma list of HTTP status codes or classes such as 200,204 or 2xx',
  pattern: STATUS_LIST_PATTERN,
  examples: ['2xx', '200,204'],
  default: '2xx',
  aliases: [],
};

const healthCheckCommand: KdAnnotationSpec = {
  key: 'kd.io/health-check-command',
  tool: 'kd',
  field: 'healthCheckCommand',
  summary: 'The command the command health check runs in each pod (split like a shell, never run by one).',
  documentation: [
    'The command `kd.io/health-check: command` runs in each ready pod through `pods/exec`; exit',
    'code 0 is healthy. It is split into words as a POSIX shell would (quotes and backslashes) but',
    "not run by a shell: write `sh -c '...'` for pipes or variables.",
  ].join('\n'),
  kind: 'command',
  valueSyntax: COMMAND_SYNTAX,
  pattern: COMMAND_PATTERN,
  examples: ['/bin/check-ready.sh', "sh -c 'test -f /tmp/ready'"],
  aliases: [sherpackAlias('command', 'command', COMMAND_SYNTAX, COMMAND_PATTERN, ['/bin/check-ready.sh'])],
};

const healthCheckContainer: KdAnnotationSpec = {
  key: 'kd.io/health-check-container',
  tool: 'kd',
  field: 'healthCheckContainer',
  summary: 'The container the command health check runs in (default: the first container).',
  documentation: 'The container of each pod that `kd.io/health-check: command` runs in. Default: the first container.',
  kind: 'dns-label',
  valueSyntax: 'a container name (a DNS label)',
  pattern: DNS_LABEL_PATTERN,
  examples: ['web'],
  aliases: [],
};

/** kd's annotations, in documentation order. */
export const KD_ANNOTATIONS: readonly KdAnnotationSpec[] = [
  syncWave,
  hook,
  hookWeight,
  hookDeletePolicy,
  hookFailurePolicy,
  resourcePolicy,
  driftIgnore,
  health,
  timeout,
  healthCheck,
  healthCheckPath,
  healthCheckPort,
  healthCheckExpect,
  healthCheckCommand,
  healthCheckContainer,
];

export interface AnnotationLookup {
  annotation: KdAnnotationSpec;
  /** The spec of the key itself: the annotation, or the alias that was looked up. */
  spec: AnnotationKeySpec;
  /** Set when the key is an alias. */
  alias?: AnnotationKeySpec;
}

const byKey = new Map<string, AnnotationLookup>();
for (const annotation of KD_ANNOTATIONS) {
  byKey.set(annotation.key, { annotation, spec: annotation });
  for (const alias of annotation.aliases) byKey.set(alias.key, { annotation, spec: alias, alias });
}

/** The catalogue entry of a kd key or alias key; undefined for anything else. */
export function lookupAnnotation(key: string): AnnotationLookup | undefined {
  return byKey.get(key);
}

/** Every key kd reads: its own, then the aliases, in catalogue order. */
export function allAnnotationKeys(): string[] {
  return KD_ANNOTATIONS.flatMap((a) => [a.key, ...a.aliases.map((alias) => alias.key)]);
}
