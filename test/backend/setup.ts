// Preloaded by scripts/run-tests.mjs (`--import`) when tests run against another backend, so every
// following op in the test process computes on it. DOWNHILL_TEST_BACKEND:
//   wasm          one thread, the kernels a Node user gets (fused multiply-add where relaxed SIMD runs)
//   wasm-threads  the same kernels, the caller plus one worker
//   wasm-simd     one thread, the portable kernels (fma: false)
// Not a test file.
import { setBackend } from '../../src/backend/registry.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { enableRelaxedSimd } from '../../node/relaxed-simd.js';
import { nodeWorkerFactory } from '../../node/workers.js';
import { nodeSyncCollector } from '../../node/collector.js';

const wanted = process.env.DOWNHILL_TEST_BACKEND ?? 'js';
if (wanted === 'wasm' || wanted === 'wasm-threads' || wanted === 'wasm-simd') {
  const threads = wanted === 'wasm-threads' ? 2 : 1;
  const fma = wanted !== 'wasm-simd' && enableRelaxedSimd();
  const backend = await initWasmBackend({ threads, fma, collector: nodeSyncCollector() ?? undefined, createWorker: threads > 1 ? nodeWorkerFactory() : undefined });
  if (!backend) throw new Error(`DOWNHILL_TEST_BACKEND=${wanted}: WebAssembly SIMD or SharedArrayBuffer is unavailable here`);
  setBackend('wasm');
} else if (wanted !== 'js') {
  throw new Error(`DOWNHILL_TEST_BACKEND must be js, wasm, wasm-threads or wasm-simd, got '${wanted}'`);
}
