/**
 * `npm run bench`: explores the synthetic model (src/bench/synthetic.ts) single-threaded and prints its
 * throughput and peak memory, closing with one machine-readable line:
 *
 *   bench: distinct=<n> seconds=<s> distinct_per_s=<r> peak_rss_mb=<m>
 *
 * Constant overrides may follow as `name=value` (`npm run bench -- regs=2`). Exits 1 unless the run is
 * complete with the verdict `holds`.
 */
import { explore } from '../engine/explore.js';
import { resolveModel } from '../resolve.js';
import synthetic from './synthetic.js';

function overrides(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of argv) {
    const m = /^([A-Za-z]\w*)=(.+)$/.exec(arg);
    if (!m) throw new Error(`bench: expected name=value, got "${arg}"`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

const model = resolveModel(synthetic, { constants: overrides(process.argv.slice(2)) });
const constText = Object.entries(model.constants)
  .map(([n, v]) => `${n}=${String(v)}`)
  .join(' ');
process.stdout.write(`bench: model ${model.model} (${constText}), node ${process.version}, single-threaded\n`);

const cpu0 = process.cpuUsage();
const result = explore(model);
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const { distinct, generated, depth, seconds } = result.stats;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

const lines = [
  `verdict             ${result.verdict}${result.incomplete ? ` (incomplete: ${result.incomplete})` : ''}`,
  `distinct states     ${fmt(distinct)}`,
  `generated states    ${fmt(generated)}  (${(generated / distinct).toFixed(2)} per distinct state)`,
  `depth               ${depth}`,
  `seconds             ${seconds.toFixed(2)}  (process CPU ${cpuSeconds.toFixed(2)} s, GC helper threads included)`,
  `distinct states/s   ${fmt(distinct / seconds)}`,
  `generated states/s  ${fmt(generated / seconds)}`,
  `peak RSS            ${peakRssMb.toFixed(0)} MB`,
];
for (const p of result.properties) lines.push(`property            ${p.name} [${p.kind}]: ${p.status}`);
for (const w of result.warnings) lines.push(`warning             ${w}`);
process.stdout.write(lines.join('\n') + '\n');
process.stdout.write(
  `bench: distinct=${distinct} seconds=${seconds.toFixed(3)} distinct_per_s=${Math.round(distinct / seconds)} ` +
    `peak_rss_mb=${Math.round(peakRssMb)}\n`,
);

if (result.verdict !== 'holds' || result.incomplete !== null) {
  const why = result.error ? `the spec threw: ${result.error.message}` : result.deadlock ? 'a deadlock' : result.verdict;
  process.stderr.write(`bench: the run did not complete with verdict holds (${why})\n`);
  process.exitCode = 1;
}
