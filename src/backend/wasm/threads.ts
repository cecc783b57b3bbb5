import { CONTROL_ADDRESS, DONE, F, GEN, JOB_GEMM, MAX_WORKERS, QUIT, slotOf } from './control.js';
import type { WasmKernels } from './kernels.js';
import type { WorkerInit } from './worker.js';

/** A started worker as the host's factory returns it (Node's Worker or a Web Worker, adapted). */
export interface WasmWorkerHandle {
  postMessage(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  terminate(): void;
}

/** Starts one worker running {@link serveWasmWorker}; supplied by the host (see bench/threads/). */
export type WasmWorkerFactory = () => WasmWorkerHandle;

/**
 * Workers that share the heap and split matrix products by column panels. Each panel is computed by
 * exactly one thread with the same code and summation order, so results are bit-identical for any
 * thread count.
 */
export class WasmThreadPool {
  private readonly ctrl: Int32Array;
  private readonly workers: WasmWorkerHandle[];
  /** Threads a product may use, the calling thread included (1 … workers + 1). */
  active: number;
  /** Products split among threads so far. */
  jobs = 0;

  private constructor(memory: WebAssembly.Memory, workers: WasmWorkerHandle[]) {
    this.ctrl = new Int32Array(memory.buffer, CONTROL_ADDRESS, 16 * 80);
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

  /**
   * op(A)·op(B) for A already packed at `pa`: column panels are split into `active` contiguous
   * ranges; each thread packs its own B panels and computes their tiles. The caller takes range 0.
   */
  gemm(kernels: WasmKernels, pa: number, pb: number, out: number, m: number, k: number, n: number, b: number, transB: boolean, bias: number, mode: number, panels: number): void {
    const threads = Math.min(this.active, panels);
    const c = this.ctrl;
    this.jobs++;
    const bounds = (t: number): number => Math.floor((panels * t) / threads);
    for (let t = 1; t < threads; t++) {
      const s = slotOf(t - 1);
      c[s + F.kind] = JOB_GEMM;
      c[s + F.pa] = pa; c[s + F.pb] = pb; c[s + F.out] = out;
      c[s + F.m] = m; c[s + F.k] = k; c[s + F.n] = n;
      c[s + F.jb0] = bounds(t); c[s + F.jb1] = bounds(t + 1);
      c[s + F.bias] = bias; c[s + F.mode] = mode; c[s + F.b] = b; c[s + F.transB] = transB ? 1 : 0;
    }
    // Workers beyond `threads` get an empty range so DONE counts every worker.
    for (let t = threads; t <= this.workers.length; t++) {
      const s = slotOf(t - 1);
      c[s + F.kind] = JOB_GEMM;
      c[s + F.jb0] = 0; c[s + F.jb1] = 0;
    }
    Atomics.store(c, DONE, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    const end = bounds(1);
    kernels.packB(b, k, n, transB ? 1 : 0, pb, 0, end);
    kernels.gemmTiles(pa, pb, out, m, k, n, 0, end, bias, mode);
    // The main thread of a page may not block, so wait by polling (the workers' share is equal).
    const need = this.workers.length;
    while (Atomics.load(c, DONE) < need) { /* spin */ }
  }

  /** Stops and terminates the workers. */
  close(): void {
    Atomics.store(this.ctrl, QUIT, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    for (const w of this.workers) w.terminate();
  }
}
