// The fused kernels behind the optimizers and the cross-entropy loss: on float32 arrays of the wasm
// heap the optimizers' updates must equal their reference loops bit for bit (the loops run on plain
// arrays, which the fused hooks decline), for every option; the fused softmax cross-entropy must
// agree with the composed loss (logSoftmax, gather, mean) in value and gradient.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Linear, RNG, Sequential, Tensor, nn, getBackend, indexSelect, linear, linearRelu, logSoftmax, mul, relu, reshape, setBackend, sum, tensor } from '../../src/index.js';
import { crossEntropyLoss } from '../../src/nn/losses.js';
import { type AdamRule, type AdamState, type SGDRule, type SGDState, adamUpdate, adamUpdateAll, sgdUpdate, sgdUpdateAll } from '../../src/optim/index.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { assertAllClose, assertIdentical, randomF32, wasmSingle } from './helpers.js';

let wasm: WasmBackend;
before(async () => { wasm = await wasmSingle(); });

function on<T>(name: string, fn: () => T): T {
  const previous = getBackend().name;
  setBackend(name);
  try {
    return fn();
  } finally {
    setBackend(previous);
  }
}

function onHeap(src: Float32Array): Float32Array {
  const a = wasm.alloc('float32', src.length);
  a.set(src);
  return a;
}

const sizes = [1, 2, 3, 5, 64, 101];

describe('fused optimizer kernels equal the reference loops bit for bit', () => {
  const sgdRules: Array<Partial<SGDRule>> = [
    {},
    { weightDecay: 0.05 },
    { maximize: true },
    { momentum: 0.9 },
    { momentum: 0.9, dampening: 0.3 },
    { momentum: 0.8, nesterov: true },
    { momentum: 0.5, weightDecay: 0.1, maximize: true },
    { momentum: 0.7, nesterov: true, weightDecay: 0.02 },
  ];
  // A whole group at once (sgdUpdateAll: one table, one kernel call) against the reference loop per
  // parameter; the last parameter joins the group a step late, so its first momentum step comes
  // while the others' buffers are running.
  for (const partial of sgdRules) {
    test(`SGD ${JSON.stringify(partial)}`, () => {
      const rule: SGDRule = { lr: 0.07, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, ...partial };
      const rng = new RNG(3);
      const ps = sizes.map((n) => randomF32(rng, n));
      const fast = ps.map(onHeap);
      const refStates: SGDState[] = sizes.map(() => ({}));
      const fastStates: SGDState[] = sizes.map(() => ({}));
      for (let step = 0; step < 4; step++) {
        const members = step === 0 ? sizes.length - 1 : sizes.length;
        const gs = sizes.slice(0, members).map((n) => randomF32(rng, n));
        // Plain arrays: the reference loop (the backend's hook declines them).
        on('wasm-test', () => gs.forEach((g, i) => sgdUpdate(ps[i], g, refStates[i], rule)));
        on('wasm-test', () => sgdUpdateAll(gs.map((g, i) => ({ param: fast[i], grad: onHeap(g), state: fastStates[i] })), rule));
        sizes.forEach((n, i) => {
          assertIdentical(fast[i], ps[i], `n=${n} step ${step}`);
          if (rule.momentum !== 0 && i < members) assertIdentical(fastStates[i].momentumBuffer as Float32Array, refStates[i].momentumBuffer as Float32Array, `buffer n=${n}`);
        });
      }
    });
  }

  const adamRules: Array<Partial<AdamRule>> = [
    {},
    { weightDecay: 0.05 },
    { weightDecay: 0.05, decoupledWeightDecay: true },
    { maximize: true, amsgrad: true },
    { betas: [0.3, 0.9] }, // 1 − β₁ ≥ 0.5: lerp from the far end
    { betas: [0.7, 0.9], eps: 1e-6, weightDecay: 0.05, amsgrad: true, maximize: true },
  ];
  // A whole group at once (adamUpdateAll) against the reference loop per parameter; the first
  // parameter takes two steps alone first, so the group's step counts t (bias corrections) differ.
  for (const partial of adamRules) {
    test(`Adam ${JSON.stringify(partial)}`, () => {
      const rule: AdamRule = { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupledWeightDecay: false, ...partial };
      const rng = new RNG(5);
      const ps = sizes.map((n) => randomF32(rng, n));
      const fast = ps.map(onHeap);
      const fresh = (n: number, heap: boolean): AdamState => {
        const z = (): Float32Array => (heap ? wasm.alloc('float32', n) : new Float32Array(n));
        return { step: 0, expAvg: z(), expAvgSq: z(), ...(rule.amsgrad ? { maxExpAvgSq: z() } : {}) };
      };
      const refStates = sizes.map((n) => fresh(n, false));
      const fastStates = sizes.map((n) => fresh(n, true));
      for (let step = 0; step < 5; step++) {
        const members = step < 2 ? 1 : sizes.length;
        const gs = sizes.slice(0, members).map((n) => randomF32(rng, n));
        on('wasm-test', () => gs.forEach((g, i) => adamUpdate(ps[i], g, refStates[i], rule)));
        on('wasm-test', () => adamUpdateAll(gs.map((g, i) => ({ param: fast[i], grad: onHeap(g), state: fastStates[i] })), rule));
        sizes.forEach((n, i) => {
          assertIdentical(fast[i], ps[i], `n=${n} step ${step}`);
          assertIdentical(fastStates[i].expAvg as Float32Array, refStates[i].expAvg as Float32Array, `m n=${n}`);
          assertIdentical(fastStates[i].expAvgSq as Float32Array, refStates[i].expAvgSq as Float32Array, `v n=${n}`);
          if (rule.amsgrad) assertIdentical(fastStates[i].maxExpAvgSq as Float32Array, refStates[i].maxExpAvgSq as Float32Array, `vmax n=${n}`);
        });
      }
      assert.deepEqual(fastStates.map((st) => st.step), [5, 3, 3, 3, 3, 3]);
    });
  }

  test('the wasm hooks decline a group with any array outside the heap or float64, changing nothing', () => {
    const rule = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
    const item = (param: Float32Array | Float64Array, grad: Float32Array | Float64Array) => ({ param, grad, momentumBuffer: null, firstMomentumStep: false });
    const onHeapParam = onHeap(new Float32Array([1, 2, 3, 4]));
    const g = onHeap(new Float32Array([1, 1, 1, 1]));
    assert.equal(wasm.sgdStep([item(onHeapParam, g), item(new Float32Array(4), g)], rule), false);
    assert.equal(wasm.sgdStep([item(onHeapParam, g), item(new Float64Array(4), new Float64Array(4))], rule), false);
    assert.equal(wasm.sgdStep([item(onHeapParam, onHeap(new Float32Array(3)))], rule), false, 'a gradient of another length');
    assert.deepEqual([...onHeapParam], [1, 2, 3, 4]);
    assert.ok(wasm.sgdStep([item(onHeapParam, g)], rule));
    assert.deepEqual([...onHeapParam], [1, 2, 3, 4].map((v) => Math.fround(v - Math.fround(0.1))));
    // Adam likewise: one moment outside the heap declines the whole group.
    const adamRule = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupledDecay: null, maximize: false };
    const adamItem = (m: Float32Array) => ({ param: onHeapParam, grad: g, m, v: onHeap(new Float32Array(4)), vMax: null, stepSize: 0.01, bc2Sqrt: 0.03 });
    const before = [...onHeapParam];
    assert.equal(wasm.adamStep([adamItem(onHeap(new Float32Array(4))), adamItem(new Float32Array(4))], adamRule), false);
    assert.deepEqual([...onHeapParam], before);
    assert.ok(wasm.adamStep([adamItem(onHeap(new Float32Array(4)))], adamRule));
    assert.notDeepEqual([...onHeapParam], before);
  });
});

describe('fused softmax cross-entropy matches the composed loss', () => {
  for (const backend of ['js', 'wasm-test']) {
    test(`${backend}: value and gradient, float32, including huge logits`, () => {
      on(backend, () => {
        const rng = new RNG(9);
        for (const [n, c] of [[1, 1], [3, 4], [64, 10], [5, 17]]) {
          const values = randomF32(rng, n * c).map((v) => v * 4);
          if (n * c > 4) { values[1] = 80; values[2] = -90; }
          const labels = Array.from({ length: n }, () => rng.int(c));
          const x1 = tensor(values, { shape: [n, c], requiresGrad: true });
          const fused = crossEntropyLoss(x1, labels);
          fused.backward();
          const x2 = tensor(values, { shape: [n, c], requiresGrad: true });
          const flat = labels.map((y, i) => i * c + y);
          const composed = sum(indexSelect(reshape(logSoftmax(x2, -1), [n * c]), flat)).mul(-1 / n);
          composed.backward();
          assert.notEqual(fused.gradNode?.op, composed.gradNode?.op, 'the fused path ran');
          assertAllClose([fused.item()], [composed.item()], `loss ${n}×${c}`, 1e-5, 1e-6);
          assertAllClose((x1.grad as Tensor).data, (x2.grad as Tensor).data, `grad ${n}×${c}`, 1e-5, 1e-6);
        }
      });
    });
  }
});

describe('the fused dense layer with ReLU equals the separate ops', () => {
  test('linearRelu: the values of relu(linear(x, W, b)) and the same gradients, bit for bit; Sequential fuses Linear then ReLU', () => {
    on('wasm-test', () => {
      const rng = new RNG(31);
      for (const [m, k, n] of [[1, 3, 2], [5, 7, 9], [64, 50, 33]]) {
        const make = (len: number, shape: number[]): Tensor => tensor(randomF32(rng, len), { shape, requiresGrad: true });
        const x = make(m * k, [m, k]);
        const w = make(n * k, [n, k]);
        const b = make(n, [n]);
        const upstream = tensor(randomF32(rng, m * n), { shape: [m, n] });
        const run = (f: () => Tensor): Float32Array[] => {
          for (const t of [x, w, b]) t.grad = null;
          const y = f();
          sum(mul(y, upstream)).backward();
          return [y, x.grad!, w.grad!, b.grad!].map((t) => Float32Array.from(t.data));
        };
        const fused = run(() => linearRelu(x, w, b));
        const separate = run(() => relu(linear(x, w, b)));
        fused.forEach((a, i) => assertIdentical(a, separate[i], `${m}x${k}x${n} output/grad ${i}`));
        const layer = new Linear(k, n, { rng: new RNG(m) });
        const model = new Sequential(layer, new nn.ReLU());
        assertIdentical(Float32Array.from(model.forward(x).data), Float32Array.from(relu(layer.forward(x)).data), 'Sequential');
      }
    });
  });
});
