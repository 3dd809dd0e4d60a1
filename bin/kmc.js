#!/usr/bin/env node
// The kmc command. It runs the TypeScript sources directly (through tsx), so neither kmc nor a reviewer's
// own model or proposal file needs a build step.
import './hooks.js';

await import('../src/cli/main.ts');
