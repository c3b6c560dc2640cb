/**
 * kd-lsp entry: `kd-lsp --stdio` runs the language server over standard input and output;
 * `--version` and `--help` answer and exit. The only module of kd-lsp that touches `process`
 * (arguments, streams, exit code), besides the measuring of loop-stats.ts under KD_LSP_TRACE.
 */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { jsonEncoder } from './json-encoder.js';
import { loopStats } from './loop-stats.js';
import { nodeHost } from './node-host.js';
import { startServer } from './server.js';
import { ExitCode } from '../src/index.js';

const VERSION = '0.1.0';

const HELP = `kd-lsp ${VERSION}: language server for Kubernetes manifests (kd's rules, offline)

Usage:
  kd-lsp --stdio      run the server over standard input/output (what editors start)
  kd-lsp --version    print the version
  kd-lsp --help       print this help

Settings (initializationOptions, or the "kd" section of workspace/configuration):
  schemaDir          folder of OpenAPI v3 documents (/openapi/v3 layout); default: built-in bundle
  kubernetesVersion  version of those schemas, for messages
  crdPaths           CRD files or folders to use besides the workspace's CRDs
  strict             unknown fields are errors (default true) or warnings
  context            kubeconfig context (off by default): default namespace, live health on hover

Editor set-up: docs/editors.md.
`;

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`kd-lsp ${VERSION}\n`);
} else if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(HELP);
} else if (args.includes('--stdio') || args.length === 0) {
  // The encoder sends outlines the server already holds as JSON text without serializing them again.
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: jsonEncoder }));
  // Anything printed to stdout would corrupt the protocol stream.
  console.log = (...parts: unknown[]) => connection.console.log(parts.map(String).join(' '));
  const host = nodeHost({ version: VERSION, env: process.env, cwd: process.cwd(), log: (m) => connection.console.warn(m) });
  // KD_LSP_TRACE=<file>: what held the event loop, written there at exit (bench/lsp.mjs reads it).
  const trace = process.env.KD_LSP_TRACE;
  startServer(connection, host, trace ? { timing: loopStats(trace) } : {});
} else {
  process.stderr.write(`kd-lsp: unknown arguments: ${args.join(' ')}\n${HELP}`);
  process.exitCode = ExitCode.error;
}
