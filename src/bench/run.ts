/**
 * `npm run bench`: explores the synthetic model (src/bench/synthetic.ts) and prints its throughput and
 * peak memory, closing with one machine-readable line:
 *
 *   bench: distinct=<n> seconds=<s> distinct_per_s=<r> peak_rss_mb=<m> store=<kind> bytes_per_state=<b> workers=<w>
 *
 * where bytes_per_state is what the seen-state store holds at the end (table and per-state arrays, and
 * for the exact store the states' bytes) divided by the distinct states; the fingerprint store's frontier
 * is reported apart. Constant overrides may follow as `name=value` (`npm run bench -- regs=2`), and
 * `--store exact|fingerprint` (default exact), `--memory <MB>` (default as for `kmc check`) and
 * `--workers <n>` (default 1, this thread; `kmc check` defaults to one per core) and `--prefix-states <n>`
 * (default as for `kmc check`: the workers start once 65536 states are explored), and `--route <n>` (route
 * states to their owners by their first n bytes, 0 for all of them, instead of by the lead the hand-over
 * picks: src/engine/parallel/route.ts). Peak RSS is the whole process's, worker threads included.
 *
 * `--model <name> [--proposal <id>] [--preset <name>]` benchmarks a built-in kernel model instead, e.g.
 * the largest documented configuration (BENCHMARKS.md); it explores everything, as `--continue` does, so
 * that a violated property does not cut the run short. Exits 1 unless the run is complete, and for the
 * synthetic model, unless its verdict is `holds`.
 */
import { defaultMemoryMb, MB } from '../cli/memory.js';
import { fileURLToPath } from 'node:url';
import { exploreParallel } from '../engine/parallel/exploreParallel.js';
import type { StoreKind } from '../engine/types.js';
import { resolveModel } from '../resolve.js';
import { models } from '../../spec/index.js';
import synthetic from './synthetic.js';

interface BenchArgs {
  /** A built-in kernel model, or undefined for the synthetic model. */
  readonly model?: string;
  readonly proposal?: string;
  readonly preset?: string;
  readonly constants: Record<string, string>;
  readonly store: StoreKind;
  readonly memoryMb: number;
  readonly workers: number;
  readonly prefixStates?: number;
  readonly route?: number;
}

function parseArgs(argv: readonly string[]): BenchArgs {
  const constants: Record<string, string> = {};
  let store: StoreKind = 'exact';
  let memoryMb = defaultMemoryMb();
  const named: { model?: string; proposal?: string; preset?: string } = {};
  // One thread unless asked: the core issue's targets (rate, and peak memory for 2 million states) are
  // single-threaded; `--workers 2` measures the parallel speed-up against them.
  let workers = 1;
  let prefixStates: number | undefined;
  let route: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const opt = /^--(store|memory|model|proposal|preset|workers|prefix-states|route)(?:=(.+))?$/.exec(arg);
    if (opt) {
      const value = opt[2] ?? argv[++i] ?? '';
      if (opt[1] === 'model' || opt[1] === 'proposal' || opt[1] === 'preset') {
        if (value === '') usage(`--${opt[1]} expects a name`);
        named[opt[1]] = value;
      } else if (opt[1] === 'prefix-states') {
        prefixStates = /^\d+$/.test(value) ? Number(value) : NaN;
        if (Number.isNaN(prefixStates)) usage(`--prefix-states expects a non-negative integer, got "${value}"`);
      } else if (opt[1] === 'route') {
        route = /^\d+$/.test(value) ? Number(value) : NaN;
        if (Number.isNaN(route)) usage(`--route expects a number of leading bytes (0: the whole state), got "${value}"`);
      } else if (opt[1] === 'workers') {
        workers = /^\d+$/.test(value) && Number(value) >= 1 ? Number(value) : NaN;
        if (Number.isNaN(workers)) usage(`--workers expects a positive integer, got "${value}"`);
      } else if (opt[1] === 'memory') {
        memoryMb = /^\d+$/.test(value) && Number(value) >= 1 ? Number(value) : NaN;
        if (Number.isNaN(memoryMb)) usage(`--memory expects a positive whole number of MB, got "${value}"`);
      } else if (value === 'exact' || value === 'fingerprint') store = value;
      else usage(`--store expects exact or fingerprint, got "${value}"`);
      continue;
    }
    const m = /^([A-Za-z]\w*)=(.+)$/.exec(arg);
    if (!m) usage(`expected name=value, --model, --proposal, --preset, --store, --memory, --workers, --prefix-states or --route, got "${arg}"`);
    constants[m[1]!] = m[2]!;
  }
  if (named.model === undefined && (named.proposal !== undefined || named.preset !== undefined)) {
    usage('--proposal and --preset need --model (a built-in kernel model)');
  }
  return { ...named, constants, store, memoryMb, workers, ...(prefixStates !== undefined ? { prefixStates } : {}), ...(route !== undefined ? { route } : {}) };
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const model = resolveBench(args);
function resolveBench(a: BenchArgs) {
  const spec = a.model === undefined ? synthetic : models.find((m) => m.name === a.model);
  if (spec === undefined) usage(`unknown model "${a.model}"; built-in models: ${models.map((m) => m.name).join(', ')}`);
  try {
    return resolveModel(spec, {
      constants: a.constants,
      ...(a.proposal !== undefined ? { proposal: a.proposal } : {}),
      ...(a.preset !== undefined ? { preset: a.preset } : {}),
    });
  } catch (e) {
    return usage(e instanceof Error ? e.message : String(e));
  }
}

const constText = Object.entries(model.constants)
  .map(([n, v]) => `${n}=${String(v)}`)
  .join(' ');
process.stdout.write(
  `bench: model ${model.model}${args.model === undefined ? '' : `/${model.proposal}`} (${constText}), node ${process.version}, ` +
    `${args.workers} worker${args.workers > 1 ? 's' : ''}, ` +
    `${args.store} store, memory budget ${args.memoryMb} MB\n`,
);

const cpu0 = process.cpuUsage();
// Workers load the model themselves: the synthetic one from its file, a kernel model by name.
const source = {
  arg: args.model ?? fileURLToPath(new URL('./synthetic.ts', import.meta.url)),
  constants: args.constants,
  ...(args.proposal !== undefined ? { proposal: args.proposal } : {}),
  ...(args.preset !== undefined ? { preset: args.preset } : {}),
};
const options = { store: args.store, continueAfterViolation: args.model !== undefined, limits: { memoryBytes: args.memoryMb * MB } };
const parallel = {
  workers: args.workers,
  ...(args.prefixStates !== undefined ? { prefixStates: args.prefixStates } : {}),
  ...(args.route !== undefined ? { route: args.route } : {}),
};
const result = await exploreParallel(model, source, options, parallel);
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const { distinct, generated, depth, seconds } = result.stats;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const store = result.store!;
const perState = (bytes: number) => (distinct > 0 ? bytes / distinct : 0).toFixed(2);
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const storeParts = [
  `table ${mb(store.parts.table)} (${perState(store.parts.table)} B)`,
  `per-state arrays ${mb(store.parts.perState)} (${perState(store.parts.perState)} B)`,
  ...(store.kind === 'exact' ? [`state bytes ${mb(store.parts.states)} (${perState(store.parts.states)} B)`] : []),
];

const lines = [
  `verdict             ${result.verdict}${result.incomplete ? ` (incomplete: ${result.incomplete})` : ''}`,
  `distinct states     ${fmt(distinct)}`,
  `generated states    ${fmt(generated)}  (${(generated / distinct).toFixed(2)} per distinct state)`,
  `depth               ${depth}`,
  `seconds             ${seconds.toFixed(2)}  (process CPU ${cpuSeconds.toFixed(2)} s, worker and GC helper threads included)`,
  `workers             ${result.stats.workers ?? 1} exploring${args.workers > 1 && result.stats.workers === 1 ? ' (the run ended in the sequential prefix)' : ''}` +
    (result.stats.taken !== undefined ? ` (${fmt(result.stats.taken)} states taken from another partition's share of a level)` : '') +
    (result.stats.route !== undefined ? `, states routed by ${result.stats.route === 0 ? 'all their bytes' : `their first ${result.stats.route} bytes`}` : ''),
  `distinct states/s   ${fmt(distinct / seconds)}`,
  `generated states/s  ${fmt(generated / seconds)}`,
  `peak RSS            ${peakRssMb.toFixed(0)} MB`,
  `store               ${store.kind}: ${mb(store.bytes)}, ${perState(store.bytes)} bytes/state = ${storeParts.join(' + ')}`,
  ...(store.kind === 'fingerprint'
    ? [
        `frontier peak       ${mb(store.frontierPeakBytes)} (${perState(store.frontierPeakBytes)} bytes per distinct state)`,
        `collision estimate  ${store.collisionProbability!.toExponential(2)} (TLC's optimistic n·(g−n)/2^64)`,
      ]
    : []),
];
for (const p of result.properties) lines.push(`property            ${p.name} [${p.kind}]: ${p.status}`);
for (const w of result.warnings) lines.push(`warning             ${w}`);
process.stdout.write(lines.join('\n') + '\n');
process.stdout.write(
  `bench: distinct=${distinct} seconds=${seconds.toFixed(3)} distinct_per_s=${Math.round(distinct / seconds)} ` +
    `peak_rss_mb=${Math.round(peakRssMb)} store=${store.kind} bytes_per_state=${perState(store.bytes)} ` +
    `workers=${result.stats.workers ?? 1}\n`,
);

const complete = result.incomplete === null && result.error === null;
if (!complete || (args.model === undefined && result.verdict !== 'holds')) {
  const why = result.error ? `the spec threw: ${result.error.message}` : result.deadlock ? 'a deadlock' : result.verdict;
  process.stderr.write(`bench: the run did not complete with verdict holds (${why})\n`);
  process.exitCode = 1;
}
