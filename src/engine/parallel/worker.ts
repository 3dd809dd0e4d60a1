/**
 * A worker thread's side of a parallel check (started through bin/worker.js by workerHost.ts): it loads
 * the model itself (Immutable values and the spec's functions cannot cross threads), checks that it is
 * the coordinator's model with the coordinator's numbering, becomes one partition (partition.ts) and
 * answers the coordinator's requests one at a time. What the spec throws is data in the replies; anything
 * else that fails is reported as `failed`, and the coordinator ends the run with that message.
 */
import { parentPort } from 'node:worker_threads';
import { loadModel } from '../../cli/load.js';
import { messageOf } from '../../errors.js';
import { type ResolvedModel, resolveModel } from '../../resolve.js';
import type { Codec } from '../codec.js';
import { Exchange } from './exchange.js';
import { bindSymmetry, type BoundSymmetry, reducing } from '../symmetry.js';
import { extendFrozen, frozenCodec } from './numberingLog.js';
import { Partition } from './partition.js';
import { type Adoption, modelIdentity, type Reply, type Request, type WorkerSetup } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('kmc: src/engine/parallel/worker.ts runs only as a worker thread');

/** What `setup` prepared: the model, its numbering so far, and how to build the partition on `adopt`. */
interface Prepared {
  readonly setup: WorkerSetup;
  readonly model: ResolvedModel;
  readonly codec: Codec;
  readonly symmetry: BoundSymmetry | null;
}

let prepared: Prepared | null = null;
let partition: Partition | null = null;

port.on('message', (req: Request) => {
  handle(req).then(
    (ok) => port.postMessage({ ok } satisfies Reply),
    (e: unknown) => port.postMessage({ failed: e instanceof Error ? (e.stack ?? e.message) : messageOf(e) } satisfies Reply),
  );
});

async function handle(req: Request): Promise<unknown> {
  if (req.type === 'setup') {
    prepared = await prepare(req.setup);
    return null;
  }
  if (req.type === 'adopt') {
    if (prepared === null) throw new Error('kmc: the worker was handed states before it was set up');
    partition = become(prepared, req.adopt);
    const { buf } = req.adopt;
    return partition.adopt(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), req.adopt.count);
  }
  const p = partition;
  if (p === null) throw new Error('kmc: the worker was asked to work before it was handed states');
  switch (req.type) {
    case 'round':
      return p.round(req.cmd);
    case 'witness':
      return p.witness(req.witness);
    case 'chain':
      return p.chain(req.locals);
    case 'usage':
      return p.usage();
  }
}

/** Loads the model and numbers its values as the coordinator had when it started this worker. */
async function prepare(setup: WorkerSetup): Promise<Prepared> {
  const { source } = setup;
  const loaded = await loadModel(source.arg);
  const model = resolveModel(loaded.spec, {
    ...(source.proposal !== undefined ? { proposal: source.proposal } : {}),
    ...(source.preset !== undefined ? { preset: source.preset } : {}),
    ...(source.constants ? { constants: source.constants } : {}),
    ...(source.properties ? { properties: source.properties } : {}),
    ...(loaded.extraProposal ? { extraProposal: loaded.extraProposal } : {}),
  });
  if (modelIdentity(model) !== setup.identity) {
    throw new Error(`kmc: worker ${setup.index} loaded another model than the check's: ${modelIdentity(model)} instead of ${setup.identity}`);
  }
  const symmetry = setup.symmetry ? reducing(bindSymmetry(model)) : null;
  if (setup.symmetry && symmetry === null) throw new Error(`kmc: worker ${setup.index} found no symmetry to reduce by in the model`);
  const codec = frozenCodec(model, setup.witnesses, symmetry);
  checkNumbering(setup.index, codec, setup.numbering);
  return { setup, model, codec, symmetry };
}

/** Becomes a partition: catches up with the coordinator's numbering and takes its share of the budget. */
function become({ setup, model, codec, symmetry }: Prepared, adoption: Adoption): Partition {
  for (const w of adoption.witnesses) extendFrozen(model, codec, w, symmetry);
  checkNumbering(setup.index, codec, adoption.numbering);
  return new Partition({
    model,
    codec,
    symmetry,
    check: null,
    index: setup.index,
    stride: setup.stride,
    owners: setup.owners,
    route: adoption.route,
    storeKind: setup.storeKind,
    budgetBytes: adoption.budgetBytes,
    pool: adoption.pool ? new BigInt64Array(adoption.pool) : null,
    deadlock: setup.deadlock,
    deadline: setup.deadline,
    abort: new Int32Array(setup.abort),
    exchange: new Exchange(setup.index, setup.ports, new Int32Array(setup.mailbox)),
  });
}

function checkNumbering(index: number, codec: Codec, expected: string): void {
  if (codec.numbering() === expected) return;
  throw new Error(
    `kmc: worker ${index} numbered the model's values differently (is the spec deterministic?): ${codec.numbering()} instead of ${expected}`,
  );
}
