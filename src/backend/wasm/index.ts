import { registerBackend } from '../registry.js';
import { HEAP_BASE } from './control.js';
import { WasmBackend } from './backend.js';
import { type SyncCollector, WasmHeap } from './heap.js';
import { compileKernels, instantiateKernels, relaxedSimdAvailable } from './kernels.js';
import { WasmThreadPool, type WasmWorkerFactory } from './threads.js';

export { WasmBackend } from './backend.js';
export { relaxedSimdAvailable, type KernelBuild } from './kernels.js';
export { serveWasmWorker, type WorkerEndpoint } from './worker.js';
export type { WasmWorkerFactory, WasmWorkerHandle } from './threads.js';
export type { SyncCollector } from './heap.js';

/** Options for {@link initWasmBackend}. */
export interface WasmBackendOptions {
  /** Name to register under (default 'wasm'). */
  name?: string;
  /** Threads for matrix products, the calling one included (default 1; needs `createWorker` above 1). */
  threads?: number;
  /** Starts one worker that calls `serveWasmWorker` (the host supplies it: worker_threads, Web Workers). */
  createWorker?: WasmWorkerFactory;
  /** Most memory the heap may grow to, in MiB (default 4096, the wasm32 limit). */
  maxMemoryMiB?: number;
  /**
   * Whether matrix products use fused multiply-add (WebAssembly relaxed SIMD) where the runtime
   * has it (default true): up to twice the speed of products on CPUs with FMA. Fused results differ
   * in the last bits from unfused ones, so a run gives the same numbers only on machines alike in
   * this; pass false for the portable kernels, which give the same bits on every machine. Like the
   * other options, it applies when the backend starts (`useBackend` reuses a started one by name).
   */
  fma?: boolean;
  /**
   * A host's way to run finalizers synchronously (`downhill/node` supplies Node's), so a loop that
   * never awaits and never uses `tidy()` still gets tensors' memory back. Without one such a loop
   * fails early with a message saying what to do.
   */
  collector?: SyncCollector;
}

/**
 * Why the WebAssembly backend cannot run here, or null when it can: it needs WebAssembly with SIMD
 * and shared memory (SharedArrayBuffer; in browsers, a cross-origin isolated page).
 */
export async function wasmUnavailableReason(): Promise<string | null> {
  if (typeof WebAssembly === 'undefined') return 'WebAssembly is not available';
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available (browsers need a cross-origin isolated page)';
  try {
    await compileKernels();
  } catch (e) {
    return `the kernels do not compile here (WebAssembly SIMD and threads are needed): ${(e as Error).message}`;
  }
  return null;
}

function sharedMemory(maxMiB: number): { memory: WebAssembly.Memory; maxBytes: number } {
  // Reserving the whole range can fail on small address spaces: fall back to smaller limits.
  let pages = Math.min(65536, Math.max(2, Math.floor((maxMiB * 2 ** 20) / 65536)));
  for (;;) {
    try {
      const memory = new WebAssembly.Memory({ initial: 256, maximum: pages, shared: true });
      return { memory, maxBytes: pages * 65536 };
    } catch (e) {
      if (pages <= 4096) throw e;
      pages = Math.floor(pages / 4);
    }
  }
}

/**
 * Compiles the WebAssembly SIMD kernels, creates the shared heap (and worker threads when asked),
 * and registers the backend, so `setBackend('wasm')` switches every following op to it. Resolves to
 * the backend, or to null — leaving the reference 'js' backend in charge — where WebAssembly SIMD
 * or SharedArrayBuffer is missing.
 *
 * Tensors of the backend live in WebAssembly memory and are freed when garbage-collected (or at
 * once, at the end of a `tidy()` scope). A loop that never lets the event loop turn gets that
 * memory back only with a `collector` (Node's, from `downhill/node`).
 *
 * @example
 * if (await initWasmBackend()) setBackend('wasm');
 */
export async function initWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend | null> {
  const reason = await wasmUnavailableReason();
  if (reason !== null) return null;
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  if (threads > 1 && !options.createWorker) {
    throw new RangeError(`initWasmBackend: threads = ${threads} needs a createWorker factory (the host's worker threads)`);
  }
  const build = options.fma !== false && relaxedSimdAvailable() ? 'fma' : 'simd';
  const module = await compileKernels(build);
  const { memory, maxBytes } = sharedMemory(options.maxMemoryMiB ?? 4096);
  const kernels = await instantiateKernels(module, memory);
  const heap = new WasmHeap(memory, HEAP_BASE, maxBytes, kernels.zero, options.collector ?? null);
  const pool = threads > 1 ? await WasmThreadPool.start(module, memory, threads - 1, options.createWorker!) : null;
  const backend = new WasmBackend(options.name ?? 'wasm', kernels, heap, pool, build);
  registerBackend(backend);
  return backend;
}
