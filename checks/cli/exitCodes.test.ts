/**
 * `kmc check`'s exit codes, one invocation per documented case: 0 holds, 1 violated or deadlock,
 * 2 usage error (one line on stderr, no stack), 3 a limit stopped the run, 4 the spec is at fault.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture, hasStack, kmcAll, lines, type Run, SPAWN_TIMEOUT } from './kmc.js';

interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly code: number;
  /** For exit 2 and spec errors raised before the check: the one stderr line. */
  readonly error?: RegExp;
  /** Text that stdout must contain. */
  readonly out?: string;
}

const mutex = fixture('mutex');
const counter = fixture('counter');
/** The bench's model, 2.36 million states: any small budget stops it. */
const SYNTHETIC = 'src/bench/synthetic.ts';

/**
 * Exit 0, 1 and 4 for a check's own verdicts are also asserted by output.test.ts, on the runs that
 * check the report's format; here are the other paths to each code.
 */
const cases: readonly Case[] = [
  { name: 'a deadlock with --no-deadlock', args: [fixture('locks'), '--no-deadlock'], code: 0, out: 'Verdict: holds' },
  { name: 'an unreached reachability property', args: [counter, '-p', 'vacuous'], code: 1, out: 'beyond-max was never reached' },
  { name: 'an unknown model', args: ['no-such-model'], code: 2, error: /^kmc: error: unknown model "no-such-model"/ },
  {
    name: 'an unknown proposal',
    args: [mutex, '-p', 'nope'],
    code: 2,
    error: /^kmc: error: unknown proposal "nope" for model mutex; known: racy, test-and-set$/,
  },
  { name: 'an unknown preset', args: [mutex, '--preset', 'nope'], code: 2, error: /^kmc: error: unknown preset "nope" for model mutex; known: crowd$/ },
  { name: 'a preset', args: [mutex, '-p', 'test-and-set', '--preset', 'crowd'], code: 0, out: 'procs=4' },
  { name: 'a preset under a --const', args: [mutex, '-p', 'test-and-set', '--preset', 'crowd', '-c', 'procs=3'], code: 0, out: 'procs=3' },
  { name: 'an unknown property', args: [mutex, '--property', 'nope'], code: 2, error: /^kmc: error: unknown property "nope" for model mutex/ },
  { name: 'an unknown constant', args: [mutex, '--const', 'nope=1'], code: 2, error: /^kmc: error: unknown constant "nope" for model mutex; known: procs$/ },
  { name: 'a constant out of range', args: [mutex, '-c', 'procs=9'], code: 2, error: /^kmc: error: constant procs must be an integer in 1\.\.4, got "9"$/ },
  { name: 'a malformed --const', args: [mutex, '--const', 'procs'], code: 2, error: /^kmc: error: malformed --const "procs"/ },
  { name: 'a file that does not exist', args: [fixture('no-such-file')], code: 2, error: /^kmc: error: no such file: checks\/fixtures\/cli\/no-such-file\.ts$/ },
  { name: 'a file exporting no model', args: [fixture('not-a-model')], code: 2, error: /^kmc: error: .*not-a-model\.ts exports no kmc model or proposal/ },
  { name: 'an unknown option', args: [mutex, '--bogus'], code: 2, error: /^kmc: error: unknown option '--bogus'$/ },
  { name: 'a misspelt option', args: [mutex, '--jsn'], code: 2, error: /^kmc: error: unknown option '--jsn'/ },
  { name: 'the max-states limit', args: [counter, '--max-states', '3'], code: 3, out: 'Incomplete: the max-states limit stopped the search' },
  { name: 'an unknown store', args: [mutex, '--store', 'foo'], code: 2, error: /^kmc: error: option '--store <kind>' argument 'foo' is invalid\. must be exact or fingerprint$/ },
  { name: 'a zero memory budget', args: [mutex, '--memory', '0'], code: 2, error: /^kmc: error: option '--memory <MB>' argument '0' is invalid\. must be a positive whole number of megabytes$/ },
  { name: 'a fractional memory budget', args: [mutex, '--memory', '1.5'], code: 2, error: /^kmc: error: option '--memory <MB>' argument '1\.5' is invalid/ },
  {
    name: 'the memory budget, exact store',
    args: [SYNTHETIC, '--memory', '1'],
    code: 3,
    out: 'raise it with --memory <MB>, or use --store fingerprint (about 20 bytes a state). Properties not violated are unknown.',
  },
  {
    name: 'the memory budget, fingerprint store',
    args: [SYNTHETIC, '--memory', '1', '--store', 'fingerprint'],
    code: 3,
    out: 'is held by the fingerprint store and its frontier, and its next growth needs ',
  },
  {
    name: 'the max-depth limit, with a timeout not reached',
    args: [counter, '--max-depth', '2', '--timeout', '600'],
    code: 3,
    out: 'Incomplete: the max-depth limit stopped the search',
  },
  {
    name: 'a model whose build throws',
    args: [fixture('build-throws')],
    code: 4,
    error: /^kmc: spec error: model build-throws threw while being built: this model cannot be built$/,
  },
];

describe('kmc check: exit codes', () => {
  let runs: Run[] = [];
  beforeAll(async () => {
    runs = await kmcAll(cases.map((c) => ['check', ...c.args, '--quiet']));
  }, SPAWN_TIMEOUT);

  it.each(cases.map((c, i) => [c.code, c.name, i] as const))('exits %i for %s', (code, _name, i) => {
    const c = cases[i]!;
    const r = runs[i]!;
    expect(r.code, `stderr: ${r.stderr}`).toBe(code);
    expect(hasStack(r.stderr) || hasStack(r.stdout)).toBe(false);
    if (c.error) {
      // A usage or spec error is one line on stderr, and nothing on stdout.
      expect(lines(r.stderr)).toHaveLength(1);
      expect(lines(r.stderr)[0]).toMatch(c.error);
      expect(r.stdout).toBe('');
    } else {
      // The report is on stdout, and with --quiet nothing is on stderr.
      expect(r.stderr).toBe('');
    }
    if (c.out) expect(r.stdout).toContain(c.out);
  });
});
