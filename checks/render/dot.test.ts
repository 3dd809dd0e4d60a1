/**
 * The counterexample diagram: steps top to bottom as `s0 … sN`, the initial state in full and filled,
 * each later state showing only what changed, edges labelled with the action instance, the failing state
 * (or, for an action property, the failing step too) in red with the property's name and claim; one
 * escaper for every DOT string; the same bytes from two runs.
 */
import { describe, expect, it } from 'vitest';
import { dotString, renderTraceDot } from '../../src/render/dot.js';
import { checkTitle, findingsOf } from '../../src/render/finding.js';
import { locks, mutex, seesaw } from '../fixtures/models.js';
import { checkFirst } from '../helpers.js';
import type { AnyModelSpec } from '../../src/model.js';

/** The diagram of the first failure `kmc check` reports for `spec`. */
function firstDiagram(spec: AnyModelSpec): string {
  const r = checkFirst(spec);
  const f = findingsOf(r)[0]!;
  return renderTraceDot({ trace: f.trace, title: checkTitle(r), finding: f });
}

describe('renderTraceDot', () => {
  it('draws the mutex counterexample with changes only and the violating state in red', () => {
    expect(firstDiagram(mutex)).toMatchInlineSnapshot(`
      "digraph "trace" {
        graph [fontname="Courier", fontsize=11, labelloc=t, labeljust=l, label="kmc check mutex --proposal racy  (procs=2)\\lInvariant mutual-exclusion is violated: at most one process is in its critical section\\l"];
        node [shape=box, fontname="Courier", fontsize=10];
        edge [fontname="Courier", fontsize=10];
        s0 [label="flag = 0\\lpcs = [idle, idle]\\l", style=filled, fillcolor="#e8e8e8"];
        s1 [label="pcs: [idle, idle] → [set, idle]\\l"];
        s2 [label="pcs: [set, idle] → [set, set]\\l"];
        s3 [label="flag: 0 → 1\\lpcs: [set, set] → [crit, set]\\l"];
        s4 [label="VIOLATED invariant mutual-exclusion\\lat most one process is in its critical section\\l\\lpcs: [crit, set] → [crit, crit]\\l", color=red, fontcolor=red, penwidth=2];
        s0 -> s1 [label="check(0)"];
        s1 -> s2 [label="check(1)"];
        s2 -> s3 [label="set(0)"];
        s3 -> s4 [label="set(1)"];
      }
      "
    `);
  });

  it('gives the same bytes on two independent runs', () => {
    expect(firstDiagram(mutex)).toBe(firstDiagram(mutex));
  });

  it('draws the step that breaks an action property in red as well as the state it leads to', () => {
    const dot = firstDiagram(seesaw);
    expect(dot).toContain('s2 [label="VIOLATED action property monotonic\\lthe value never decreases\\l\\l(state): 1 → 0\\l", color=red, fontcolor=red, penwidth=2];');
    expect(dot).toContain('s1 -> s2 [label="down(by 1)", color=red, fontcolor=red, penwidth=2];');
    expect(dot).toContain('s0 -> s1 [label="up"];');
  });

  it('marks a deadlock on the last state and says so in the caption', () => {
    const dot = firstDiagram(locks);
    expect(dot).toContain('Deadlock: a reachable state has no enabled action and is not terminal.\\l');
    expect(dot).toMatch(/s2 \[label="DEADLOCK: no enabled action\\l\\l[^"]*", color=red, fontcolor=red, penwidth=2\];/);
  });

  it('fills the initial state and prints it in full', () => {
    expect(firstDiagram(mutex)).toContain('s0 [label="flag = 0\\lpcs = [idle, idle]\\l", style=filled, fillcolor="#e8e8e8"];');
  });
});

describe('dotString', () => {
  it('escapes backslashes and quotes and ends every line with a left-justified break', () => {
    expect(dotString('a "quoted" \\N\nnext\n')).toBe('"a \\"quoted\\" \\\\N\\lnext\\l"');
  });

  it('leaves a one-line string without a line break', () => {
    expect(dotString('check(0)')).toBe('"check(0)"');
  });

  it('turns carriage returns into line breaks too, so no raw newline reaches the DOT', () => {
    expect(dotString('a\r\nb\rc')).toBe('"a\\lb\\lc"');
  });
});
