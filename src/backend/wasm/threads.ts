import { CONTROL_ADDRESS, CONTROL_WORDS, F, FINISHED, GEN, JOB, JOB_ADAM, JOB_GEMM, JOB_SGD, MAX_WORKERS, NEXT, PANEL_MASK, QUIT, S, tagOf } from './control.js';
import { runGemmShare, runOptimShare } from './gemm-share.js';
import type { WasmKernels } from './kernels.js';
import type { WorkerInit } from './worker.js';

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
 */
export class WasmThreadPool {
  private readonly ctrl: Int32Array;
  private readonly workers: WasmWorkerHandle[];
  private gen = 0;
  /** Threads a product may use, the calling thread included (1 … workers + 1). */
  active: number;
  /** Jobs (products, optimizer steps) shared among threads so far. */
  jobs = 0;
  /** Units of the job posted last while it is open (0 once joined), and the caller's share of it. */
  private openUnits = 0;
  private openShare: ((gen: number) => void) | null = null;

  private constructor(memory: WebAssembly.Memory, workers: WasmWorkerHandle[]) {
    this.ctrl = new Int32Array(memory.buffer, CONTROL_ADDRESS, CONTROL_WORDS);
    this.workers = workers;
    this.active = workers.length + 1;
  }

  /** Starts `count` workers over `memory` and waits until each has its kernels instantiated. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, count: number, factory: WasmWorkerFactory): Promise<WasmThreadPool> {
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
   * returns once every panel is finished.
   */
  gemm(kernels: WasmKernels, a: number, transA: boolean, pb: number, out: number, m: number, k: number, n: number, b: number, transB: boolean, bias: number, mode: number, panels: number): void {
    this.join();
    const c = this.ctrl;
    const s = JOB;
    c[s + F.kind] = JOB_GEMM;
    c[s + F.a] = a; c[s + F.transA] = transA ? 1 : 0; c[s + F.pb] = pb; c[s + F.out] = out;
    c[s + F.m] = m; c[s + F.k] = k; c[s + F.n] = n;
    c[s + F.panels] = panels;
    c[s + F.chunk] = Math.max(1, Math.ceil(CHUNK_MACS / (m * k * 8)));
    c[s + F.bias] = bias; c[s + F.mode] = mode; c[s + F.b] = b; c[s + F.transB] = transB ? 1 : 0;
    this.post(panels, (gen) => runGemmShare(c, gen, kernels));
    this.join();
  }

  /**
   * An optimizer update over the table of parameters at `table` (asm/optim.ts), `kind` JOB_SGD or
   * JOB_ADAM, shared among the threads block by block; returns once all `blocks` are done, or
   * (`wait` false) at once, leaving the job open for the workers until {@link join}.
   */
  optim(kernels: WasmKernels, kind: typeof JOB_SGD | typeof JOB_ADAM, table: number, blocks: number, wait = true): void {
    this.join();
    const c = this.ctrl;
    c[JOB + F.kind] = kind;
    c[JOB + S.table] = table;
    c[JOB + S.blocks] = blocks;
    this.post(blocks, (gen) => runOptimShare(c, gen, kernels));
    if (wait) this.join();
  }

  /**
   * Finishes the job posted last, if it is still open: takes whatever units no worker has claimed
   * yet, then waits (polling: the main thread of a page may not block) for the workers' last ones.
   */
  join(): void {
    const units = this.openUnits;
    if (units === 0) return;
    this.openUnits = 0;
    this.openShare!(this.gen);
    this.openShare = null;
    while (Atomics.load(this.ctrl, FINISHED) < units) { /* spin */ }
  }

  /**
   * Publishes the job written into the job slot as a new generation and wakes the workers; the
   * job stays open, `units` (panels, blocks) to finish, until {@link join}.
   */
  private post(units: number, share: (gen: number) => void): void {
    const c = this.ctrl;
    this.jobs++;
    const gen = (this.gen + 1) | 0;
    this.gen = gen;
    c[JOB + F.threads] = this.active;
    Atomics.store(c, FINISHED, 0);
    Atomics.store(c, NEXT, tagOf(gen));
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    this.openUnits = units;
    this.openShare = share;
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
