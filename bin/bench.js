#!/usr/bin/env node
// `npm run bench`: runs the TypeScript benchmark (src/bench/run.ts) directly through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/bench/run.ts');
