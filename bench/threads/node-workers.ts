// Node's worker factory for the wasm backend: `initWasmBackend({ threads, createWorker: nodeWorkerFactory() })`.
// It lives outside src/ because the core must not import Node APIs.
import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import type { WasmWorkerFactory } from '../../src/backend/wasm/index.js';

/** Starts workers running node-wasm-worker.ts (TypeScript, through tsx). */
export function nodeWorkerFactory(): WasmWorkerFactory {
  return () => {
    const worker = new Worker(new URL('./node-wasm-worker-boot.mjs', import.meta.url), { execArgv: [] });
    // Idle workers block in Atomics.wait; once one has reported ready it must not keep the process
    // alive. (Adding a message listener refs the worker, so unref when its message arrives.)
    return {
      postMessage: (m) => worker.postMessage(m),
      onMessage: (f) => {
        worker.on('message', (m) => {
          worker.unref();
          f(m);
        });
      },
      terminate: () => void worker.terminate(),
    };
  };
}

/** Cores available to this process. */
export function coreCount(): number {
  return cpus().length;
}
