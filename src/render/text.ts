/**
 * `kmc check` as plain text that pastes into an email: the verdict per property, each counterexample as
 * numbered steps showing only what changed (the initial state in full), then TLC's summary.
 */
import { megabytes } from '../engine/memoryBudget.js';
import type { CheckResult, PropertyResult, StoreReport, SymmetryReport, Trace } from '../engine/types.js';
import { flatten } from './value.js';

/** Step lines of a trace: `1. Init` with every field, then `n. label` with `path: old → new`. */
export function renderTrace(trace: Trace, indent = '  '): string[] {
  const lines: string[] = [];
  let prev: Map<string, string> | null = null;
  trace.forEach((step, i) => {
    lines.push(`${indent}${i + 1}. ${step.action}`);
    const cur = new Map(flatten(step.state));
    if (prev === null) {
      for (const [path, v] of cur) lines.push(`${indent}     ${path} = ${v}`);
    } else {
      const changed = diffLines(prev, cur);
      if (changed.length === 0) lines.push(`${indent}     (no change)`);
      for (const line of changed) lines.push(`${indent}     ${line}`);
    }
    prev = cur;
  });
  return lines;
}

/**
 * `path: old → new` for every path whose value changed, appeared or disappeared. A collection that goes
 * from empty to holding entries (or back) shows its entries' lines only, not a line for the empty form.
 */
export function diffLines(prev: ReadonlyMap<string, string>, cur: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [path, v] of cur) {
    const old = prev.get(path);
    if (old === undefined && !hasChildren(prev, path)) out.push(`${path}: (none) → ${v}`);
    else if (old !== undefined && old !== v) out.push(`${path}: ${old} → ${v}`);
  }
  for (const [path, old] of prev) if (!cur.has(path) && !hasChildren(cur, path)) out.push(`${path}: ${old} → (none)`);
  return out;
}

function hasChildren(lines: ReadonlyMap<string, string>, path: string): boolean {
  for (const key of lines.keys()) if (key.startsWith(`${path}[`) || key.startsWith(`${path}.`)) return true;
  return false;
}

export function constantsLine(r: Pick<CheckResult, 'constants'>): string {
  const parts = Object.entries(r.constants).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(' ') : 'no constants';
}

/** A cell for a property's outcome: `holds`, `violated (4 steps)`, `unreached`, `unknown`. */
export function statusText(p: PropertyResult): string {
  if (p.status === 'violated' && p.trace) return `violated (${p.trace.length - 1} steps)`;
  return p.status;
}

const KIND_TEXT = { invariant: 'invariant', action: 'action property', reachable: 'reachability property' } as const;

export interface TextOptions {
  readonly coverage?: boolean;
}

/** The whole report of one check. */
export function renderCheck(r: CheckResult, opts: TextOptions = {}): string {
  const lines: string[] = [`kmc check ${r.model} --proposal ${r.proposal}  (${constantsLine(r)})`, ''];
  const width = Math.max(8, ...r.properties.map((p) => p.name.length)) + 2;
  for (const p of r.properties) lines.push(`  ${p.name.padEnd(width)}${KIND_TEXT[p.kind].padEnd(23)}${statusText(p)}`);
  if (r.properties.length === 0) lines.push('  (no properties)');
  const dl = r.deadlock ? `found (${r.deadlock.trace.length - 1} steps)` : r.verdict === 'holds' ? 'none' : 'none found';
  lines.push(`  ${'deadlock'.padEnd(width)}${''.padEnd(23)}${dl}`);
  for (const p of r.properties) {
    if (p.status !== 'violated' || !p.trace) continue;
    lines.push('', `${capital(KIND_TEXT[p.kind])} ${p.name} is violated: ${p.claim}`, ...renderTrace(p.trace));
  }
  if (r.deadlock) lines.push('', 'Deadlock: a reachable state has no enabled action and is not terminal.', ...renderTrace(r.deadlock.trace));
  if (r.error) {
    lines.push('', `Spec error at ${r.error.action}: ${r.error.message}`);
    if (r.error.trace.length) lines.push('  The state where it threw is the last one of:', ...renderTrace(r.error.trace));
  }
  for (const p of r.properties) {
    if (p.status === 'unreached') lines.push('', `Reachability property ${p.name} was never reached: ${p.claim}`);
  }
  if (r.incomplete === 'memory') lines.push('', `Incomplete: ${memoryText(r.store)} Properties not violated are unknown.`);
  else if (r.incomplete) lines.push('', `Incomplete: the ${r.incomplete} limit stopped the search; properties not violated are unknown.`);
  if (opts.coverage) lines.push('', ...renderCoverage(r));
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  lines.push('', `Verdict: ${r.verdict}`);
  if (r.store) lines.push(storeLine(r.store));
  if (r.symmetry) lines.push(symmetryLine(r.symmetry));
  lines.push(summaryLine(r));
  return lines.join('\n') + '\n';
}

/**
 * Which seen-state store ran and what it held at the end; for fingerprints also the frontier's peak and
 * TLC's optimistic estimate of the probability that two distinct states were merged.
 */
export function storeLine(s: StoreReport): string {
  const base = `Store: ${s.kind}, ${megabytes(s.bytes)}`;
  if (s.collisionProbability === null) return base;
  return (
    `${base}, frontier peak ${megabytes(s.frontierPeakBytes)}; ` +
    `fingerprint collision probability ${s.collisionProbability.toExponential(1)} (optimistic estimate n·(g−n)/2^64)`
  );
}

/**
 * The symmetry reduction the run used: `Symmetry: CPUs ×3 (6 permutations)`, each set with its size, so
 * a reader knows the distinct count is of orbits, not of states.
 */
export function symmetryLine(s: SymmetryReport): string {
  const sets = s.sets.map((x) => `${x.name} ×${x.size}`).join(', ');
  const perms = s.permutations === 1 ? '1 permutation: nothing to reduce at these constants' : `${s.permutations} permutations`;
  return `Symmetry: ${sets} (${perms})`;
}

/** Why the memory limit stopped the run, and what to do about it, as one sentence. */
function memoryText(s: StoreReport | undefined): string {
  if (!s?.full) return 'the memory limit stopped the search.';
  const fingerprints = s.kind === 'exact' ? ', or use --store fingerprint (about 20 bytes a state)' : '';
  switch (s.full.cause) {
    case 'budget':
      return `the memory budget is reached: ${s.full.message}; raise it with --memory <MB>${fingerprints}.`;
    case 'allocation':
      return `the machine is out of memory before the budget: ${s.full.message}; free memory or lower --memory${fingerprints}.`;
    case 'capacity':
      return `${s.full.message}${s.kind === 'exact' ? '; use --store fingerprint' : ''}.`;
  }
}

function renderCoverage(r: CheckResult): string[] {
  const width = Math.max(6, ...r.coverage.map((c) => c.action.length)) + 2;
  const lines = [`Coverage:`, `  ${'action'.padEnd(width)}${'enabled'.padStart(12)}${'new states'.padStart(12)}`];
  for (const c of r.coverage) lines.push(`  ${c.action.padEnd(width)}${String(c.enabled).padStart(12)}${String(c.fresh).padStart(12)}`);
  return lines;
}

/** TLC's closing line: generated, distinct, left in queue, depth, time and rate, and the workers if several. */
export function summaryLine(r: Pick<CheckResult, 'stats'>): string {
  const { generated, distinct, queued, depth, seconds, workers = 1 } = r.stats;
  const rate = seconds > 0 ? Math.round(distinct / seconds) : distinct;
  return (
    `${generated} states generated, ${distinct} distinct states, ${queued} left in queue, depth ${depth}, ` +
    `${seconds.toFixed(2)} s (${rate} distinct states/s${workers > 1 ? ` on ${workers} workers` : ''})`
  );
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
