// Checks the running Node before any of the bundle (which needs Node 22) is loaded.
// Written in old syntax on purpose: it must parse on the oldest Node a user may still have.
'use strict';
var MIN_MAJOR = 22;
exports.ensureNode = function ensureNode(name) {
  var major = parseInt(String(process.versions.node).split('.')[0], 10);
  if (major >= MIN_MAJOR) return;
  process.stderr.write(
    'error: ' + name + ' needs Node.js ' + MIN_MAJOR + ' or newer, but this is Node.js ' + process.versions.node + ' (' + process.execPath + ').\n' +
    'Install Node.js ' + MIN_MAJOR + ' (or newer) and make it the first `node` on PATH, then run ' + name + ' again.\n'
  );
  process.exit(2);
};
