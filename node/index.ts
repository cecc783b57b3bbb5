/**
 * Node-only helpers (`import … from 'downhill/node'`): the wasm backend with worker threads.
 *
 * @packageDocumentation
 */
import { type BackendChoice, type WasmBackendOptions, useBackend } from '../src/index.js';
import { nodeSyncCollector } from './collector.js';
import { enableRelaxedSimd } from './relaxed-simd.js';
import { coreCount, nodeWorkerFactory } from './workers.js';

export { coreCount, nodeWorkerFactory } from './workers.js';
export { enableRelaxedSimd } from './relaxed-simd.js';
export { nodeSyncCollector } from './collector.js';

/**
 * {@link useBackend} with Node's worker threads: the wasm backend computes large matrix products (and optimizer steps) on
 * `threads` threads (default: every core this process may use; results are bit-identical for any
 * count), with fused multiply-add unless `fma: false` (on Node 20 it turns relaxed SIMD on first:
 * {@link enableRelaxedSimd}). Falls back to the 'js' backend for `'auto'` where WebAssembly SIMD
 * is missing. A loop that never awaits gets its tensors' memory back through Node's synchronous
 * collector ({@link nodeSyncCollector}).
 *
 * @example
 * await useNodeBackend();               // wasm on all cores
 * await useNodeBackend('auto', { threads: 1, fma: false });
 */
export function useNodeBackend(choice: BackendChoice = 'auto', options: Omit<WasmBackendOptions, 'createWorker' | 'collector'> = {}): Promise<'wasm' | 'js'> {
  if (choice !== 'js' && options.fma !== false) enableRelaxedSimd();
  const threads = Math.max(1, Math.floor(options.threads ?? coreCount()));
  const collector = nodeSyncCollector();
  return useBackend(choice, { ...options, threads, ...(collector ? { collector } : {}), ...(threads > 1 ? { createWorker: nodeWorkerFactory() } : {}) });
}
