// A worker thread of a parallel check (src/engine/parallel/workerHost.ts starts it): it registers what
// kmc's TypeScript needs in this thread, then runs the worker's side of the protocol.
import './hooks.js';

await import('../src/engine/parallel/worker.ts');
