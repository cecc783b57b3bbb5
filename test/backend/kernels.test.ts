// Every kernel of the wasm backend against the reference JS kernels, on seeded random data with odd
// sizes (1, 3, 17, 65 …), broadcast strides, every transpose flag, and inputs that live outside the
// wasm heap or are float64 (those take the copy-in and JS fallbacks).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RNG } from '../../src/tensor/rng.js';
import { jsBackend } from '../../src/backend/js/index.js';
import type { BinaryOp, MatmulSpec, ReduceOp, UnaryOp } from '../../src/backend/backend.js';
import { broadcastShapes, broadcastStrides, sizeOf, stridesOf } from '../../src/tensor/shape.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { coalesce } from '../../src/backend/wasm/backend.js';
import { sizeClass } from '../../src/backend/wasm/heap.js';
import { assertAllClose, randomF32, wasmSingle } from './helpers.js';

let wasm: WasmBackend;
before(async () => { wasm = await wasmSingle(); });

const sizes = [1, 3, 4, 7, 8, 17, 65, 100];

/** A heap array of the wasm backend holding `src`'s values. */
function onHeap(src: Float32Array): Float32Array {
  const a = wasm.alloc('float32', src.length);
  a.set(src);
  return a;
}

describe('wasm kernels match the JS reference', () => {
  test('alloc: zero-filled float32 views into the heap; float64/int32 on the JS heap', () => {
    for (const n of [0, 1, 5, 1000]) {
      const a = wasm.alloc('float32', n);
      assert.ok(a instanceof Float32Array && a.length === n && a.every((v) => v === 0));
      assert.ok(n === 0 || wasm.heap.addressOf(a) >= 0);
      a.fill(7);
    }
    // A reused block comes back zeroed.
    assert.ok(wasm.alloc('float32', 1000).every((v) => v === 0));
    assert.ok(wasm.alloc('float64', 3) instanceof Float64Array);
    assert.ok(wasm.alloc('int32', 3) instanceof Int32Array);
    assert.equal(wasm.heap.addressOf(new Float32Array(4)), -1);
    // Uninitialized blocks skip the zero-fill but are heap views of the asked length all the same.
    const u = wasm.allocUninitialized('float32', 1000);
    assert.ok(u.length === 1000 && wasm.heap.addressOf(u) >= 0);
    assert.ok(wasm.allocUninitialized('float64', 3).every((v) => v === 0));
  });

  test('size classes: 64-byte granules, at most 25% slack', () => {
    for (let b = 1; b < 1 << 22; b = Math.ceil(b * 1.37)) {
      const c = sizeClass(b);
      assert.ok(c >= b && c % 64 === 0 && (b <= 1024 || c <= b * 1.25), `${b} → ${c}`);
    }
  });

  const unaryOps: Array<[UnaryOp, { scalar?: number; min?: number; max?: number }]> = [
    ['copy', {}], ['neg', {}], ['abs', {}], ['square', {}], ['sqrt', {}], ['sign', {}], ['relu', {}], ['reluMask', {}],
    ['leakyRelu', { scalar: 0.2 }], ['leakyReluSlope', { scalar: 0.2 }], ['clamp', { min: -0.5, max: 0.7 }], ['clamp', { min: -Infinity, max: 0 }],
    ['exp', {}], ['log', {}], ['sigmoid', {}], ['tanh', {}], ['softplus', {}], ['powScalar', { scalar: 2 }], ['powScalar', { scalar: 3 }],
  ];
  for (const [op, param] of unaryOps) {
    test(`unary ${op} ${JSON.stringify(param)}`, () => {
      const rng = new RNG(1);
      for (const n of sizes) {
        const x = randomF32(rng, n);
        x[0] = 0;
        if (n > 2) x[2] = NaN;
        const want = new Float32Array(n);
        jsBackend.unary(op, x, want, param);
        const got = wasm.alloc('float32', n);
        wasm.unary(op, onHeap(x), got, param);
        assertAllClose(got, want, `${op} n=${n}`, 1e-6, 1e-7);
        // Input off the heap, output off the heap.
        const got2 = new Float32Array(n);
        wasm.unary(op, x, got2, param);
        assertAllClose(got2, want, `${op} off-heap n=${n}`, 1e-6, 1e-7);
      }
    });
  }

  const binaryOps: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'reluGrad'];
  const shapePairs: Array<[number[], number[]]> = [
    [[17], [17]], [[1], [65]], [[65], [1]], [[3, 17], [17]], [[3, 17], [3, 1]], [[3, 1], [1, 17]], [[], [7]],
    [[2, 3, 5], [3, 1]], [[4, 1, 3, 5], [1, 2, 1, 5]], [[64, 10], [64, 1]], [[5, 7, 9], [5, 7, 9]], [[2, 1, 9], [9]],
  ];
  for (const op of binaryOps) {
    test(`binary ${op} with broadcasting`, () => {
      const rng = new RNG(2);
      for (const [sa, sb] of shapePairs) {
        const shape = broadcastShapes(sa, sb, op);
        const a = randomF32(rng, sizeOf(sa));
        const b = randomF32(rng, sizeOf(sb));
        // Some ties and NaNs for the comparisons and max/min.
        if (a.length > 1 && b.length > 1) { a[1] = b[1]; a[0] = NaN; }
        if (op === 'pow') for (let i = 0; i < a.length; i++) a[i] = Math.abs(a[i]);
        const want = new Float32Array(sizeOf(shape));
        jsBackend.binary(op, a, broadcastStrides(sa, shape), b, broadcastStrides(sb, shape), want, shape);
        const got = wasm.alloc('float32', want.length);
        wasm.binary(op, onHeap(a), broadcastStrides(sa, shape), onHeap(b), broadcastStrides(sb, shape), got, shape);
        assertAllClose(got, want, `${op} ${JSON.stringify(sa)}·${JSON.stringify(sb)}`, 1e-6, 0);
      }
    });
  }

  test('binary: transposed (non-unit inner stride) operands and float64 fall back correctly', () => {
    const rng = new RNG(3);
    const a = randomF32(rng, 12);
    const b = randomF32(rng, 12);
    const shape = [3, 4];
    const ta = [1, 3]; // a read as the transpose of a (4, 3) matrix
    const want = new Float32Array(12);
    jsBackend.binary('sub', a, ta, b, stridesOf(shape), want, shape);
    const got = wasm.alloc('float32', 12);
    wasm.binary('sub', onHeap(a), ta, onHeap(b), stridesOf(shape), got, shape);
    assertAllClose(got, want, 'strided sub', 0, 0);
    const a64 = Float64Array.from(a);
    const want64 = new Float64Array(12);
    jsBackend.binary('mul', a64, stridesOf(shape), a64, stridesOf(shape), want64, shape);
    const got64 = new Float64Array(12);
    wasm.binary('mul', a64, stridesOf(shape), a64, stridesOf(shape), got64, shape);
    assert.deepEqual(got64, want64);
  });

  test('coalesce merges contiguous dimensions and drops size-1 ones', () => {
    assert.deepEqual(coalesce([2, 3, 4], [12, 4, 1], [12, 4, 1]), { shape: [24], sa: [1], sb: [1] });
    assert.deepEqual(coalesce([2, 3, 4], [12, 4, 1], [0, 0, 1]), { shape: [6, 4], sa: [4, 1], sb: [0, 1] });
    assert.deepEqual(coalesce([1, 5, 1], [5, 1, 1], [0, 0, 0]), { shape: [5], sa: [1], sb: [0] });
  });

  test('accumulate and select', () => {
    const rng = new RNG(4);
    for (const n of sizes) {
      const d = randomF32(rng, n);
      const s = randomF32(rng, n);
      const want = d.slice();
      jsBackend.accumulate(want, s);
      const got = onHeap(d);
      wasm.accumulate(got, onHeap(s));
      assertAllClose(got, want, `accumulate n=${n}`, 0, 0);
      const offHeap = d.slice();
      wasm.accumulate(offHeap, s);
      assertAllClose(offHeap, want, `accumulate off-heap n=${n}`, 0, 0);
      const c = randomF32(rng, n).map((v) => (v > 0 ? 1 : 0));
      const sw = new Float32Array(n);
      jsBackend.select(c, d, s, sw);
      const sg = wasm.alloc('float32', n);
      wasm.select(onHeap(c), onHeap(d), onHeap(s), sg);
      assertAllClose(sg, sw, `select n=${n}`, 0, 0);
    }
  });

  for (const op of ['sum', 'max', 'min'] as ReduceOp[]) {
    test(`reduce ${op} over (outer, length, inner)`, () => {
      const rng = new RNG(5);
      for (const [outer, length, inner] of [[1, 1, 1], [3, 17, 1], [2, 65, 1], [1, 100, 1], [4, 7, 5], [3, 17, 65], [2, 0, 3], [1, 3, 0], [5, 1, 8]]) {
        const x = randomF32(rng, outer * length * inner);
        if (x.length > 20 && op !== 'sum') x[10] = NaN;
        const want = new Float32Array(outer * inner);
        jsBackend.reduce(op, x, want, outer, length, inner);
        const got = wasm.alloc('float32', outer * inner);
        wasm.reduce(op, onHeap(x), got, outer, length, inner);
        assertAllClose(got, want, `${op} (${outer},${length},${inner})`, 1e-5, 1e-5);
      }
    });
  }

  test('argReduce, stridedCopy, gatherRows, scatterAddRows run on heap views', () => {
    const rng = new RNG(6);
    const x = onHeap(randomF32(rng, 3 * 17));
    const am = new Int32Array(3);
    wasm.argReduce('argmax', x, am, 3, 17, 1);
    const amRef = new Int32Array(3);
    jsBackend.argReduce('argmax', x, amRef, 3, 17, 1);
    assert.deepEqual(am, amRef);
    const t = wasm.alloc('float32', 51);
    wasm.stridedCopy(x, 0, [1, 17], t, 0, [3, 1], [17, 3], false);
    assert.equal(t[3 * 5 + 2], x[2 * 17 + 5]);
    const idx = Int32Array.from([2, 0, 2]);
    const g = wasm.alloc('float32', 3 * 17);
    wasm.gatherRows(x, idx, 17, g);
    assert.equal(g[17 + 4], x[4]);
    const s = wasm.alloc('float32', 3 * 17);
    wasm.scatterAddRows(g, idx, 17, s);
    assert.equal(s[2 * 17 + 1], 2 * x[2 * 17 + 1]);
  });

  test('gatherRows: the bulk-copy kernel equals the JS rows (repeats, rows of 1, 3 and 784 floats), and arrays outside the heap fall back', () => {
    const rng = new RNG(61);
    for (const rowSize of [1, 3, 784]) {
      const rows = 50;
      const x = onHeap(randomF32(rng, rows * rowSize));
      const idx = Int32Array.from({ length: 37 }, (_, i) => (i * 17 + (i % 3 === 0 ? 0 : 5)) % rows);
      idx[5] = idx[4]; // a repeated row
      const got = wasm.alloc('float32', idx.length * rowSize);
      wasm.gatherRows(x, idx, rowSize, got);
      const want = new Float32Array(idx.length * rowSize);
      jsBackend.gatherRows(x, idx, rowSize, want);
      assert.deepEqual(Array.from(got), Array.from(want), `rows of ${rowSize}`);
      const outside = new Float32Array(idx.length * rowSize);
      wasm.gatherRows(new Float32Array(x), idx, rowSize, outside);
      assert.deepEqual(Array.from(outside), Array.from(want), `rows of ${rowSize}, from outside the heap`);
    }
  });

  test('softmax cross-entropy: the wasm kernel computes what the JS one does, rows with ±∞ and NaN included', () => {
    const softmaxCrossEntropy = jsBackend.softmaxCrossEntropy!;
    const rng = new RNG(12);
    for (const [n, c] of [[1, 1], [3, 2], [64, 10], [17, 7], [5, 100]]) {
      const logits = onHeap(Float32Array.from(randomF32(rng, n * c), (v) => 8 * v));
      if (n >= 5 && c >= 2) {
        logits[c] = Infinity;
        logits[2 * c + 1] = -Infinity;
        logits[3 * c] = NaN;
        for (let j = 0; j < c; j++) logits[4 * c + j] = -Infinity;
      }
      const labels = Int32Array.from({ length: n }, () => rng.int(c));
      const probs = wasm.alloc('float32', n * c);
      const loss = wasm.softmaxCrossEntropy(logits, labels, n, c, probs) as number;
      const probsRef = new Float32Array(n * c);
      const lossRef = softmaxCrossEntropy(logits, labels, n, c, probsRef) as number;
      const what = `n ${n}, c ${c}`;
      if (Number.isNaN(lossRef)) assert.ok(Number.isNaN(loss), what);
      else assert.ok(Math.abs(loss - lossRef) <= 1e-14 * Math.max(1, Math.abs(lossRef)), `${what}: ${loss} vs ${lossRef}`);
      for (let i = 0; i < probs.length; i++) {
        if (Number.isNaN(probsRef[i])) assert.ok(Number.isNaN(probs[i]), `${what}: prob ${i}`);
        // musl's exp and the JS engine's may round a float64 differently in the last bit; float32 hides it but for a rare tie.
        else assert.ok(Math.abs(probs[i] - probsRef[i]) <= 2 ** -23 * Math.abs(probsRef[i]), `${what}: prob ${i}: ${probs[i]} vs ${probsRef[i]}`);
      }
    }
  });
});

describe('wasm matmul matches the JS reference', () => {
  const shapes: Array<[number, number, number]> = [
    [1, 1, 1], [1, 3, 1], [3, 1, 17], [17, 3, 65], [65, 17, 3], [7, 100, 9], [6, 8, 8], [12, 16, 24], [64, 65, 10], [13, 129, 31],
  ];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      test(`op(A)·op(B) transA=${transA} transB=${transB}`, () => {
        const rng = new RNG(7);
        for (const [m, k, n] of shapes) {
          const a = randomF32(rng, m * k);
          const b = randomF32(rng, k * n);
          const spec: MatmulSpec = { batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 };
          const want = new Float32Array(m * n);
          jsBackend.matmul(a, b, want, spec);
          const got = wasm.alloc('float32', m * n);
          got.fill(123); // the kernel overwrites, it does not accumulate
          wasm.matmul(onHeap(a), onHeap(b), got, spec);
          assertAllClose(got, want, `${m}×${k}×${n}`, 1e-4, 1e-4 * Math.sqrt(k));
          const offHeap = new Float32Array(m * n);
          wasm.matmul(a, b, offHeap, spec);
          assertAllClose(offHeap, got, `${m}×${k}×${n} off-heap`, 0, 0);
        }
      });
    }
  }

  test('batched, with a broadcast (stride 0) operand, and k = 0', () => {
    const rng = new RNG(8);
    const [batch, m, k, n] = [3, 5, 7, 9];
    const a = randomF32(rng, batch * m * k);
    const b = randomF32(rng, k * n);
    const spec: MatmulSpec = { batch, m, k, n, transA: false, transB: false, aBatchStride: m * k, bBatchStride: 0 };
    const want = new Float32Array(batch * m * n);
    jsBackend.matmul(a, b, want, spec);
    const got = wasm.alloc('float32', batch * m * n);
    wasm.matmul(onHeap(a), onHeap(b), got, spec);
    assertAllClose(got, want, 'batched', 1e-5, 1e-5);
    const spec2: MatmulSpec = { batch: 2, m: 4, k: 6, n: 3, transA: true, transB: true, aBatchStride: 0, bBatchStride: 18 };
    const a2 = randomF32(rng, 24);
    const b2 = randomF32(rng, 36);
    const want2 = new Float32Array(24);
    jsBackend.matmul(a2, b2, want2, spec2);
    const got2 = wasm.alloc('float32', 24);
    wasm.matmul(onHeap(a2), onHeap(b2), got2, spec2);
    assertAllClose(got2, want2, 'batched transposed', 1e-5, 1e-5);
    const empty = wasm.alloc('float32', 6);
    empty.fill(5);
    wasm.matmul(wasm.alloc('float32', 0), wasm.alloc('float32', 0), empty, { batch: 1, m: 2, k: 0, n: 3, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 });
    assert.ok(empty.every((v) => v === 0));
  });

  test('float64 operands use the JS kernel exactly', () => {
    const rng = new RNG(9);
    const a = Float64Array.from(randomF32(rng, 15));
    const b = Float64Array.from(randomF32(rng, 20));
    const spec: MatmulSpec = { batch: 1, m: 3, k: 5, n: 4, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
    const want = new Float64Array(12);
    jsBackend.matmul(a, b, want, spec);
    const got = new Float64Array(12);
    wasm.matmul(a, b, got, spec);
    assert.deepEqual(got, want);
  });

  test('fused matmul + bias (+ ReLU) equals matmul, then add, then relu on this backend, bit for bit', () => {
    const rng = new RNG(10);
    for (const [m, k, n] of [[64, 33, 17], [5, 8, 3], [6, 784, 128]] as const) {
      for (const relu of [false, true]) {
        const a = onHeap(randomF32(rng, m * k));
        const w = onHeap(randomF32(rng, n * k));
        const bias = onHeap(randomF32(rng, n));
        const spec: MatmulSpec = { batch: 1, m, k, n, transA: false, transB: true, aBatchStride: 0, bBatchStride: 0 };
        const plain = wasm.alloc('float32', m * n);
        wasm.matmul(a, w, plain, spec);
        const added = wasm.alloc('float32', m * n);
        wasm.binary('add', plain, [n, 1], bias, [0, 1], added, [m, n]);
        if (relu) wasm.unary('relu', added, added);
        const fused = wasm.alloc('float32', m * n);
        wasm.matmulFused(a, w, fused, spec, { bias, relu });
        assertAllClose(fused, added, `fused ${m}×${k}×${n} relu=${relu}`, 0, 0);
      }
    }
  });

  test('fused SGD step: p − lr·g in float32 (lr rounded to float32, each operation rounded)', () => {
    const rng = new RNG(11);
    const rule = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
    const item = (param: Float32Array, grad: Float32Array) => ({ param, grad, momentumBuffer: null, firstMomentumStep: false });
    for (const n of sizes) {
      const p = randomF32(rng, n);
      const g = randomF32(rng, n);
      const f = Math.fround;
      const want = p.map((v, i) => f(v - f(f(0.1) * g[i])));
      const got = onHeap(p);
      assert.ok(wasm.sgdStep([item(got, onHeap(g))], rule));
      assertAllClose(got, want, `sgd n=${n}`, 0, 0);
      // Arrays outside the heap are left to the optimizer's own loop.
      assert.equal(wasm.sgdStep([item(p, g)], rule), false);
    }
  });
});
