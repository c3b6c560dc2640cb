// Checks the running Node before any of the bundle (which needs Node 22) is loaded.
// Written in old syntax on purpose: it must parse on the oldest Node a user may still have.
//
// When the running Node is too old but this installation carries its own Node 22 (the `node`
// package the project installs for its npm scripts, present after `npm ci` and `npm link` or
// `npm i -g .` of a checkout), kd runs itself again on that one, so `kubectl kd` works whatever
// the system Node is. Otherwise it says what is wrong and exits 2.
'use strict';
var path = require('path');
var fs = require('fs');
var MIN_MAJOR = 22;

function majorOf(version) {
  return parseInt(String(version).replace(/^v/, '').split('.')[0], 10);
}

exports.ensureNode = function ensureNode(name, script) {
  var major = majorOf(process.versions.node);
  if (major >= MIN_MAJOR) return;
  var ownNode = path.join(__dirname, '..', 'node_modules', 'node', 'bin', 'node');
  // KD_NO_NODE_REEXEC is set for the child, so this can never loop.
  if (!process.env.KD_NO_NODE_REEXEC && fs.existsSync(ownNode)) {
    var child = require('child_process').spawnSync(ownNode, [script].concat(process.argv.slice(2)), {
      stdio: 'inherit',
      env: Object.assign({}, process.env, { KD_NO_NODE_REEXEC: '1' }),
    });
    if (child.error) {
      process.stderr.write('error: could not start ' + ownNode + ': ' + child.error.message + '\n');
      process.exit(2);
    }
    if (child.signal) {
      process.kill(process.pid, child.signal);
      return process.exit(child.signal === 'SIGINT' ? 130 : 2);
    }
    process.exit(child.status === null ? 2 : child.status);
  }
  process.stderr.write(
    'error: ' + name + ' needs Node.js ' + MIN_MAJOR + ' or newer, but this is Node.js ' + process.versions.node + ' (' + process.execPath + ').\n' +
    'hint: install Node.js ' + MIN_MAJOR + ' (or newer) and make it the first `node` on PATH, then run ' + name + ' again.\n'
  );
  process.exit(2);
};
