// Shared helpers of the backend tests (not a test file).
import assert from 'node:assert/strict';
import { RNG } from '../../src/tensor/rng.js';
import { initWasmBackend, type WasmBackend } from '../../src/backend/wasm/index.js';
import { nodeWorkerFactory } from '../../node/workers.js';
import { nodeSyncCollector } from '../../node/collector.js';

/** Node's synchronous collector, as `useNodeBackend` gives users (tests loop without yielding). */
const collector = nodeSyncCollector() ?? undefined;

let single: Promise<WasmBackend> | null = null;
let threaded: Promise<WasmBackend> | null = null;

async function must(p: Promise<WasmBackend | null>): Promise<WasmBackend> {
  const b = await p;
  if (!b) throw new Error('the wasm backend is unavailable here (WebAssembly SIMD / SharedArrayBuffer)');
  return b;
}

/** A wasm backend with one thread, registered as 'wasm-test' (the active backend is not changed). */
export function wasmSingle(): Promise<WasmBackend> {
  single ??= must(initWasmBackend({ name: 'wasm-test', collector }));
  return single;
}

/** A wasm backend with one worker thread besides the caller, registered as 'wasm-test-threads'. */
export function wasmThreaded(): Promise<WasmBackend> {
  threaded ??= must(initWasmBackend({ name: 'wasm-test-threads', threads: 2, createWorker: nodeWorkerFactory(), collector }));
  return threaded;
}

/** `length` seeded standard normal float32 values in a fresh array of the backend (or the JS heap). */
export function randomF32(rng: RNG, length: number, into?: Float32Array): Float32Array {
  const a = into ?? new Float32Array(length);
  for (let i = 0; i < length; i++) a[i] = rng.normal();
  return a;
}

/** |a − b| ≤ atol + rtol·|b| elementwise (NaN matches NaN, infinities must be equal). */
export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-5, atol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const b = expected[i];
    if (Number.isNaN(b)) { assert.ok(Number.isNaN(a), `${what}[${i}]: ${a} is not NaN`); continue; }
    if (!Number.isFinite(b)) { assert.equal(a, b, `${what}[${i}]`); continue; }
    assert.ok(Math.abs(a - b) <= atol + rtol * Math.abs(b), `${what}[${i}]: ${a} vs ${b}`);
  }
}

/** Bitwise equality of two float32 arrays. */
export function assertIdentical(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths differ`);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} and ${b[i]} differ`);
  }
}
