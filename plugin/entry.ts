/**
 * The built dist/kubectl-kd.cjs: reads which command the command line names and runs that
 * command's bundle file (dist/cli/<command>.cjs, built from plugin/main.ts with only that
 * command: scripts/build.mjs), which runs the whole CLI. A command so loads its code from one
 * file instead of dozens of shared chunks, whose module loading cost more than their bytes
 * (issue 17), and from a code cache of what earlier runs compiled (plugin/bundle-loader.ts).
 * Without a command word, or with one kd does not know, dist/cli/kd.cjs answers (--version,
 * errors), and dist/cli/help.cjs, which holds every command, the overall --help.
 * Imports nothing but plugin/command-word.ts and the loader, so no module of kd has a second copy in a run.
 * Built as a CommonJS script (scripts/build.mjs) that the bin require()s: a command run so never
 * starts Node's ES module loader, which cost 3-5 ms of every command.
 */
import { fileURLToPath } from 'node:url';
import { runBundle } from './bundle-loader.js';
import { asksForHelp, commandWord, isCommandWord, talksTls } from './command-word.js';

const args = process.argv.slice(2);
const word = commandWord(args);
const file = isCommandWord(word) ? word : asksForHelp(args) ? 'help' : 'kd';
// Loading node:tls starts Node's parsing of its root certificates (and of NODE_EXTRA_CA_CERTS) on
// a thread of its own; the first TLS context waits for it, also when the kubeconfig names the CA
// (10-18 ms of a drift, measured: issue 17). Loaded here, that parse runs while the command's file
// is read and compiled, instead of between the kubeconfig and the first request.
if (talksTls(word, args)) require('node:tls');
runBundle(fileURLToPath(new URL(`./cli/${file}.cjs`, import.meta.url)));
