#!/usr/bin/env node
// Entry shim: plain CommonJS so that it runs on any Node and can say clearly when it is too old.
'use strict';
if (require('./node-check.cjs').ensureNode('kubectl-kd', __filename)) require('../dist/kubectl-kd.cjs');
