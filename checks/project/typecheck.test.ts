/**
 * The whole project type-checks (tsconfig.json: strict, no unused locals or parameters): vitest and tsx
 * strip types without checking them, so without this a type error in the engine, a spec or a test would
 * pass `npm test` unnoticed.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

it('type-checks with tsc --noEmit', async () => {
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(process.execPath, [TSC, '--noEmit', '-p', ROOT], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : null, output: stdout + stderr });
    });
  });
  expect(output).toBe('');
  expect(code).toBe(0);
});
