/**
 * The exchange between partitions (src/engine/parallel/exchange.ts) hands the records it receives to the
 * partition's inbox a group at a time, asking it first to prefetch what their lookups read: every record
 * must arrive once, in the order sent, with its own fields, bytes and route hash.
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { END_OF_EPOCH, Exchange, type Inbox } from '../../src/engine/parallel/exchange.js';

class Recorder implements Inbox {
  readonly received: { g: number; ref: number; edge: number; bytes: number[]; hash: number }[] = [];
  readonly prefetched: number[][] = [];
  receive(g: number, ref: number, edge: number, bytes: Buffer, at: number, len: number, hash: number): void {
    this.received.push({ g, ref, edge, bytes: [...bytes.subarray(at, at + len)], hash });
  }
  prefetch(hashes: Int32Array, n: number): void {
    this.prefetched.push([...hashes.subarray(0, n)]);
  }
}

describe('Exchange', () => {
  it('delivers every record in order, prefetching each group of 16 before receiving it', () => {
    const { port1, port2 } = new MessageChannel();
    const mailbox = new Int32Array(new SharedArrayBuffer(8));
    const sender = new Exchange(0, [null, port1], mailbox);
    const owner = new Exchange(1, [port2, null], mailbox);
    const sent = Array.from({ length: 40 }, (_, i) => ({
      g: i,
      ref: 1000 + i,
      edge: i * 3,
      bytes: Array.from({ length: 1 + (i % 11) }, (_, k) => (i * 13 + k) & 0xff),
      hash: (i * 0x9e3779b1) | 0,
    }));
    // Each record's bytes after a few others, as an encoder writes them behind the successors it holds.
    for (const [i, r] of sent.entries()) {
      const from = i % 5;
      sender.send(1, r.g, r.ref, r.edge, Buffer.concat([Buffer.alloc(from, 0xee), Buffer.from(r.bytes)]), from, r.bytes.length, r.hash);
    }
    // The owner's end marker, as if it had ended its epoch, so that the sender's `finish` returns.
    port2.postMessage(END_OF_EPOCH);
    sender.finish(new Recorder());
    const inbox = new Recorder();
    owner.poll(inbox);
    expect(inbox.received).toEqual(sent);
    expect(inbox.prefetched.map((g) => g.length)).toEqual([16, 16, 8]);
    expect(inbox.prefetched.flat()).toEqual(sent.map((r) => r.hash));
    port1.close();
    port2.close();
  });

  it('copies records of any length from a buffer the sender rewrites, across several batches', () => {
    const { port1, port2 } = new MessageChannel();
    const mailbox = new Int32Array(new SharedArrayBuffer(8));
    const sender = new Exchange(0, [null, port1], mailbox);
    const owner = new Exchange(1, [port2, null], mailbox);
    // One buffer for every record, as the encoder reuses its own: the sender must read what it holds now.
    const scratch = Buffer.alloc(256);
    const sent: { g: number; ref: number; edge: number; bytes: number[]; hash: number }[] = [];
    for (let i = 0; i < 4000; i++) {
      const len = i % 71;
      const from = (i * 7) % 13;
      for (let k = 0; k < len; k++) scratch[from + k] = (i + k * 31) & 0xff;
      sent.push({ g: i, ref: -1 - i, edge: i & 0xffff, bytes: [...scratch.subarray(from, from + len)], hash: i * 2654435761 | 0 });
      sender.send(1, i, -1 - i, i & 0xffff, scratch, from, len, sent[i]!.hash);
    }
    port2.postMessage(END_OF_EPOCH);
    sender.finish(new Recorder());
    const inbox = new Recorder();
    owner.poll(inbox);
    // About 210 KB of records: more than one batch of 128 KiB.
    expect(inbox.received.length).toBe(4000);
    expect(inbox.received).toEqual(sent);
    port1.close();
    port2.close();
  });

  it('sends batches in shared memory, so that no buffer is ever detached, and gets them back to reuse', () => {
    // Transferring an ArrayBuffer detaches it, and the first detach in a thread makes V8 drop the
    // optimised code of every typed-array access there and compile checks into it for the rest of the
    // run (measured: 4% of a two-worker bench). A SharedArrayBuffer is posted, not transferred.
    const { port1, port2 } = new MessageChannel();
    const mailbox = new Int32Array(new SharedArrayBuffer(8));
    const sender = new Exchange(0, [null, port1], mailbox);
    const owner = new Exchange(1, [port2, null], mailbox);
    const bytes = Buffer.alloc(1000, 7);
    // 200 records of 1,018 bytes: a full batch of 128 KiB is posted as the 129th is queued.
    for (let i = 0; i < 200; i++) sender.send(1, i, i, 0, bytes, 0, bytes.length, i);
    const posted = receiveMessageOnPort(port2)?.message as { kind: number; buf: unknown; used: number };
    expect(posted.buf).toBeInstanceOf(SharedArrayBuffer);
    expect(posted.used).toBe(128 * 1018);
    // The owner reads that batch (posted again by hand, as it was taken off the port above) and sends it back.
    port1.postMessage(posted);
    const inbox = new Recorder();
    owner.poll(inbox);
    expect(inbox.received.length).toBe(128);
    const back = receiveMessageOnPort(port1)?.message as { buf: unknown };
    expect(back.buf).toBeInstanceOf(SharedArrayBuffer);
    expect((back.buf as SharedArrayBuffer).byteLength).toBe(1 << 17);
    port1.close();
    port2.close();
  });
});
