/**
 * `npm run bench:pairs`: the parallel speed-up, measured the way BENCHMARKS.md reports it. It runs pairs
 * of benches, each in a fresh process as `npm run bench` runs one: first in one thread, then with
 * `--workers` workers (default 2). Runs alternate, so that the machine's drift (on the project's VM,
 * ±15% within minutes) falls on both alike. It prints each pair as it ends, then the median speed-up:
 *
 *   npm run bench:pairs -- [--pairs <n>] [--workers <n>] [bench arguments]
 *
 * closing with one machine-readable line:
 *
 *   bench:pairs: pairs=<n> workers=<w> median=<x> min=<x> max=<x>
 *
 * Every other argument goes to both benches (constants, `--store`, `--model`, `--prefix-states`, ...).
 * A bench that fails, or two runs of a pair that count different states, ends it with one line and exit
 * code 1; a wrong argument of its own, with exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCH = fileURLToPath(new URL('../../bin/bench.js', import.meta.url));
/** As `npm run bench` runs it (package.json). */
const NODE_ARGS = ['--max-old-space-size=512'];

interface PairsArgs {
  readonly pairs: number;
  readonly workers: number;
  readonly bench: readonly string[];
}

/** One bench's machine-readable line. */
interface BenchLine {
  readonly distinct: number;
  readonly seconds: number;
  /** Workers that explored: 1 when the run ended in the sequential prefix. */
  readonly workers: number;
}

function parseArgs(argv: readonly string[]): PairsArgs {
  let pairs = 5;
  let workers = 2;
  const bench: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const opt = /^--(pairs|workers)(?:=(.*))?$/.exec(argv[i]!);
    if (!opt) {
      bench.push(argv[i]!);
      continue;
    }
    const value = opt[2] ?? argv[++i] ?? '';
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (opt[1] === 'pairs') {
      if (!(n >= 1)) usage(`--pairs expects a positive integer, got "${value}"`);
      pairs = n;
    } else {
      if (!(n >= 2)) usage(`--workers expects an integer of at least 2 (the other run of a pair has one thread), got "${value}"`);
      workers = n;
    }
  }
  return { pairs, workers, bench };
}

function usage(message: string): never {
  process.stderr.write(`bench:pairs: ${message}\n`);
  process.exit(2);
}

function fail(message: string): never {
  process.stderr.write(`bench:pairs: ${message}\n`);
  process.exit(1);
}

/** Runs one bench with `workers` workers; its line, or the end of the run with what went wrong. */
function runBench(workers: number, bench: readonly string[]): BenchLine {
  const what = workers === 1 ? 'the one-thread bench' : `the ${workers}-worker bench`;
  const r = spawnSync(process.execPath, [...NODE_ARGS, BENCH, ...bench, '--workers', String(workers)], { encoding: 'utf8' });
  const line = /^bench: distinct=(\d+) seconds=([\d.]+) .*workers=(\d+)$/m.exec(r.stdout ?? '');
  if (r.status !== 0 || line === null) {
    const said = (r.stderr ?? '').trim().split('\n').at(-1) || (r.error?.message ?? `signal ${r.signal}`);
    fail(`${what} failed (exit ${r.status ?? 'none'}): ${said}`);
  }
  return { distinct: Number(line[1]), seconds: Number(line[2]), workers: Number(line[3]) };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const args = parseArgs(process.argv.slice(2));
process.stdout.write(`bench:pairs: ${args.pairs} pair${args.pairs > 1 ? 's' : ''} of one thread, then ${args.workers} workers\n`);
process.stdout.write(`pair  one thread  ${`${args.workers} workers`.padEnd(10)}  speed-up\n`);
const ratios: number[] = [];
for (let p = 1; p <= args.pairs; p++) {
  const one = runBench(1, args.bench);
  const many = runBench(args.workers, args.bench);
  if (one.distinct !== many.distinct) {
    fail(`pair ${p}: one thread counted ${one.distinct} distinct states and ${args.workers} workers ${many.distinct}`);
  }
  const ratio = one.seconds / many.seconds;
  ratios.push(ratio);
  const note = many.workers === 1 ? '  (the run ended in the sequential prefix: no worker started)' : '';
  process.stdout.write(
    `${String(p).padEnd(4)}  ${`${one.seconds.toFixed(2)} s`.padEnd(10)}  ${`${many.seconds.toFixed(2)} s`.padEnd(10)}  ${ratio.toFixed(2)}x${note}\n`,
  );
}
const m = median(ratios);
process.stdout.write(`median speed-up ${m.toFixed(2)}x (from ${Math.min(...ratios).toFixed(2)}x to ${Math.max(...ratios).toFixed(2)}x)\n`);
process.stdout.write(
  `bench:pairs: pairs=${args.pairs} workers=${args.workers} median=${m.toFixed(3)} min=${Math.min(...ratios).toFixed(3)} max=${Math.max(...ratios).toFixed(3)}\n`,
);
