/**
 * The `kmc` command line: declarations only. Handlers live in `commands.ts`; this file turns their
 * results and errors into exit codes and one-line messages.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { allCommand } from './all.js';
import { checkCommand, listCommand, type Io } from './commands.js';
import { EXIT } from './exitCode.js';
import { collect, positiveInt, positiveSeconds, type CheckFlags } from './options.js';

const io: Io = {
  out: (text) => process.stdout.write(text),
  err: { isTTY: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) },
};

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

function program(): Command {
  const p = new Command('kmc')
    .description('An explicit-state model checker for x86 kernel entry-code designs')
    .version(version)
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(`kmc: ${text}`) });

  p.command('list')
    .description('list the built-in models with their proposals, properties and constants')
    .action(() => finish(listCommand(io)));

  p.command('check')
    .description('explore every reachable state of one proposal of a model and check its properties')
    .argument('<model>', 'a built-in model name, or a path to a .ts/.js file exporting a model or a proposal')
    .option('-p, --proposal <id>', 'the proposal to check (default: the model baseline, or the file\'s proposal)')
    .option('-c, --const <name=value>', 'override a constant (repeatable; or name=value,name=value)', collect, [])
    .option('--property <name>', 'check only this property (repeatable)', collect, [])
    .option('--continue', 'keep exploring after a violation and report every violated property')
    .option('--no-deadlock', 'do not report states without enabled actions')
    .option('--max-states <n>', 'stop after this many distinct states (the run is then incomplete)', positiveInt)
    .option('--max-depth <n>', 'do not expand states n steps from an initial state (incomplete)', positiveInt)
    .option('--timeout <seconds>', 'stop after this many seconds (incomplete)', positiveSeconds)
    .option('--json', 'print one JSON document instead of text')
    .option('--coverage', 'print, per action, how often it was enabled and how many new states it gave')
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (model: string, flags: CheckFlags) => finish(await checkCommand(model, flags, io)));

  p.command('all')
    .description('check every proposal of every built-in model (what npm start runs); results under --out')
    .option('--out <dir>', 'where to write the results', 'out')
    .action((flags: { out: string }) => finish(allCommand(flags.out, io)));
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
  process.stderr.write(`kmc: internal error (a bug in kmc, please report it): ${err?.stack ?? String(e)}\n`);
  return 70;
}

await main(process.argv);
