/**
 * The `kmc` command line: declarations only. Handlers live in `commands.ts`; this file turns their
 * results and errors into exit codes and one-line messages.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PREFIX_STATES } from '../engine/parallel/coordinator.js';
import { allCommand, type AllFlags } from './all.js';
import { checkOutCommand, type CheckOutFlags } from './checkOut.js';
import { compareCommand, type CompareFlags } from './compare.js';
import { checkCommand, listCommand, type Io } from './commands.js';
import { EXIT } from './exitCode.js';
import { GRAPH_MAX_STATES, graphCommand, type GraphFlags } from './graph.js';
import { replayCommand, type ReplayFlags } from './replay.js';
import { defaultMemoryMb } from './memory.js';
import {
  collect,
  defaultWorkers,
  megabytes,
  nonNegativeInt,
  positiveInt,
  positiveSeconds,
  seedValue,
  storeKind,
  type CheckFlags,
} from './options.js';
import { SIMULATE_DEFAULTS, simulateCommand, type SimulateFlags } from './simulate.js';

const io: Io = {
  out: (text) => process.stdout.write(text),
  err: { isTTY: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) },
};

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

const PRESET_HELP = "the model's named bounds (kmc list shows them, e.g. large); --const still overrides";
const SYMMETRY_HELP = 'explore every state even when the model declares interchangeable ids (symmetry reduction is on by default)';
const STORE_HELP = 'seen-state store: exact (the default: every state\'s bytes) or fingerprint (64-bit, about 20 bytes a state)';

function workersHelp(): string {
  return `worker threads exploring in parallel (default ${defaultWorkers()}: the cores this process may use); the result is the same for every count`;
}

const PREFIX_HELP = `states explored in this thread before the workers start (default ${PREFIX_STATES}); smaller runs never start them`;

function memoryHelp(): string {
  return `memory budget of the seen-state store and its frontier, in MB (default ${defaultMemoryMb()}: a quarter of this machine); reaching it stops the run (incomplete)`;
}

function program(): Command {
  const p = new Command('kmc')
    .description('An explicit-state model checker for x86 kernel entry-code designs')
    .version(version)
    .exitOverride()
    .showSuggestionAfterError(true)
    // One line per error: commander puts its "(Did you mean …?)" on a second line.
    .configureOutput({ outputError: (text, write) => write(`kmc: ${text.trimEnd().replace(/\n+/g, ' ')}\n`) });

  p.command('list')
    .description('list the built-in models with their proposals, properties and constants')
    .action(() => finish(listCommand(io)));

  p.command('check')
    .description('explore every reachable state of one proposal of a model and check its properties')
    .argument('<model>', 'a built-in model name, or a path to a .ts/.js file exporting a model or a proposal')
    .option('-p, --proposal <id>', 'the proposal to check (default: the model baseline, or the file\'s proposal)')
    .option('-c, --const <name=value>', 'override a constant (repeatable; or name=value,name=value)', collect, [])
    .option('--preset <name>', PRESET_HELP)
    .option('--property <name>', 'check only this property (repeatable)', collect, [])
    .option('--continue', 'keep exploring after a violation and report every violated property')
    .option('--no-deadlock', 'do not report states without enabled actions')
    .option('--max-states <n>', 'stop after this many distinct states (the run is then incomplete)', positiveInt)
    .option('--max-depth <n>', 'do not expand states n steps from an initial state (incomplete)', positiveInt)
    .option('--timeout <seconds>', 'stop after this many seconds (incomplete)', positiveSeconds)
    .option('--store <kind>', STORE_HELP, storeKind)
    .option('--memory <MB>', memoryHelp(), megabytes)
    .option('--no-symmetry', SYMMETRY_HELP)
    .option('--workers <n>', workersHelp(), positiveInt)
    .option('--prefix-states <n>', PREFIX_HELP, nonNegativeInt)
    .option('--json', 'print one JSON document instead of text')
    .option('--coverage', 'print, per action, how often it was enabled and how many new states it gave')
    .option('-q, --quiet', 'no progress line on stderr')
    .option('--out <dir>', 'also write each counterexample to <dir>/<model>/<proposal>/<property>.{txt,dot,svg,itf.json}')
    .action(async (model: string, flags: CheckFlags & { out?: string }) =>
      finish(
        flags.out !== undefined
          ? await checkOutCommand(model, flags as CheckOutFlags, io, version)
          : await checkCommand(model, flags, io),
      ),
    );

  p.command('simulate')
    .description('random walks checking every property at every step, for bounds beyond exhaustive reach (never a proof)')
    .argument('<model>', 'a built-in model name, or a path to a .ts/.js file exporting a model or a proposal')
    .option('-p, --proposal <id>', 'the proposal to simulate (default: the model baseline, or the file\'s proposal)')
    .option('-c, --const <name=value>', 'override a constant (repeatable; or name=value,name=value)', collect, [])
    .option('--preset <name>', PRESET_HELP)
    .option('--property <name>', 'check only this property (repeatable)', collect, [])
    .option('--depth <n>', 'the most steps one walk takes', positiveInt, SIMULATE_DEFAULTS.depth)
    .option('--runs <n>', 'how many walks', positiveInt, SIMULATE_DEFAULTS.runs)
    .option('--seed <s>', 'the first walk\'s seed (0..4294967295); each reported walk names its own', seedValue, SIMULATE_DEFAULTS.seed)
    .option('--continue', 'keep walking after a violation and report every violated property')
    .option('--no-deadlock', 'do not report states without enabled actions')
    .option('--timeout <seconds>', 'stop after this many seconds', positiveSeconds)
    .option('--json', 'print one JSON document instead of text')
    .option('-q, --quiet', 'no progress line on stderr')
    .option('--out <dir>', 'also write each counterexample to <dir>/<model>/<proposal>/<property>.{txt,dot,svg,itf.json}')
    .action(async (model: string, flags: SimulateFlags) => finish(await simulateCommand(model, flags, io, version)));

  p.command('compare')
    .description('check every proposal (or those named) against every property; write report.md, report.html')
    .argument('<model>', 'a built-in model name, or a path to a .ts/.js file exporting a model or a proposal')
    .option('-p, --proposal <id>', 'compare only this proposal (repeatable; default: every proposal)', collect, [])
    .option('-c, --const <name=value>', 'override a constant (repeatable; or name=value,name=value)', collect, [])
    .option('--preset <name>', PRESET_HELP)
    .option('--max-states <n>', 'stop each check after this many distinct states (incomplete)', positiveInt)
    .option('--max-depth <n>', 'do not expand states n steps from an initial state (incomplete)', positiveInt)
    .option('--timeout <seconds>', 'stop each check after this many seconds (incomplete)', positiveSeconds)
    .option('--store <kind>', STORE_HELP, storeKind)
    .option('--memory <MB>', memoryHelp(), megabytes)
    .option('--no-symmetry', SYMMETRY_HELP)
    .option('--workers <n>', workersHelp(), positiveInt)
    .option('--prefix-states <n>', PREFIX_HELP, nonNegativeInt)
    .option('--out <dir>', 'write the reports and counterexamples under <dir>/<model>/', 'out')
    .option('--json', 'print every proposal\'s result as one JSON array instead of the matrix')
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (model: string, flags: CompareFlags) => finish(await compareCommand(model, flags, io, version)));

  p.command('replay')
    .description('re-run a stored ITF trace\'s steps on its model, or on another proposal with --proposal')
    .argument('<trace>', 'an ITF trace file written by kmc check --out (<property>.itf.json)')
    .option('-p, --proposal <id>', 'replay on this proposal instead of the one the trace was recorded on')
    .option('--model <name-or-file>', 'replay on this model (a built-in name or a file) instead of the trace\'s')
    .action(async (file: string, flags: ReplayFlags) => finish(await replayCommand(file, flags, io)));

  p.command('graph')
    .description('print the whole reachable state graph of a small configuration as DOT (or SVG), without symmetry reduction')
    .argument('<model>', 'a built-in model name, or a path to a .ts/.js file exporting a model or a proposal')
    .option('-p, --proposal <id>', 'the proposal to draw (default: the model baseline, or the file\'s proposal)')
    .option('-c, --const <name=value>', 'override a constant (repeatable; or name=value,name=value)', collect, [])
    .option('--preset <name>', PRESET_HELP)
    .option('--max-states <n>', `refuse models with more states than this (default ${GRAPH_MAX_STATES})`, positiveInt)
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--svg', 'render SVG (with the bundled WebAssembly Graphviz) instead of DOT')
    .action(async (model: string, flags: GraphFlags) => finish(await graphCommand(model, flags, io)));

  p.command('all')
    .description('check every proposal of every built-in model (what npm start runs); results under --out')
    .option('--out <dir>', 'where to write the results', 'out')
    .option('--no-symmetry', SYMMETRY_HELP)
    .option('--workers <n>', workersHelp(), positiveInt)
    .option('--prefix-states <n>', PREFIX_HELP, nonNegativeInt)
    .action(async (flags: AllFlags) => finish(await allCommand(flags, io, version)));
  return p;
}

function finish(code: number): void {
  process.exitCode = code;
}

async function main(argv: string[]): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    process.exitCode = report(e);
  }
}

/** One line per problem; a stack only for what can only be a kmc bug. */
function report(e: unknown): number {
  if (e instanceof CommanderError) {
    // commander has already printed its message (or the help text).
    return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : EXIT.usage;
  }
  const err = e as Error;
  if (err?.name === 'UsageError') {
    process.stderr.write(`kmc: error: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err?.name === 'SpecError' || err?.name === 'NondeterminismError') {
    process.stderr.write(`kmc: spec error: ${err.message}\n`);
    return EXIT.specError;
  }
  if (err?.name === 'WorkerFailed') {
    // A worker thread died (out of memory, or something killed it) or hit a bug: the message says which.
    process.stderr.write(`kmc: error: the check stopped: ${err.message}\n`);
    return 70;
  }
  process.stderr.write(`kmc: internal error (a bug in kmc, please report it): ${err?.stack ?? String(e)}\n`);
  return 70;
}

await main(process.argv);
