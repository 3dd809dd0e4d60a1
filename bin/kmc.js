#!/usr/bin/env node
// The kmc command. It runs the TypeScript sources directly (through tsx), so neither kmc nor a reviewer's
// own model or proposal file needs a build step.
import Module, { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
// A reviewer's file may live outside this project: let it import `kmc` and `immutable` from here.
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
await import('../src/cli/main.ts');
