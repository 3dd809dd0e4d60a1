/**
 * The check of a symmetry declaration. Symmetry reduction is exact only if renumbering the declared ids
 * changes nothing that matters: a renumbered state's successors are the renumbered successors (action by
 * action), and every property, the constraint and the terminal predicate give it the same verdict. A
 * declaration that gets this wrong (a `permute` that misses a field, a design that treats CPU 0
 * specially) would silently merge states that behave differently, so the explorer runs this check on
 * the states it expands among the first `CHECKED_STATES` of the run (by id, in both explorers, so that
 * the parallel one checks exactly the same states), for each generator of each set (a swap and a rotation generate every
 * renumbering), and stops the run with a `SpecError` naming the set and what is not symmetric.
 *
 * It samples, it does not prove: a model symmetric on its first few thousand states and not beyond
 * would pass. Traces found under symmetry are replayed on concrete states as well (result.ts), which
 * catches an asymmetry on the path to a finding.
 */
import { messageOf, SpecError } from '../errors.js';
import type { StepInfo } from '../model.js';
import type { ResolvedModel } from '../resolve.js';
import { Codec } from './codec.js';
import { latin1 } from './codecFormat.js';
import { generators, identity, inverse } from './permutations.js';
import { successors } from './successors.js';
import type { BoundSet, BoundSymmetry } from './symmetry.js';

/** The states with ids below this are checked when expanded: enough to meet most of a model's behaviour early. */
export const CHECKED_STATES = 2000;

/** The state-level verdicts of one state: each invariant, reachability property, constraint, terminal. */
type Verdicts = readonly boolean[];

/** A state-level predicate of the model, and how messages name it. */
interface Predicate {
  readonly what: string;
  readonly judge: (s: unknown) => boolean;
}

/** One transition: its action, the next state, and the action properties' verdicts on it (`'10'`). */
interface Judged {
  readonly action: number;
  readonly next: unknown;
  readonly verdicts: string;
}

/** Transitions keyed by action index and next state's bytes, each with the verdict strings seen. */
type Transitions = Map<string, Set<string>>;

export class SymmetryCheck {
  private readonly codec = new Codec();
  private readonly sets: readonly BoundSet[];
  private readonly predicates: readonly Predicate[];

  constructor(
    private readonly model: ResolvedModel,
    sym: BoundSymmetry,
  ) {
    this.sets = sym.sets.filter((set) => set.size >= 2);
    this.predicates = predicatesOf(model);
  }

  /** Checks `s`, a state the explorer expands, if its id `id` is among the first `CHECKED_STATES`. */
  check(id: number, s: unknown): void {
    if (id >= CHECKED_STATES || this.sets.length === 0) return;
    const bytes = this.bytes(s);
    const verdicts = this.verdicts(s, null);
    const steps = this.judged(s, null);
    for (const set of this.sets) {
      if (this.bytes(set.permute(s, identity(set.size))) !== bytes) {
        throw this.fail(set, 'its permute changes a state when given the identity permutation (every id to itself)');
      }
      for (const g of generators(set.size)) {
        const t = set.permute(s, g);
        if (this.bytes(set.permute(t, inverse(g))) !== bytes) {
          throw this.fail(set, 'renumbering a state and then renumbering it back does not give the state again: permute must only renumber');
        }
        this.compareVerdicts(set, verdicts, this.verdicts(t, set));
        const renumberedSteps = this.keyed(steps.map((x) => ({ ...x, next: set.permute(x.next, g) })));
        this.compareTransitions(set, renumberedSteps, this.keyed(this.judged(t, set)));
      }
    }
  }

  private bytes(s: unknown): string {
    const n = this.codec.encode(s);
    return latin1(this.codec.buf, 0, n);
  }

  private verdicts(s: unknown, renumbered: BoundSet | null): Verdicts {
    return this.predicates.map(({ what, judge }) => this.spec(renumbered, what, () => judge(s)));
  }

  private compareVerdicts(set: BoundSet, a: Verdicts, b: Verdicts): void {
    const i = a.findIndex((v, j) => v !== b[j]);
    if (i < 0) return;
    const what = this.predicates[i]!.what;
    const verb = (v: boolean | undefined) => (v ? 'holds' : 'fails');
    throw this.fail(set, `${what} is not symmetric: it ${verb(a[i])} on a state and ${verb(b[i])} on the same state with ${set.name} renumbered`);
  }

  /** Every transition out of `s`, with the action properties' verdicts on it. */
  private judged(s: unknown, renumbered: BoundSet | null): Judged[] {
    const { model } = this;
    const stepProps = model.properties.filter((p) => p.kind === 'action');
    return this.spec(renumbered, 'an action', () => successors(model, s)).map((t) => {
      const step: StepInfo = { action: model.actions[t.action]!.name, label: t.label, params: t.params };
      const verdicts = stepProps
        .map((p) => this.spec(renumbered, `action property ${p.name}`, () => p.holds(s, t.next, step, model.constants)))
        .map((v) => (v ? '1' : '0'))
        .join('');
      return { action: t.action, next: t.next, verdicts };
    });
  }

  private keyed(steps: readonly Judged[]): Transitions {
    const out: Transitions = new Map();
    for (const x of steps) {
      const key = `${x.action}:${this.bytes(x.next)}`;
      const seen = out.get(key) ?? new Set<string>();
      seen.add(x.verdicts);
      out.set(key, seen);
    }
    return out;
  }

  /** `a`: the original's transitions renumbered; `b`: the renumbered state's own. They must agree. */
  private compareTransitions(set: BoundSet, a: Transitions, b: Transitions): void {
    for (const [key, verdicts] of a) {
      const other = b.get(key);
      if (!other) {
        throw this.fail(set, `${this.actionOf(key)} is not symmetric: a step of it, renumbered, is not a step of the renumbered state (does permute renumber every ${set.name} id?)`);
      }
      if (verdicts.size !== other.size || [...verdicts].some((v) => !other.has(v))) {
        throw this.fail(set, `${this.actionPropertyOf([...verdicts, ...other])} is not symmetric: it judges a step and the same step with ${set.name} renumbered differently`);
      }
    }
    for (const key of b.keys()) {
      if (!a.has(key)) throw this.fail(set, `${this.actionOf(key)} is not symmetric: the renumbered state has a step of it that is no renumbered step of the state`);
    }
  }

  private actionOf(key: string): string {
    return `action ${this.model.actions[Number(key.slice(0, key.indexOf(':')))]!.name}`;
  }

  /** The first action property whose verdict differs among verdict strings. */
  private actionPropertyOf(verdicts: readonly string[]): string {
    const props = this.model.properties.filter((p) => p.kind === 'action');
    const i = props.findIndex((_, j) => new Set(verdicts.map((v) => v[j])).size > 1);
    return `action property ${props[Math.max(i, 0)]!.name}`;
  }

  /** Runs spec code for the check; what it throws is a spec error, said to come from a renumbered state when it did. */
  private spec<T>(renumbered: BoundSet | null, what: string, f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof SpecError && e.message.startsWith('symmetry ')) throw e;
      const where = renumbered ? `on a state with ${renumbered.name} renumbered` : 'while checking the symmetry';
      const names = renumbered?.name ?? this.sets.map((x) => x.name).join(', ');
      throw new SpecError(`symmetry ${names}: ${where}, ${what} threw: ${messageOf(e)}`);
    }
  }

  private fail(set: BoundSet, what: string): SpecError {
    return new SpecError(`symmetry ${set.name} is not a symmetry of ${this.model.model}/${this.model.proposal}: ${what}`);
  }
}

/** The model's state-level predicates, in the order verdicts are listed. */
function predicatesOf(model: ResolvedModel): Predicate[] {
  const { properties, constants: k, constraint, terminal } = model;
  const out: Predicate[] = [];
  for (const p of properties) {
    if (p.kind === 'invariant') out.push({ what: `invariant ${p.name}`, judge: (s) => p.holds(s, k) });
    if (p.kind === 'reachable') out.push({ what: `reachability property ${p.name}`, judge: (s) => p.reached(s, k) });
  }
  if (constraint) out.push({ what: 'the constraint', judge: (s) => constraint(s, k) });
  if (terminal) out.push({ what: 'the terminal predicate', judge: (s) => terminal(s, k) });
  return out;
}
