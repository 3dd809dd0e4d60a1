#!/usr/bin/env node
// `npm run bench:pairs`: runs src/bench/pairs.ts directly through tsx (as bin/bench.js runs the bench).
import { register } from 'tsx/esm/api';

register();
await import('../src/bench/pairs.ts');
