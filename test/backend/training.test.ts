// End to end on both backends: a few SGD steps of a small MLP (linear, ReLU, log-softmax,
// cross-entropy) from the same weights and data agree to float32 tolerance; and the wasm heap
// growing does not disturb live tensors.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RNG, Tensor, getBackend, setBackend, tensor, randn, linear, relu, logSoftmax, mul, sum, oneHot, noGrad,
} from '../../src/index.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { nodeSyncCollector } from '../../node/collector.js';
import { initWasmBackend } from '../../src/backend/wasm/index.js';
import { assertAllClose, wasmSingle } from './helpers.js';

let wasm: WasmBackend;
before(async () => { wasm = await wasmSingle(); });

/** Runs `fn` with `name` as the active backend. */
function on<T>(name: string, fn: () => T): T {
  const previous = getBackend().name;
  setBackend(name);
  try {
    return fn();
  } finally {
    setBackend(previous);
  }
}

/** Trains a 20-16-12-5 MLP for `steps` SGD steps on the active backend; returns the losses and weights. */
function train(steps: number): { losses: number[]; weights: Float32Array[] } {
  const rng = new RNG(42);
  const sizes = [20, 16, 12, 5];
  const params: Tensor[] = [];
  for (let l = 0; l < 3; l++) {
    params.push(randn([sizes[l + 1], sizes[l]], { rng, std: 1 / Math.sqrt(sizes[l]), requiresGrad: true }));
    params.push(randn([sizes[l + 1]], { rng, std: 0.1, requiresGrad: true }));
  }
  const x = randn([33, 20], { rng });
  const labels = Array.from({ length: 33 }, (_, i) => (i * 7) % 5);
  const y = oneHot(labels, 5);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const [w1, b1, w2, b2, w3, b3] = params;
    const h = relu(linear(relu(linear(x, w1, b1)), w2, b2));
    const loss = mul(sum(mul(logSoftmax(linear(h, w3, b3)), y)), -1 / 33);
    loss.backward();
    losses.push(loss.item());
    noGrad(() => {
      for (const p of params) {
        const g = p.grad!.data;
        for (let i = 0; i < p.size; i++) p.data[i] -= 0.5 * g[i];
        p.grad = null;
      }
    });
  }
  return { losses, weights: params.map((p) => Float32Array.from(p.data)) };
}

describe('training on the js and wasm backends', () => {
  test('five SGD steps of an MLP agree to float32 tolerance', () => {
    const ref = on('js', () => train(5));
    const got = on(wasm.name, () => train(5));
    assert.ok(ref.losses[4] < ref.losses[0], 'the loss goes down');
    assertAllClose(got.losses, ref.losses, 'losses', 1e-5, 1e-6);
    got.weights.forEach((w, i) => assertAllClose(w, ref.weights[i], `weights ${i}`, 1e-4, 1e-5));
  });

  test('tensors made on the wasm backend live in its heap', () => {
    on(wasm.name, () => {
      const t = tensor([[1, 2], [3, 4]]);
      assert.ok(wasm.heap.addressOf(t.data as Float32Array) >= 0);
      const u = linear(t, t);
      assert.deepEqual(Array.from(u.data), [5, 11, 11, 25]);
    });
  });
});

describe('wasm heap growth', () => {
  test('growing the memory keeps earlier tensors valid and in the heap', async () => {
    // With Node's collector: at the limit the heap first gives back what is garbage, then, with
    // every block still in use, says it is out of memory.
    const fresh = (await initWasmBackend({ name: 'wasm-growth', maxMemoryMiB: 512, collector: nodeSyncCollector() ?? undefined }))!;
    const old: Float32Array[] = [];
    for (let i = 0; i < 20; i++) {
      const a = fresh.alloc('float32', 1000 + i);
      for (let j = 0; j < a.length; j++) a[j] = i * 10000 + j;
      old.push(a);
    }
    const before = fresh.heap.reservedBytes;
    const hold: Float32Array[] = [];
    for (let i = 0; i < 40; i++) hold.push(fresh.alloc('float32', 2 ** 20)); // 160 MiB, live at once
    assert.ok(fresh.heap.reservedBytes > before + 100 * 2 ** 20, 'the memory grew');
    old.forEach((a, i) => {
      assert.ok(fresh.heap.addressOf(a) >= 0, 'an old view still counts as a heap array');
      for (let j = 0; j < a.length; j++) if (a[j] !== i * 10000 + j) assert.fail(`old tensor ${i} changed at ${j}`);
    });
    // Kernels still run on old views (made before the growth) and new ones alike.
    const out = fresh.alloc('float32', old[0].length);
    fresh.binary('add', old[0], [1], hold[39].subarray(0, old[0].length), [1], out, [old[0].length]);
    assert.equal(out[5], 5);
    assert.throws(() => { for (let i = 0; i < 100; i++) hold.push(fresh.alloc('float32', 2 ** 22)); }, /out of memory.*maxMemoryMiB/);
  });
});

describe('wasm heap in a loop that never yields', () => {
  // 1.6 GiB of arrays dropped at once, one after another, with no await in between.
  const churn = (b: WasmBackend): void => { for (let i = 0; i < 400; i++) b.alloc('float32', 2 ** 20)[0] = i; };

  test('with a synchronous collector (Node\'s) the garbage comes back and the heap stays small', async () => {
    const collector = nodeSyncCollector();
    assert.ok(collector, 'this Node offers a synchronous collector');
    const b = (await initWasmBackend({ name: 'wasm-sync-collector', collector }))!;
    churn(b);
    assert.ok(b.heap.reservedBytes < 400 * 2 ** 20, `the heap stayed at ${(b.heap.reservedBytes / 2 ** 20).toFixed(0)} MiB`);
  });

  test('without one it fails early, saying to use tidy() or await, not to ask for a bigger heap', async () => {
    const b = (await initWasmBackend({ name: 'wasm-no-collector' }))!;
    assert.throws(() => churn(b), (e: Error) => /waiting for the garbage collector.*tidy\(.*await between steps/.test(e.message) && !/maxMemoryMiB/.test(e.message));
    assert.ok(b.heap.reservedBytes <= 1.5 * 2 ** 30, 'it failed soon after 1 GiB, far from the 4 GiB limit');
  });
});
