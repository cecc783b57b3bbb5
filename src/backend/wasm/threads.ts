import { CONTROL_ADDRESS, CONTROL_WORDS, F, GEN, JOB_ADAM, JOB_GEMM, JOB_SGD, MAX_WORKERS, PANEL_MASK, QUIT, S, SLEEPERS, slotOf, tagOf } from './control.js';
import { isDone, runShare } from './gemm-share.js';
import type { WasmKernels } from './kernels.js';
import type { WorkerInit } from './worker.js';
import type { WasmMemory, WasmModule } from './host-types.js';

/** A started worker as the host's factory returns it (Node's Worker or a Web Worker, adapted). */
export interface WasmWorkerHandle {
  /** Sends a message to the worker (the pool sends one: the compiled module, the shared memory and the worker index). */
  postMessage(message: unknown): void;
  /** Registers a listener for the worker's messages (its one 'ready' report once its kernels are instantiated). */
  onMessage(listener: (message: unknown) => void): void;
  /** Stops the worker thread (the pool's `close()` calls it after signalling quit). */
  terminate(): void;
}

/** Starts one worker running {@link serveWasmWorker}; supplied by the host (see bench/threads/). */
export type WasmWorkerFactory = () => WasmWorkerHandle;

/** Multiply-adds a claimed chunk of panels holds at least (fewer claims for thin panels). */
const CHUNK_MACS = 1 << 16;

/**
 * Workers that share the heap and help with matrix products and optimizer steps. A product's
 * column panels (an optimizer step's blocks) are claimed in chunks from a shared counter by
 * whichever thread is free — the caller starts at once and workers join as they wake — so a job is
 * never much slower than on one thread, even when a worker is late or its core is busy. Each panel
 * is computed by exactly one thread with the same code and summation order, so results are
 * bit-identical for any thread count.
 *
 * An optimizer step may also be left open: the caller returns while workers run it, and
 * {@link join}s it later (the backend does before any kernel that touches its arrays, and when the
 * overlap scope that allowed it ends: open-work.ts), taking whatever units are left.
 */
export class WasmThreadPool {
  private readonly ctrl: Int32Array;
  private readonly workers: WasmWorkerHandle[];
  private gen = 0;
  /** Threads a product may use, the calling thread included (1 … workers + 1). */
  active: number;
  /** Jobs (products, optimizer steps) shared among threads so far. */
  jobs = 0;
  /** Generation of the last job this thread has finished (joined); jobs after it are open. */
  private joined = 0;
  /** Whether an optimizer update is among the open jobs. */
  private optimOpen = false;
  /** The kernels the jobs run with (the caller's instance; set by the first job). */
  private kernels: WasmKernels | null = null;

  private constructor(memory: WebAssembly.Memory, workers: WasmWorkerHandle[]) {
    this.ctrl = new Int32Array(memory.buffer, CONTROL_ADDRESS, CONTROL_WORDS);
    this.workers = workers;
    this.active = workers.length + 1;
  }

  /** Starts `count` workers over `memory` and waits until each has its kernels instantiated. */
  static async start(module: WasmModule, memory: WasmMemory, count: number, factory: WasmWorkerFactory): Promise<WasmThreadPool> {
    const n = Math.min(count, MAX_WORKERS);
    const workers: WasmWorkerHandle[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 0; index < n; index++) {
      const w = factory();
      workers.push(w);
      ready.push(new Promise<void>((resolve) => w.onMessage(() => resolve())));
      const init: WorkerInit = { module, memory, index };
      w.postMessage(init);
    }
    await Promise.all(ready);
    return new WasmThreadPool(memory, workers);
  }

  /** Worker threads started (not counting the caller). */
  get size(): number {
    return this.workers.length;
  }

  /** Whether a product of `panels` column panels can be shared (more than one thread, a panel count NEXT can hold). */
  canShare(panels: number): boolean {
    return this.active > 1 && panels > 1 && panels <= PANEL_MASK;
  }

  /**
   * op(A)·op(B) for A read in place at `a`: publishes the job, takes chunks of column panels
   * itself (packing their B panels into `pb` and computing their tiles) alongside the workers, and
   * returns once every panel is finished. Any open job is finished first (all products share `pb`).
   */
  gemm(kernels: WasmKernels, a: number, transA: boolean, pb: number, out: number, m: number, k: number, n: number, b: number, transB: boolean, bias: number, mode: number, panels: number): void {
    this.join();
    const s = this.claimSlot();
    const c = this.ctrl;
    c[s + F.kind] = JOB_GEMM;
    c[s + F.a] = a; c[s + F.transA] = transA ? 1 : 0; c[s + F.pb] = pb; c[s + F.out] = out;
    c[s + F.m] = m; c[s + F.k] = k; c[s + F.n] = n;
    c[s + F.panels] = panels;
    c[s + F.chunk] = Math.max(1, Math.ceil(CHUNK_MACS / (m * k * 8)));
    c[s + F.bias] = bias; c[s + F.mode] = mode; c[s + F.b] = b; c[s + F.transB] = transB ? 1 : 0;
    this.post(kernels);
    this.join();
  }

  /**
   * An optimizer update over the table of parameters at `table` (asm/optim.ts), `kind` JOB_SGD or
   * JOB_ADAM, shared among the threads block by block; returns once all `blocks` are done, or
   * (`wait` false) at once, leaving the update to the workers until {@link join}. An open update
   * is finished first (they share the table).
   */
  optim(kernels: WasmKernels, kind: typeof JOB_SGD | typeof JOB_ADAM, table: number, blocks: number, wait = true): void {
    if (this.optimOpen) this.join();
    const s = this.claimSlot();
    const c = this.ctrl;
    c[s + F.kind] = kind;
    c[s + S.table] = table;
    c[s + S.blocks] = blocks;
    this.post(kernels);
    if (wait) this.join();
    else this.optimOpen = true;
  }

  /** Jobs posted and not yet joined (they may still run: see {@link join}). */
  get openJobs(): number {
    return (this.gen - this.joined) | 0;
  }

  /**
   * Finishes every open job, in order: takes whatever units of each no worker has claimed yet,
   * then waits (polling: the main thread of a page may not block) for the workers' last ones.
   */
  join(): void {
    while (this.joined !== this.gen) {
      const job = (this.joined + 1) | 0;
      runShare(this.ctrl, job, this.kernels!);
      while (!isDone(this.ctrl, job)) { /* spin */ }
      this.joined = job;
    }
    this.optimOpen = false;
  }

  /**
   * The slot of the next job, made unclaimable before its fields change: a worker that wakes late
   * for the job that last used the slot (long done) must not claim units with half-written fields.
   */
  private claimSlot(): number {
    const gen = (this.gen + 1) | 0;
    const s = slotOf(gen);
    Atomics.store(this.ctrl, s + F.next, tagOf(gen) | PANEL_MASK);
    return s;
  }

  /** Publishes the job written into the next slot as a new generation and wakes the workers. */
  private post(kernels: WasmKernels): void {
    const c = this.ctrl;
    this.kernels = kernels;
    this.jobs++;
    const gen = (this.gen + 1) | 0;
    const s = slotOf(gen);
    c[s + F.threads] = this.active;
    Atomics.store(c, s + F.finished, 0);
    Atomics.store(c, s + F.next, tagOf(gen));
    this.gen = gen;
    Atomics.store(c, GEN, gen);
    // A futex call costs microseconds: only for workers that are asleep (see the worker's loop).
    if (Atomics.load(c, SLEEPERS) > 0) Atomics.notify(c, GEN);
  }

  /** Stops and terminates the workers. */
  close(): void {
    this.join();
    Atomics.store(this.ctrl, QUIT, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) w.terminate();
  }
}
