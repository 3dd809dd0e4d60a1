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
import { resolveModel } from '../../resolve.js';
import { Exchange } from './exchange.js';
import { frozenCodec } from './numberingLog.js';
import { Partition } from './partition.js';
import { modelIdentity, type Reply, type Request, type WorkerSetup } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('kmc: src/engine/parallel/worker.ts runs only as a worker thread');

let partition: Partition | null = null;

port.on('message', (req: Request) => {
  handle(req).then(
    ([ok, transfer]) => port.postMessage({ ok } satisfies Reply, transfer),
    (e: unknown) => port.postMessage({ failed: e instanceof Error ? (e.stack ?? e.message) : messageOf(e) } satisfies Reply),
  );
});

async function handle(req: Request): Promise<[unknown, ArrayBuffer[]]> {
  if (req.type === 'setup') {
    partition = await setUp(req.setup);
    return [null, []];
  }
  const p = partition;
  if (p === null) throw new Error('kmc: the worker was asked to work before it was set up');
  switch (req.type) {
    case 'adopt':
      return [p.adopt(Buffer.from(req.buf.buffer, req.buf.byteOffset, req.buf.byteLength), req.count), []];
    case 'round':
      return [p.round(req.cmd), []];
    case 'witness':
      return [p.witness(req.witness), []];
    case 'finish': {
      const level = p.finish();
      return [level, [level.g.buffer as ArrayBuffer, level.e.buffer as ArrayBuffer]];
    }
    case 'chain':
      return [p.chain(req.locals), []];
    case 'usage':
      return [p.usage(), []];
  }
}

async function setUp(setup: WorkerSetup): Promise<Partition> {
  const { source } = setup;
  const loaded = await loadModel(source.arg);
  const model = resolveModel(loaded.spec, {
    ...(source.proposal !== undefined ? { proposal: source.proposal } : {}),
    ...(source.constants ? { constants: source.constants } : {}),
    ...(source.properties ? { properties: source.properties } : {}),
    ...(loaded.extraProposal ? { extraProposal: loaded.extraProposal } : {}),
  });
  if (modelIdentity(model) !== setup.identity) {
    throw new Error(`kmc: worker ${setup.index} loaded another model than the check's: ${modelIdentity(model)} instead of ${setup.identity}`);
  }
  const codec = frozenCodec(model, setup.witnesses);
  if (codec.numbering() !== setup.numbering) {
    throw new Error(
      `kmc: worker ${setup.index} numbered the model's values differently (is the spec deterministic?): ` +
        `${codec.numbering()} instead of ${setup.numbering}`,
    );
  }
  const mailbox = new Int32Array(setup.mailbox);
  return new Partition({
    model,
    codec,
    index: setup.index,
    stride: setup.stride,
    owners: setup.owners,
    storeKind: setup.storeKind,
    budgetBytes: setup.budgetBytes,
    deadlock: setup.deadlock,
    deadline: setup.deadline,
    abort: new Int32Array(setup.abort),
    exchange: new Exchange(setup.index, setup.ports, mailbox),
  });
}
