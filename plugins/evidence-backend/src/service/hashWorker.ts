import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

/**
 * The worker's whole program, plain JavaScript evaluated in the thread: it
 * needs nothing but node:crypto, so it runs the same under the dev transform,
 * jest and a production bundle, with no separate file to ship.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
let slots = [];
let hash = null;
parentPort.on('message', m => {
  try {
    if (m.op === 'slots') slots = m.buffers.map(b => new Uint8Array(b));
    else if (m.op === 'begin') hash = createHash('sha256');
    else if (m.op === 'update') {
      hash.update(slots[m.slot].subarray(0, m.length));
      parentPort.postMessage({ op: 'released', slot: m.slot });
    } else if (m.op === 'digest') {
      const hex = hash.digest('hex');
      hash = null;
      parentPort.postMessage({ op: 'digest', hex });
    }
  } catch (error) {
    parentPort.postMessage({ op: 'failed', message: String(error && error.message || error) });
  }
});
`;

/** The hashing thread failed or stopped; the file itself may be fine. */
export class HashThreadError extends Error {
  name = 'HashThreadError';
}

type WorkerMessage =
  | { op: 'released'; slot: number }
  | { op: 'digest'; hex: string }
  | { op: 'failed'; message: string };

/**
 * A thread that computes sha256 over chunks the caller reads into shared
 * buffers, so the caller's thread can do other work on the same bytes (the
 * secret scan) at the same time: one read, two cores. Chunks are never
 * copied; a slot is reused only after the thread has hashed it.
 */
export class Sha256Thread {
  private readonly worker: Worker;
  private readonly slots: Buffer[];
  private readonly free: number[];
  private slotWaiters: Array<() => void> = [];
  private digestWaiter?: {
    resolve: (hex: string) => void;
    reject: (error: Error) => void;
  };
  private failure?: Error;

  constructor(slotSize: number, slotCount = 3) {
    const buffers = Array.from(
      { length: slotCount },
      () => new SharedArrayBuffer(slotSize),
    );
    this.slots = buffers.map(b => Buffer.from(b));
    this.free = buffers.map((_, i) => i);
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on('message', (m: WorkerMessage) => this.onMessage(m));
    this.worker.on('error', (error: Error) =>
      this.fail(
        new HashThreadError(`the sha256 thread failed: ${error.message}`),
      ),
    );
    this.worker.on('exit', code =>
      this.fail(new HashThreadError(`the sha256 thread exited (code ${code})`)),
    );
    this.worker.postMessage({ op: 'slots', buffers });
  }

  get healthy(): boolean {
    return this.failure === undefined;
  }

  /**
   * Reads `handle` to its end, hashing every chunk on the thread and handing
   * the same chunk to `onChunk` meanwhile. `onChunk` must be done with the
   * buffer when it returns (it is reused for a later read).
   */
  async hash(
    handle: FileHandle,
    onChunk: (chunk: Buffer) => void,
  ): Promise<{ sha256: string; size: number }> {
    this.check();
    this.worker.postMessage({ op: 'begin' });
    let size = 0;
    for (;;) {
      const slot = await this.takeSlot();
      const buffer = this.slots[slot];
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, null));
      } catch (error) {
        this.free.push(slot);
        throw error;
      }
      if (bytesRead === 0) {
        this.free.push(slot);
        break;
      }
      this.worker.postMessage({ op: 'update', slot, length: bytesRead });
      size += bytesRead;
      onChunk(buffer.subarray(0, bytesRead));
    }
    const sha256 = await new Promise<string>((resolve, reject) => {
      this.digestWaiter = { resolve, reject };
      this.worker.postMessage({ op: 'digest' });
    });
    return { sha256, size };
  }

  terminate(): Promise<number> {
    this.fail(new HashThreadError('the sha256 thread was stopped'));
    return this.worker.terminate();
  }

  private async takeSlot(): Promise<number> {
    for (;;) {
      this.check();
      const slot = this.free.pop();
      if (slot !== undefined) return slot;
      await new Promise<void>(resolve => this.slotWaiters.push(resolve));
    }
  }

  private onMessage(message: WorkerMessage) {
    if (message.op === 'released') {
      this.free.push(message.slot);
      this.wake();
    } else if (message.op === 'digest') {
      const waiter = this.digestWaiter;
      this.digestWaiter = undefined;
      waiter?.resolve(message.hex);
    } else {
      this.fail(
        new HashThreadError(`the sha256 thread failed: ${message.message}`),
      );
    }
  }

  private fail(error: HashThreadError) {
    if (this.failure) return;
    this.failure = error;
    this.wake();
    const waiter = this.digestWaiter;
    this.digestWaiter = undefined;
    waiter?.reject(error);
  }

  private wake() {
    const waiters = this.slotWaiters;
    this.slotWaiters = [];
    waiters.forEach(w => w());
  }

  private check() {
    if (this.failure) throw this.failure;
  }
}

/** Idle threads are stopped after this long, so a quiet portal holds none. */
const IDLE_MS = 30_000;

/**
 * Keeps a few {@link Sha256Thread}s between files: starting a thread costs
 * tens of milliseconds, a large file's hash far more. Callers beyond
 * `maxThreads` get undefined and hash on their own thread.
 */
export class Sha256ThreadPool {
  private idle: Sha256Thread[] = [];
  private busy = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly slotSize: number,
    private readonly maxThreads: number,
  ) {}

  async run<T>(
    fn: (thread: Sha256Thread) => Promise<T>,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    const thread = this.acquire();
    if (!thread) return { ran: false };
    try {
      return { ran: true, value: await fn(thread) };
    } finally {
      this.busy--;
      if (thread.healthy) {
        this.idle.push(thread);
        this.scheduleIdleStop();
      } else {
        void thread.terminate();
      }
    }
  }

  /** Stops every idle thread now (tests, shutdown). */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    const idle = this.idle;
    this.idle = [];
    await Promise.all(idle.map(t => t.terminate()));
  }

  private acquire(): Sha256Thread | undefined {
    const thread = this.idle.pop();
    if (thread) {
      this.busy++;
      return thread;
    }
    if (this.busy >= this.maxThreads) return undefined;
    try {
      const created = new Sha256Thread(this.slotSize);
      this.busy++;
      return created;
    } catch {
      // A thread could not start (resource limits): hash inline instead.
      return undefined;
    }
  }

  private scheduleIdleStop() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.close(), IDLE_MS);
    this.timer.unref();
  }
}
