/**
 * kubectl-kd entry: wires the real process to the CLI and sets the exit code. The only module
 * that touches `process` directly; SIGINT/SIGTERM abort the running command (exit 130).
 */
import { runCli } from './cli.js';
import { ExitCode } from './exit-codes.js';
import { VERSION } from './version.js';

const controller = new AbortController();
const interrupt = { handled: false };
let interrupted: { signal: NodeJS.Signals; at: number } | undefined;
const onSignal = (signal: NodeJS.Signals) => {
  // The same signal again within a moment is one event delivered twice, not a second Ctrl-C: in a
  // terminal it reaches both kd and the bin shim that re-runs kd on its own Node, which passes it
  // on (bin/node-check.cjs).
  if (interrupted && interrupted.signal === signal && Date.now() - interrupted.at < 250) return;
  // A command that does not clean up on its own, or a second Ctrl-C: end now, as the shell would.
  if (interrupted || !interrupt.handled) process.exit(ExitCode.interrupted);
  interrupted = { signal, at: Date.now() };
  controller.abort(new Error(`received ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A closed pipe (`kubectl kd validate . | head`) is a normal end, not a crash. A command that
// cleans up after itself (`apply -o jsonl | head -5`) is stopped as by Ctrl-C: no new work, the
// revision marked failed, hooks cleaned per policy, the lock released; its later output is lost.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') return;
  if (!interrupt.handled) process.exit(process.exitCode ?? 0);
  if (interrupted) return;
  interrupted = { signal: 'SIGPIPE', at: Date.now() };
  controller.abort(new Error('standard output was closed (EPIPE)'));
});

// No top-level await: the built command file is a CommonJS script (scripts/build.mjs), run by
// plugin/bundle-loader.ts.
let settled = false;
void runCli(process.argv.slice(2), {
  stdout: process.stdout,
  // Read on first use: Node builds a standard stream when it is first read, and for a file (a
  // `</dev/null`, a cron job's) that loads its fs streams, fs/promises and readline, for a
  // terminal node:tty (~3 ms of every run: issue 17), though only `-f -`, --watch and errors use them.
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
  version: VERSION,
  interrupt,
}).then((code) => {
  settled = true;
  // Commands that handle interrupts choose their own exit code (130, or 0 for `kd sim`).
  process.exitCode = code;
});
// The event loop emptied: nothing is left to run or to write (a pending write to a pipe keeps the
// loop alive). After the command, the process ends here: process.exit() runs the 'exit' listeners
// (the code cache's) as a natural end does, but skips Node's teardown of the environment (its
// handles and heap), 1-3 ms of every run (issue 17).
// While the command had not finished (nothing left that could finish it): an internal error,
// never a success. A top-level await left pending ended so (exit 13).
process.on('beforeExit', () => {
  if (settled) process.exit();
  settled = true;
  process.stderr.write('error: kubectl-kd stopped before the command finished (an internal error)\n');
  process.exitCode = 13;
});
