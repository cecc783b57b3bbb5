// The two builds of the wasm kernels: 'fma' (relaxed SIMD's fused multiply-add in matrix products)
// and 'simd' (a multiply then an add). Both must compute the same products to float32 accuracy,
// measured against a float64 reference, and train to the same losses; `fma: false` must give the
// portable build, and Node 20 must be able to run the fused one once relaxed SIMD is switched on.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RNG } from '../../src/tensor/rng.js';
import type { MatmulSpec } from '../../src/backend/backend.js';
import { setBackend } from '../../src/backend/registry.js';
import { type WasmBackend, initWasmBackend, relaxedSimdAvailable } from '../../src/backend/wasm/index.js';
import { SGD, crossEntropyLoss, linear, relu, tensor } from '../../src/index.js';
import { enableRelaxedSimd } from '../../node/relaxed-simd.js';
import { randomF32 } from './helpers.js';

let fma: WasmBackend;
let simd: WasmBackend;
before(async () => {
  assert.ok(enableRelaxedSimd(), 'relaxed SIMD runs on Node ≥ 20 once switched on');
  assert.ok(relaxedSimdAvailable());
  fma = (await initWasmBackend({ name: 'wasm-build-fma' }))!;
  simd = (await initWasmBackend({ name: 'wasm-build-simd', fma: false }))!;
});

/** float64 op(A)·op(B) (+ bias, ReLU) and, per element, Σ|a·b| (the scale of its rounding error). */
function reference(a: Float32Array, b: Float32Array, spec: MatmulSpec, bias: Float32Array | null, relu: boolean): { want: Float64Array; scale: Float64Array } {
  const { m, k, n, transA, transB } = spec;
  const want = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let abs = 0;
      for (let q = 0; q < k; q++) {
        const p = (transA ? a[q * m + i] : a[i * k + q]) * (transB ? b[j * k + q] : b[q * n + j]);
        s += p;
        abs += Math.abs(p);
      }
      if (bias) s += bias[j];
      want[i * n + j] = relu ? Math.max(0, s) : s;
      scale[i * n + j] = abs + (bias ? Math.abs(bias[j]) : 0);
    }
  }
  return { want, scale };
}

describe('wasm kernel builds', () => {
  test('fma: false gives the portable build; the default takes the fused one where relaxed SIMD runs', () => {
    assert.equal(simd.build, 'simd');
    assert.equal(fma.build, 'fma');
  });

  test('both builds compute products to float32 accuracy (error ≤ k·2⁻²⁴·Σ|a·b|), all tile edges and layouts', () => {
    const rng = new RNG(11);
    // Row counts around the 4-row tile and the 8-column panel; the step's shapes; a large product.
    const shapes: Array<[number, number, number]> = [[1, 5, 3], [2, 9, 8], [3, 17, 9], [5, 33, 15], [6, 64, 16], [7, 100, 17], [64, 784, 128], [130, 140, 70]];
    for (const [m, k, n] of shapes) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = randomF32(rng, m * k);
          const b = randomF32(rng, k * n);
          const bias = randomF32(rng, n);
          const spec: MatmulSpec = { batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 };
          const relu = (m + n) % 2 === 0;
          const { want, scale } = reference(a, b, spec, bias, relu);
          for (const backend of [fma, simd]) {
            const x = backend.alloc('float32', m * k);
            const y = backend.alloc('float32', k * n);
            const c = backend.alloc('float32', n);
            x.set(a);
            y.set(b);
            c.set(bias);
            const out = backend.alloc('float32', m * n);
            backend.matmulFused(x, y, out, spec, { bias: c, relu });
            const bound = (k + 2) * 2 ** -24;
            for (let e = 0; e < m * n; e++) {
              const err = Math.abs(out[e] - want[e]);
              assert.ok(err <= bound * scale[e] + 1e-30, `${backend.build} ${m}×${k}×${n} transA=${transA} transB=${transB} [${e}]: ${out[e]} vs ${want[e]}`);
            }
          }
        }
      }
    }
  });

  test('an MLP trained on each build reaches the same losses to float32 tolerance', () => {
    const losses: number[][] = [];
    for (const backend of [fma, simd]) {
      setBackend(backend.name);
      try {
        const rng = new RNG(5);
        const x = tensor(randomF32(rng, 64 * 20), { shape: [64, 20] });
        const labels = Int32Array.from({ length: 64 }, (_, i) => i % 3);
        const params = [
          tensor(randomF32(rng, 32 * 20).map((v) => v * 0.2), { shape: [32, 20], requiresGrad: true }),
          tensor(new Float32Array(32), { shape: [32], requiresGrad: true }),
          tensor(randomF32(rng, 3 * 32).map((v) => v * 0.2), { shape: [3, 32], requiresGrad: true }),
          tensor(new Float32Array(3), { shape: [3], requiresGrad: true }),
        ];
        const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
        const run: number[] = [];
        for (let step = 0; step < 30; step++) {
          const loss = crossEntropyLoss(linear(relu(linear(x, params[0], params[1])), params[2], params[3]), labels);
          opt.zeroGrad();
          loss.backward();
          opt.step();
          run.push(loss.item());
        }
        losses.push(run);
      } finally {
        setBackend('js');
      }
    }
    const [fused, portable] = losses;
    assert.ok(fused[29] < fused[0] * 0.5, `the loss falls (${fused[0]} → ${fused[29]})`);
    for (let s = 0; s < fused.length; s++) {
      assert.ok(Math.abs(fused[s] - portable[s]) <= 1e-4 * Math.abs(portable[s]), `step ${s}: ${fused[s]} vs ${portable[s]}`);
    }
  });
});
