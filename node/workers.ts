// Node's worker threads for the wasm backend. They live outside src/ because the core must not
// import Node APIs; the package exposes them as `downhill/node`.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { WasmWorkerFactory } from '../src/backend/wasm/index.js';

/**
 * The worker script next to this module: compiled JavaScript in the built package; from a source
 * checkout (TypeScript through tsx) a boot script that registers tsx in the worker first, since
 * worker threads do not inherit the loader on Node 20.
 */
function workerScript(): URL {
  const compiled = import.meta.url.endsWith('.js');
  return new URL(compiled ? './wasm-worker.js' : './wasm-worker-boot.mjs', import.meta.url);
}

/** Starts worker threads that serve the wasm backend's matrix products and optimizer steps: pass as `createWorker`. */
export function nodeWorkerFactory(): WasmWorkerFactory {
  return () => {
    const worker = new Worker(workerScript(), { execArgv: [] });
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

/** Cores this process may use (the default thread count). */
export function coreCount(): number {
  return availableParallelism();
}
