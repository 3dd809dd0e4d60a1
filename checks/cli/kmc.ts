/**
 * Running the real `kmc` command (`node bin/kmc.js`) from the tests. Spawns cost about half a second
 * each, so a test file starts all its invocations at once and then asserts on the results.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/kmc.js', import.meta.url));
/** A fixture file as `kmc check` is given it, relative to the project root. */
export const fixture = (name: string) => `checks/fixtures/cli/${name}.ts`;

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `kmc …args` in `cwd` (the project root by default) without colour, killing it after `timeout`
 * milliseconds (the exit code is then null); never rejects.
 */
export function kmc(args: readonly string[], cwd = ROOT, timeout = 60_000): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  delete env.NODE_OPTIONS;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs every invocation at once; the results come back in the same order. */
export function kmcAll(invocations: readonly (readonly string[])[], cwd = ROOT): Promise<Run[]> {
  return Promise.all(invocations.map((args) => kmc(args, cwd)));
}

/** The lines of a stream, without the final newline. */
export function lines(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

/** Whether any line of `text` is a stack frame. */
export function hasStack(text: string): boolean {
  return lines(text).some((l) => l.startsWith('    at '));
}

/** The spawns of one file may queue behind other test files' work: allow for it in hooks. */
export const SPAWN_TIMEOUT = 120_000;

/**
 * A proposal file as a reviewer writes it, outside the project: it imports `kmc` and `immutable` (which
 * it did not install) and the mutex fixture by absolute path, and makes the racy check atomic.
 */
export function reviewerFile(id: string): string {
  return `import { List } from 'immutable';
import { defineProposal, forState } from 'kmc';
import mutex from ${JSON.stringify(join(ROOT, fixture('mutex')))};

const { action } = forState<any>();

export default defineProposal(mutex, {
  id: ${JSON.stringify(id)},
  summary: 'test and set in one atomic step',
  source: 'my reply on the thread',
  replace: [
    action({
      name: 'check',
      params: (s: any) => s.pcs.keys(),
      guard: (s: any, i: number) => s.pcs.get(i) === 'idle' && s.flag === 0,
      effect: (s: any, i: number) => s.merge({ flag: 1, pcs: List(s.pcs).set(i, 'set') }),
    }),
  ],
});
`;
}
