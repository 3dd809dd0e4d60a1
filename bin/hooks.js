// What a thread needs before it imports kmc's TypeScript: tsx, and the resolution that lets a reviewer's
// file outside this project import `kmc` and `immutable` from here. Each thread registers its own (the
// kmc command, and each worker of a parallel check): worker threads do not inherit module hooks.
import Module, { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
registerHooks('./resolveHook.js', import.meta.url);
const root = fileURLToPath(new URL('../', import.meta.url));
const kmcIndex = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'kmc') return resolveFilename.call(this, kmcIndex, parent, ...rest);
  try {
    return resolveFilename.call(this, request, parent, ...rest);
  } catch (e) {
    if (request !== 'immutable') throw e;
    return resolveFilename.call(this, request, { ...parent, paths: Module._nodeModulePaths(root) }, ...rest);
  }
};
