/**
 * `kubectl kd validate PATH...`: checks manifests against Kubernetes and CRD schemas offline.
 * Exit 0 when valid (warnings allowed), 1 when any error was found, 2 on usage or I/O errors.
 */
import type { ArgsBuilder } from '../args/declare.js';
import { allRules, definedOnly, parseIgnorePatterns, parseSkipKinds, ruleInfo, usageError, validateFiles, type ValidateFilesRequest } from '../../src/index.js';
import { exitForDiagnostics } from '../exit-codes.js';
import { STDIN_ARG, globalFlags, outputFlag } from '../flags.js';
import { stdoutStyle, type CommandContext } from '../context.js';
import { INPUT_FLAG_OPTIONS, inputFlags, type InputFlags } from '../input-flags.js';
import { formatDiagnosticsJson } from '../output/diagnostics-json.js';
import { formatDiagnosticsText } from '../output/diagnostics-text.js';
import { formatSarif } from '../output/sarif.js';
import type { CommandSpec } from './index.js';

export type ValidateOutput = 'text' | 'json' | 'sarif';

export interface ValidateOptions {
  paths: string[];
  output: ValidateOutput;
  strict: boolean;
  kubernetesVersion?: string;
  schemaDir?: string;
  crds: string[];
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  color?: boolean;
  cluster: boolean;
  /** `--cluster --sim`: the cluster is an in-process kd sim, as for every cluster command. */
  sim?: boolean;
  /** `--max-input-size`, `--allow-remote`, `--exclude`. */
  input: InputFlags;
  /** `--skip KIND,...`: kinds (or group/version/Kind) left out, as kubeconform's -skip. */
  skipKinds: string[];
}

export function validateOptionsFrom(argv: Record<string, unknown>): ValidateOptions {
  const g = globalFlags(argv);
  const paths = (argv.paths as string[] | undefined) ?? [];
  if (paths.length === 0) throw usageError('no input: give one or more files or folders, or - for standard input', 'kubectl kd validate manifests/');
  const output = outputFlag(argv, 'validate', ['text', 'json', 'sarif']);
  const options: ValidateOptions = {
    paths: paths.map((p) => (p === STDIN_ARG ? '-' : String(p))),
    output,
    strict: argv.strict !== false,
    // Repeatable, one value each (an array option would swallow the paths after it).
    crds: ([] as unknown[]).concat(argv.crd ?? []).map(String),
    cluster: argv.cluster === true,
    input: inputFlags(argv),
    skipKinds: [],
  };
  const skip = parseSkipKinds(([] as unknown[]).concat(argv.skip ?? []).map(String));
  if ('problem' in skip) throw usageError(skip.problem);
  options.skipKinds = skip.skip;
  if (options.cluster && (argv['schema-dir'] !== undefined || argv['kubernetes-version'] !== undefined))
    throw usageError('--cluster takes the schemas from the cluster; it cannot be combined with --schema-dir or --kubernetes-version');
  if (typeof argv['kubernetes-version'] === 'string') options.kubernetesVersion = argv['kubernetes-version'];
  if (typeof argv['schema-dir'] === 'string') options.schemaDir = argv['schema-dir'];
  if (g.namespace) options.namespace = g.namespace;
  if (g.context) options.context = g.context;
  if (g.kubeconfig) options.kubeconfig = g.kubeconfig;
  if (g.sim) options.sim = true;
  if (g.color !== undefined) options.color = g.color;
  return options;
}

export async function runValidate(options: ValidateOptions, ctx: CommandContext): Promise<number> {
  const request: ValidateFilesRequest = {
    paths: options.paths,
    readStdin: () => ctx.stdin,
    input: options.input,
    strict: options.strict,
    crdPaths: options.crds,
    env: ctx.env,
    cwd: ctx.cwd,
    signal: ctx.signal,
    cluster: options.cluster,
    ...(options.sim ? { sim: true } : {}),
    skipKinds: options.skipKinds,
    ...definedOnly({
      schemaDir: options.schemaDir,
      kubernetesVersion: options.kubernetesVersion,
      namespace: options.namespace,
      context: options.context,
      kubeconfig: options.kubeconfig,
    }),
  };

  const result = await validateFiles(request);
  const summary = { files: result.files, objects: result.objects };
  let text: string;
  if (options.output === 'json') text = formatDiagnosticsJson(result.diagnostics, summary);
  else if (options.output === 'sarif') text = formatSarif(result.diagnostics, { toolVersion: ctx.version, cwd: ctx.cwd, ruleInfo });
  else text = formatDiagnosticsText(result.diagnostics, summary, stdoutStyle(ctx, options.color));
  ctx.stdout.write(text);
  return exitForDiagnostics(result.diagnostics);
}

export const validateCommand: CommandSpec = {
  name: 'validate [paths..]',
  describe: 'check manifests against Kubernetes OpenAPI and CRD schemas (offline)',
  builder: (y: ArgsBuilder) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'files, folders (recursive), kustomization folders, or - for stdin' })
      .option('output', { alias: 'o', type: 'string', default: 'text', describe: 'text | json | sarif' })
      .option('strict', { type: 'boolean', default: true, describe: 'unknown fields are errors (--no-strict: warnings)' })
      .option('kubernetes-version', { type: 'string', describe: 'Kubernetes version of the schemas (default: the built-in bundle)' })
      .option('schema-dir', { type: 'string', describe: 'folder of OpenAPI v3 documents in the /openapi/v3 layout (env KD_SCHEMA_DIR)' })
      .option('cluster', { type: 'boolean', default: false, describe: "use the kubeconfig cluster's OpenAPI v3 schemas and CRDs (online)" })
      .options(INPUT_FLAG_OPTIONS)
      .option('crd', { type: 'string', repeatable: true, describe: 'CRD files or folders whose schemas to use (repeatable)' })
      .option('skip', { type: 'string', repeatable: true, describe: 'kinds to leave out, comma-separated: Kind or group/version/Kind (repeatable)' })
      .example('$0 validate manifests/', 'validate every YAML/JSON file under manifests/')
      .example('$0 validate app.yaml -o sarif > kd.sarif', 'SARIF for code scanning')
      .example("$0 validate deploy/ --skip Secret --exclude 'legacy/**'", 'leave out Secrets and the legacy folder')
      .epilogue(`Rules: ${allRules().length} (see README, "Validation rules"). Exit codes: 0 valid, 1 invalid, 2 usage or I/O error.`),
  run: (argv, ctx) => runValidate(validateOptionsFrom(argv), ctx),
};
