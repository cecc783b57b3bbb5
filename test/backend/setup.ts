// Preloaded by scripts/run-tests.mjs (`--import`) when tests run against another backend:
// DOWNHILL_TEST_BACKEND=wasm (one thread) or wasm-threads (the caller plus one worker) makes every
// following op in the test process compute on that backend. Not a test file.
import { setBackend } from '../../src/backend/registry.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { nodeWorkerFactory } from '../../node/workers.js';

const wanted = process.env.DOWNHILL_TEST_BACKEND ?? 'js';
if (wanted === 'wasm' || wanted === 'wasm-threads') {
  const threads = wanted === 'wasm-threads' ? 2 : 1;
  const backend = await initWasmBackend({ threads, createWorker: threads > 1 ? nodeWorkerFactory() : undefined });
  if (!backend) throw new Error(`DOWNHILL_TEST_BACKEND=${wanted}: WebAssembly SIMD or SharedArrayBuffer is unavailable here`);
  setBackend('wasm');
} else if (wanted !== 'js') {
  throw new Error(`DOWNHILL_TEST_BACKEND must be js, wasm or wasm-threads, got '${wanted}'`);
}
