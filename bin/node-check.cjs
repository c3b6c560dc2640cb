// Checks the running Node before any of the bundle (which needs Node 22) is loaded.
// Written in old syntax on purpose: it must parse on the oldest Node a user may still have.
//
// When the running Node is too old but this installation carries its own Node 22 (the `node`
// package the project installs for its npm scripts, present after `npm ci` and `npm link` or
// `npm i -g .` of a checkout), kd runs itself again on that one, so `kubectl kd` works whatever
// the system Node is. Otherwise it says what is wrong and exits 2.
//
// The re-run is a child process, and whoever started `kubectl-kd` only knows this process's PID:
// a user's `kill`, a CI runner's timeout or a process supervisor signal this one. So SIGINT,
// SIGTERM and SIGHUP are passed on to the child, and this process waits for it and exits with its
// status (128 + the signal's number when the child was killed by one), as if kd had been run
// directly. (A Ctrl-C in a terminal reaches both processes; kd counts a repeat of the same signal
// within a moment as one, see plugin/main.ts.)
'use strict';
var path = require('path');
var fs = require('fs');
var os = require('os');
var MIN_MAJOR = 22;
var FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function majorOf(version) {
  return parseInt(String(version).replace(/^v/, '').split('.')[0], 10);
}

/** Exit status for a child that ended with `code` or was killed by `signal`, as a shell reports it. */
function statusOf(code, signal) {
  if (signal) {
    var n = os.constants.signals[signal];
    return typeof n === 'number' ? 128 + n : 2;
  }
  return code === null ? 2 : code;
}
exports.statusOf = statusOf;

function runOnOwnNode(ownNode, script) {
  var child = require('child_process').spawn(ownNode, [script].concat(process.argv.slice(2)), {
    stdio: 'inherit',
    env: Object.assign({}, process.env, { KD_NO_NODE_REEXEC: '1' }),
  });
  var handlers = {};
  FORWARDED.forEach(function (signal) {
    handlers[signal] = function () {
      // Handling the signal keeps this process alive until the child has finished its own
      // clean-up (releasing the lock, stopping watches) and exited.
      try {
        child.kill(signal);
      } catch (e) {
        // The child has already gone; its exit event follows.
      }
    };
    process.on(signal, handlers[signal]);
  });
  child.on('error', function (e) {
    process.stderr.write('error: could not start ' + ownNode + ': ' + e.message + '\n');
    process.exit(2);
  });
  child.on('exit', function (code, signal) {
    FORWARDED.forEach(function (s) {
      process.removeListener(s, handlers[s]);
    });
    process.exit(statusOf(code, signal));
  });
}

// Node (22.1 and later) keeps the V8 code of the bundles it compiled on disk and reuses it on the
// next start, instead of parsing and compiling megabytes of JavaScript on every command. The
// folder is NODE_COMPILE_CACHE when set, else one in the temp folder; a cache that cannot be
// written only costs the speed-up.
function enableCompileCache() {
  var mod = require('module');
  if (typeof mod.enableCompileCache !== 'function' || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    mod.enableCompileCache();
  } catch (e) {
    // Not fatal: kd runs the same without it.
  }
}

/**
 * Returns true when the running Node can run kd: the caller goes on and loads the bundle. Returns
 * false when kd now runs in a child on the installation's own Node: the caller must load nothing
 * (this process exits with the child's status). Exits 2 when neither is possible.
 */
exports.ensureNode = function ensureNode(name, script) {
  var major = majorOf(process.versions.node);
  if (major >= MIN_MAJOR) {
    enableCompileCache();
    return true;
  }
  var ownNode = path.join(__dirname, '..', 'node_modules', 'node', 'bin', 'node');
  // KD_NO_NODE_REEXEC is set for the child, so this can never loop.
  if (!process.env.KD_NO_NODE_REEXEC && fs.existsSync(ownNode)) {
    runOnOwnNode(ownNode, script);
    return false;
  }
  process.stderr.write(
    'error: ' + name + ' needs Node.js ' + MIN_MAJOR + ' or newer, but this is Node.js ' + process.versions.node + ' (' + process.execPath + ').\n' +
    'hint: install Node.js ' + MIN_MAJOR + ' (or newer) and make it the first `node` on PATH, then run ' + name + ' again.\n'
  );
  process.exit(2);
};
