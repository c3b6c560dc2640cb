/**
 * Runs before every test file: points HOME and the XDG folders at this file's temporary HOME, so
 * in-process kd code and every child process (kd, kubectl, kd-lsp) keep their caches there, never
 * in the source tree or the user's home.
 */
import { tempHomeEnv } from './temp-home.js';

Object.assign(process.env, tempHomeEnv());
