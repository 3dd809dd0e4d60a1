/**
 * The command line's pieces in process: option parsing, the verdict-to-exit-code map and the progress
 * line on stderr.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exitCode.js';
import { defaultMemoryMb, MAX_DEFAULT_MB, MB } from '../../src/cli/memory.js';
import { checkOptionsOf, megabytes, parseAssignments, positiveInt, positiveSeconds, storeKind } from '../../src/cli/options.js';
import { Progress } from '../../src/cli/progress.js';
import { UsageError } from '../../src/errors.js';

describe('parseAssignments', () => {
  it('reads repeated and comma-separated name=value pairs, the last one winning', () => {
    expect(parseAssignments(['nCpus=2', 'keys=1,granularity=nmi', ' nCpus = 3 '])).toEqual({ nCpus: '3', keys: '1', granularity: 'nmi' });
    expect(parseAssignments([])).toEqual({});
  });

  it.each(['nCpus', 'nCpus=', '=2', '2x=1', 'a=1 b=2'])('refuses %j with a usage error naming it', (item) => {
    expect(() => parseAssignments([item])).toThrow(UsageError);
    expect(() => parseAssignments([item])).toThrow(/^malformed --const "/);
  });
});

describe('limit options', () => {
  it('accepts positive integers and positive seconds only', () => {
    expect(positiveInt('12')).toBe(12);
    expect(positiveSeconds('0.5')).toBe(0.5);
    expect(positiveSeconds('3')).toBe(3);
    for (const bad of ['0', '-1', '1.5', 'x', '', '1e3']) expect(() => positiveInt(bad)).toThrow('must be a positive integer');
    for (const bad of ['0', '0.0', '-1', 'x', '']) expect(() => positiveSeconds(bad)).toThrow('must be a positive number of seconds');
  });

  it('turns the flags into engine options, with the exact store, symmetry and the default budget unless told', () => {
    const flags = { const: [], property: [], deadlock: false, continue: true, maxStates: 7, timeout: 1.5, store: 'fingerprint' as const, memory: 3, symmetry: false };
    expect(checkOptionsOf(flags)).toEqual({
      deadlock: false,
      continueAfterViolation: true,
      store: 'fingerprint',
      symmetry: false,
      limits: { maxStates: 7, timeoutSeconds: 1.5, memoryBytes: 3 * 2 ** 20 },
    });
    expect(checkOptionsOf({ const: [], property: [], deadlock: true })).toEqual({
      deadlock: true,
      continueAfterViolation: false,
      store: 'exact',
      symmetry: true,
      limits: { memoryBytes: defaultMemoryMb() * 2 ** 20 },
    });
  });
});

describe('store and memory options', () => {
  it('accepts the two stores and positive whole megabytes only', () => {
    expect(storeKind('exact')).toBe('exact');
    expect(storeKind('fingerprint')).toBe('fingerprint');
    for (const bad of ['', 'Exact', 'fp', 'foo']) expect(() => storeKind(bad)).toThrow('must be exact or fingerprint');
    expect(megabytes('1')).toBe(1);
    expect(megabytes('4096')).toBe(4096);
    for (const bad of ['0', '-1', '1.5', '1e3', 'x', '']) expect(() => megabytes(bad)).toThrow('must be a positive whole number of megabytes');
  });

  it('defaults the budget to a quarter of the machine, or of a lower container limit, at most 16 GiB', () => {
    expect(MB).toBe(2 ** 20);
    expect(defaultMemoryMb(8 * 2 ** 30, 0)).toBe(2048);
    expect(defaultMemoryMb(8 * 2 ** 30, 2 ** 64)).toBe(2048);
    expect(defaultMemoryMb(8 * 2 ** 30, 2 * 2 ** 30)).toBe(512);
    expect(defaultMemoryMb(256 * 2 ** 30, 0)).toBe(MAX_DEFAULT_MB);
    expect(defaultMemoryMb(2 ** 20, 0)).toBe(1);
  });
});

describe('exitCodeOf', () => {
  it('maps holds, violated, incomplete and error to 0, 1, 3 and 4', () => {
    expect((['holds', 'violated', 'incomplete', 'error'] as const).map(exitCodeOf)).toEqual([0, 1, 3, 4]);
  });
});

describe('Progress', () => {
  const stats = (seconds: number) => ({ generated: 20, distinct: 10, queued: 4, depth: 3, seconds });
  const sink = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, isTTY, write: (t: string) => void written.push(t) };
  };

  it('prints nothing for a run under a second', () => {
    const out = sink(true);
    const p = new Progress(out);
    p.update(stats(0.5));
    p.done();
    expect(out.written).toEqual([]);
  });

  it('redraws one line in place on a terminal and clears it when done', () => {
    const out = sink(true);
    const p = new Progress(out);
    p.update(stats(1));
    p.update(stats(1.1));
    p.update(stats(2));
    p.done();
    expect(out.written).toEqual([
      '\rkmc: 20 generated, 10 distinct, 4 queued, depth 3, 10 distinct/s\x1b[K',
      '\rkmc: 20 generated, 10 distinct, 4 queued, depth 3, 5 distinct/s\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('writes a plain line every five seconds to a file or pipe', () => {
    const out = sink(false);
    const p = new Progress(out);
    for (const t of [1, 2, 5.9, 6, 11.5]) p.update(stats(t));
    p.done();
    expect(out.written).toEqual([
      'kmc: 20 generated, 10 distinct, 4 queued, depth 3, 2 distinct/s\n',
      'kmc: 20 generated, 10 distinct, 4 queued, depth 3, 1 distinct/s\n',
    ]);
  });
});
