/**
 * kd-lsp entry. The language server is built by its own issue; until then the bin answers
 * `--version` and `--help` and says plainly that the server is not available yet.
 */
const VERSION = '0.1.0';
const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`kd-lsp ${VERSION}\n`);
} else {
  process.stderr.write('kd-lsp: the language server is not available in this version (see README, "Language server").\n');
  process.exitCode = args.includes('--help') ? 0 : 2;
}
