/** kubectl-kd entry (temporary while the CLI is being written). */
process.stdout.write('kubectl-kd\n');
