/**
 * The built dist/kubectl-kd.js: reads which command the command line names and loads that
 * command's bundle file (dist/cli/<command>.js, built from plugin/main.ts with only that
 * command: scripts/build.mjs), which runs the whole CLI. A command so loads its code from one
 * file instead of dozens of shared chunks, whose module loading cost more than their bytes
 * (issue 17). Without a command word, or with one kd does not know, dist/cli/kd.js answers
 * (--version, errors), and dist/cli/help.js, which holds every command, the overall --help.
 * Imports nothing but plugin/command-word.ts, so no module of kd has a second copy in a run.
 */
import { asksForHelp, commandWord, isCommandWord } from './command-word.js';

const args = process.argv.slice(2);
const word = commandWord(args);
const file = isCommandWord(word) ? word : asksForHelp(args) ? 'help' : 'kd';
await import(new URL(`./cli/${file}.js`, import.meta.url).href);
