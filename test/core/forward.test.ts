// Forward values of every op family against hand-computed (NumPy-checked) numbers, dtypes,
// creation functions, the seeded RNG, and the error messages users see.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RNG, Tensor, ShapeError, DTypeError, ValueError, getBackend, type MatmulSpec,
  tensor, zeros, ones, full, zerosLike, onesLike, eye, arange, linspace, randn, rand, randint,
  add, sub, mul, div, pow, maximum, minimum, neg, exp, log, sqrt, abs, square, clamp,
  sigmoid, tanh, relu, leakyRelu, softplus, softmax, logSoftmax,
  eq, ne, lt, le, gt, ge, where,
  sum, mean, max, min, argmax, argmin, logsumexp,
  matmul, linear, reshape, flatten, unsqueeze, squeeze, permute, transpose, broadcastTo, slice, narrow, concat, stack,
  indexSelect, oneHot, castTo,
} from '../../src/index.js';

/** Asserts shape and elementwise closeness to nested expected values. */
function close(t: Tensor, expected: number[] | number[][] | number[][][] | number, tol = 1e-6): void {
  const flat = (typeof expected === 'number' ? [expected] : (expected as unknown[]).flat(3)) as number[];
  const shape: number[] = [];
  for (let e: unknown = expected; Array.isArray(e); e = e[0]) shape.push(e.length);
  assert.deepEqual([...t.shape], shape, `shape ${JSON.stringify(t.shape)} ≠ ${JSON.stringify(shape)}`);
  assert.equal(t.size, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const a = t.data[i];
    const b = flat[i];
    if (Number.isNaN(b)) assert.ok(Number.isNaN(a), `element ${i}: ${a} is not NaN`);
    else if (!Number.isFinite(b)) assert.equal(a, b, `element ${i}`);
    else assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `element ${i}: ${a} ≠ ${b}`);
  }
}

function allFinite(t: Tensor): boolean {
  return t.data.every((v) => Number.isFinite(v));
}

/** Asserts `fn` throws `cls` whose message contains every fragment. */
function throwsWith(fn: () => unknown, cls: new (...a: never[]) => Error, ...fragments: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(f)}`);
    return true;
  });
}

const x234 = (): Tensor => reshape(arange(24, undefined, 1, { dtype: 'float64' }), [2, 3, 4]); // x[i,j,k] = 12i + 4j + k

describe('elementwise and broadcasting', () => {
  test('[3,1] + [1,4] gives the outer sum', () => {
    close(add(tensor([[1], [2], [3]]), tensor([[10, 20, 30, 40]])), [[11, 21, 31, 41], [12, 22, 32, 42], [13, 23, 33, 43]]);
  });
  test('[2,3] * [3] scales each column', () => {
    close(mul(tensor([[1, 2, 3], [4, 5, 6]]), tensor([10, 100, 1000])), [[10, 200, 3000], [40, 500, 6000]]);
  });
  test('[2,1,4] − [3,1] broadcasts to [2,3,4]', () => {
    const a = reshape(arange(8), [2, 1, 4]);
    const b = tensor([[0], [10], [20]]);
    const y = sub(a, b);
    assert.deepEqual([...y.shape], [2, 3, 4]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) {
      assert.equal(y.data[i * 12 + j * 4 + k], i * 4 + k - 10 * j);
    }
  });
  test('scalar operands on either side, and scalar tensors', () => {
    const a = tensor([1, 2, 4]);
    close(sub(10, a), [9, 8, 6]);
    close(div(a, 4), [0.25, 0.5, 1]);
    close(div(1, a), [1, 0.5, 0.25]);
    close(mul(tensor(3), a), [3, 6, 12]);
    close(add(tensor(2), tensor(5)), 7);
    close(add(2, 5), 7);
  });
  test('pow, maximum, minimum', () => {
    close(pow(tensor([2, 3, 4]), tensor([3, 2, 0.5])), [8, 9, 2]);
    close(pow(tensor([2, -3, 4]), 2), [4, 9, 16]);
    close(pow(tensor([-2, 3]), 3), [-8, 27]);
    close(pow(2, tensor([0, 1, 10])), [1, 2, 1024]);
    close(maximum(tensor([[1, 5], [3, -2]]), tensor([2, 2])), [[2, 5], [3, 2]]);
    close(minimum(tensor([[1, 5], [3, -2]]), 2), [[1, 2], [2, -2]]);
  });
  test('unary functions', () => {
    close(neg(tensor([1, -2])), [-1, 2]);
    close(exp(tensor([0, 1], { dtype: 'float64' })), [1, Math.E], 1e-15);
    close(log(tensor([1, Math.E * Math.E], { dtype: 'float64' })), [0, 2], 1e-15);
    close(sqrt(tensor([4, 2])), [2, Math.SQRT2]);
    close(abs(tensor([-3, 0, 2])), [3, 0, 2]);
    close(square(tensor([-3, 0.5])), [9, 0.25]);
    close(clamp(tensor([-2, -0.5, 0, 0.7, 3]), -1, 0.5), [-1, -0.5, 0, 0.5, 0.5]);
    close(clamp(tensor([-2, 3]), 0), [0, 3]);
    close(log(tensor([0, -1])), [-Infinity, NaN]);
  });
  test('activations at known points', () => {
    close(sigmoid(tensor([0, 2, -2], { dtype: 'float64' })), [0.5, 0.8807970779778823, 0.11920292202211755], 1e-15);
    close(tanh(tensor([0, 1])), [0, 0.7615941559557649]);
    close(relu(tensor([-1, 0, 2])), [0, 0, 2]);
    close(leakyRelu(tensor([-1, 0, 2])), [-0.01, 0, 2]);
    close(leakyRelu(tensor([-2, 3]), 0.2), [-0.4, 3]);
    close(softplus(tensor([0, 1, -1], { dtype: 'float64' })), [Math.LN2, 1.3132616875182228, 0.31326168751822286], 1e-15);
    throwsWith(() => leakyRelu(tensor([1]), NaN), ValueError, 'leakyRelu slope');
  });
  test('comparisons return 1/0 and broadcast', () => {
    const a = tensor([[1, 2, 3], [3, 2, 1]]);
    const b = tensor([2, 2, 2]);
    close(eq(a, b), [[0, 1, 0], [0, 1, 0]]);
    close(ne(a, b), [[1, 0, 1], [1, 0, 1]]);
    close(lt(a, b), [[1, 0, 0], [0, 0, 1]]);
    close(le(a, b), [[1, 1, 0], [0, 1, 1]]);
    close(gt(a, 2), [[0, 0, 1], [1, 0, 0]]);
    close(ge(a, 2), [[0, 1, 1], [1, 1, 0]]);
    assert.equal(a.gt(b).requiresGrad, false);
    assert.equal(gt(tensor([1], { requiresGrad: true }), 0).requiresGrad, false);
  });
  test('where picks from broadcast branches; the condition may be int32', () => {
    const cond = tensor([[1, 0, 1], [0, 0, 1]]);
    close(where(cond, tensor([10, 20, 30]), tensor([[-1], [-2]])), [[10, -1, 30], [-2, -2, 30]]);
    close(where(tensor([1, 0, 1], { dtype: 'int32' }), tensor([1, 2, 3]), 0), [1, 0, 3]);
    close(where(lt(tensor([1, 5, 3]), 3), 7, tensor([0, 0, 0])), [7, 0, 0]);
  });
});

describe('reductions', () => {
  test('sum over one, several and all axes, with and without keepdims', () => {
    const x = x234();
    close(sum(x, 0), [[12, 14, 16, 18], [20, 22, 24, 26], [28, 30, 32, 34]]);
    close(sum(x, -1), [[6, 22, 38], [54, 70, 86]]);
    close(sum(x, [0, 2]), [60, 92, 124]); // Σᵢₖ 12i + 4j + k = 60 + 32j
    close(sum(x, [0, 2], { keepdims: true }), [[[60], [92], [124]]]);
    close(sum(x), 276);
    assert.deepEqual([...sum(x, undefined, { keepdims: true }).shape], [1, 1, 1]);
    assert.deepEqual([...sum(x, 1, { keepdims: true }).shape], [2, 1, 4]);
  });
  test('mean, max, min', () => {
    const x = x234();
    close(mean(x, 1), [[4, 5, 6, 7], [16, 17, 18, 19]]);
    close(mean(x), 11.5);
    close(mean(x, [1, 2], { keepdims: true }), [[[5.5]], [[17.5]]]);
    close(max(x, -1), [[3, 7, 11], [15, 19, 23]]);
    close(max(x, [0, 1]), [20, 21, 22, 23]);
    close(min(x, 0, { keepdims: true }), [[[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]]);
    close(min(x), 0);
    close(max(tensor([[-5, -1], [-3, -4]]), 1), [-1, -3]);
  });
  test('logsumexp matches the direct formula and keeps dims', () => {
    close(logsumexp(tensor([1, 2, 3], { dtype: 'float64' })), 3.4076059644443806, 1e-14);
    const x = tensor([[0, Math.log(3)], [Math.log(2), Math.log(2)]], { dtype: 'float64' });
    close(logsumexp(x, 1), [Math.log(4), Math.log(4)], 1e-14);
    close(logsumexp(x, 0, { keepdims: true }), [[Math.log(3), Math.log(5)]], 1e-14);
    close(logsumexp(tensor([-Infinity, -Infinity])), -Infinity);
  });
  test('reducing a scalar over axis 0 returns it (no axis to reduce)', () => {
    close(sum(tensor(3), 0), 3);
    close(max(tensor(3), 0), 3);
    close(mean(tensor(3), 0), 3);
  });
  test('argmax/argmin: int32, first index on ties, axes and keepdims', () => {
    const x = tensor([[1, 5, 5], [7, 7, 2]]);
    const am = argmax(x, 1);
    assert.equal(am.dtype, 'int32');
    assert.deepEqual(am.toArray(), [1, 0]);
    assert.deepEqual(argmax(x, 0).toArray(), [1, 1, 0]);
    assert.deepEqual(argmin(x, 0).toArray(), [0, 0, 1]);
    assert.deepEqual(argmin(x, -1).toArray(), [0, 2]);
    assert.equal(argmax(x).item(), 3); // flattened: 7 first at 3
    assert.equal(argmin(tensor([2, 1, 1, 3])).item(), 1);
    assert.deepEqual([...argmax(x, 1, { keepdims: true }).shape], [2, 1]);
    assert.deepEqual([...argmax(x, undefined, { keepdims: true }).shape], [1, 1]);
    const y = x234();
    assert.deepEqual(argmax(y, 1).toArray(), [[2, 2, 2, 2], [2, 2, 2, 2]]);
    assert.deepEqual(argmin(neg(y), 2).toArray(), [[3, 3, 3], [3, 3, 3]]);
  });
});

describe('softmax family and numerical stability', () => {
  test('softmax values and rows summing to 1', () => {
    close(softmax(tensor([1, 2, 3], { dtype: 'float64' })), [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], 1e-14);
    const rng = new RNG(3);
    const s = softmax(randn([5, 7], { rng, std: 3 }));
    close(sum(s, 1), [1, 1, 1, 1, 1], 1e-6);
    assert.ok(s.data.every((v) => v > 0 && v < 1));
    const s0 = softmax(randn([4, 3], { rng, dtype: 'float64' }), 0);
    close(sum(s0, 0), [1, 1, 1], 1e-14);
    close(exp(logSoftmax(tensor([[1, 2, 3]], { dtype: 'float64' }))), [[0.09003057317038046, 0.24472847105479767, 0.6652409557748219]], 1e-14);
  });
  for (const dtype of ['float32', 'float64'] as const) {
    test(`±1000 gives no NaN or Inf (${dtype})`, () => {
      // float32 holds 1000 + ln 2 only to ~6e-5, so its tolerance is relative to that magnitude.
      const tol = dtype === 'float32' ? 1e-4 : 1e-12;
      const big = tensor([[1000, -1000, 0], [1000, 1000, -1000]], { dtype });
      close(logSoftmax(big), [[0, -2000, -1000], [-Math.LN2, -Math.LN2, -2000 - Math.LN2]], tol);
      close(softmax(big), [[1, 0, 0], [0.5, 0.5, 0]], tol);
      close(logsumexp(big, 1), [1000, 1000 + Math.LN2], tol);
      close(logsumexp(tensor([[-1000, -1000], [-1000, -3000]], { dtype }), 1), [-1000 + Math.LN2, -1000], tol);
      const z = tensor([1000, -1000], { dtype });
      close(sigmoid(z), [1, 0]);
      close(softplus(z), [1000, 0]);
      for (const t of [logSoftmax(big), softmax(big), logsumexp(big), sigmoid(z), softplus(z), tanh(z)]) assert.ok(allFinite(t));
      // and their gradients
      const g = tensor([[1000, -1000, 0]], { dtype, requiresGrad: true });
      sum(mul(logSoftmax(g), tensor([[1, 2, 3]], { dtype }))).backward();
      assert.ok(g.grad && allFinite(g.grad));
      close(g.grad!, [[1 - 6, 2, 3]], 1e-6); // ∂/∂x (wᵀ logSoftmax x) = w − (Σw)·softmax(x)
      const s = tensor([1000, -1000], { dtype, requiresGrad: true });
      sum(add(sigmoid(s), softplus(s))).backward();
      close(s.grad!, [1, 0]); // σ′ + σ: 0 + 1 at +1000, 0 + 0 at −1000
    });
  }
});

describe('matrix products', () => {
  function naive(a: ArrayLike<number>, b: ArrayLike<number>, s: MatmulSpec): number[] {
    const out: number[] = [];
    for (let p = 0; p < s.batch; p++) for (let i = 0; i < s.m; i++) for (let j = 0; j < s.n; j++) {
      let acc = 0;
      for (let q = 0; q < s.k; q++) {
        const av = s.transA ? a[p * s.aBatchStride + q * s.m + i] : a[p * s.aBatchStride + i * s.k + q];
        const bv = s.transB ? b[p * s.bBatchStride + j * s.k + q] : b[p * s.bBatchStride + q * s.n + j];
        acc += av * bv;
      }
      out.push(acc);
    }
    return out;
  }
  for (const transA of [false, true]) for (const transB of [false, true]) for (const shared of ['none', 'a', 'b'] as const) {
    test(`backend kernel transA=${transA} transB=${transB}, ${shared === 'none' ? 'full batch' : `one ${shared} matrix reused`}`, () => {
      const rng = new RNG(11);
      const [batch, m, k, n] = [3, 4, 5, 2];
      const spec: MatmulSpec = {
        batch, m, k, n, transA, transB,
        aBatchStride: shared === 'a' ? 0 : m * k,
        bBatchStride: shared === 'b' ? 0 : k * n,
      };
      const a = Float64Array.from({ length: (shared === 'a' ? 1 : batch) * m * k }, () => rng.normal());
      const b = Float64Array.from({ length: (shared === 'b' ? 1 : batch) * k * n }, () => rng.normal());
      const out = new Float64Array(batch * m * n).fill(123); // stale contents must be overwritten
      getBackend().matmul(a, b, out, spec);
      const ref = naive(a, b, spec);
      for (let i = 0; i < ref.length; i++) assert.ok(Math.abs(out[i] - ref[i]) < 1e-12, `element ${i}: ${out[i]} ≠ ${ref[i]}`);
    });
  }
  test('2-D, batched, broadcast batch and vector cases', () => {
    close(matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])), [[19, 22], [43, 50]]);
    close(matmul(tensor([1, 2]), tensor([[5, 6], [7, 8]])), [19, 22]);
    close(matmul(tensor([[5, 6], [7, 8]]), tensor([1, 2])), [17, 23]);
    close(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])), 32);
    const A = tensor([[[1, 0], [0, 1]], [[2, 0], [0, 3]]]);
    close(matmul(A, tensor([[1, 2], [3, 4]])), [[[1, 2], [3, 4]], [[2, 4], [9, 12]]]);
    close(matmul(tensor([[1, 1]]), A), [[[1, 1]], [[2, 3]]]);
    close(matmul(A, tensor([1, 1])), [[1, 1], [2, 3]]);
    close(matmul(tensor([1, 1]), A), [[1, 1], [2, 3]]);
    // partial batch broadcast [2,1] with [3]: NumPy gives shape [2, 3, 1, 1]
    const P = reshape(tensor([1, 2]), [2, 1, 1, 1]);
    const Q = reshape(tensor([10, 20, 30]), [3, 1, 1]);
    close(matmul(P, Q), [[[[10]], [[20]], [[30]]], [[[20]], [[40]], [[60]]]] as unknown as number[][][]);
  });
  test('linear is x·Wᵀ + b', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    const w = tensor([[1, 0], [0, 1], [1, 1]]);
    close(linear(x, w), [[1, 2, 3], [3, 4, 7], [5, 6, 11]]);
    close(linear(x, w, tensor([10, 20, 30])), [[11, 22, 33], [13, 24, 37], [15, 26, 41]]);
  });
});

describe('shape ops and indexing', () => {
  const m = (): Tensor => tensor([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
  test('reshape, flatten, squeeze, unsqueeze, transpose, permute', () => {
    close(reshape(m(), [2, -1]), [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]]);
    assert.deepEqual([...flatten(x234(), 1).shape], [2, 12]);
    assert.deepEqual([...squeeze(zeros([1, 3, 1])).shape], [3]);
    assert.deepEqual([...squeeze(zeros([1, 3, 1]), -1).shape], [1, 3]);
    assert.deepEqual([...unsqueeze(zeros([2, 3]), 1).shape], [2, 1, 3]);
    assert.deepEqual([...unsqueeze(zeros([2, 3]), -1).shape], [2, 3, 1]);
    close(transpose(tensor([[1, 2, 3], [4, 5, 6]])), [[1, 4], [2, 5], [3, 6]]);
    const p = permute(x234(), [2, 0, 1]);
    assert.deepEqual([...p.shape], [4, 2, 3]);
    for (let k = 0; k < 4; k++) for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) assert.equal(p.data[k * 6 + i * 3 + j], 12 * i + 4 * j + k);
    close(transpose(x234(), 0, 2), permute(x234(), [2, 1, 0]).toArray() as number[][][]);
  });
  test('slice with steps and negative indices, narrow', () => {
    close(slice(m(), [1]), [[4, 5, 6, 7], [8, 9, 10, 11]]);
    close(slice(m(), [0, 1], [undefined, 3]), [[1, 2], [5, 6], [9, 10]]);
    close(slice(m(), [-1, -3]), [[9, 10, 11]]);
    close(slice(m(), [0, 0], [3, 4], [2, 3]), [[0, 3], [8, 11]]);
    close(slice(arange(10), [-8], [-1], [3]), [2, 5, 8]);
    assert.equal(slice(arange(10), [8], [2]).size, 0);
    close(slice(arange(5), [-100], [100]), [0, 1, 2, 3, 4]);
    close(narrow(m(), 1, 1, 2), [[1, 2], [5, 6], [9, 10]]);
    close(narrow(m(), 0, 2, 1), [[8, 9, 10, 11]]);
  });
  test('concat and stack', () => {
    close(concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]), [[1, 2], [3, 4], [5, 6]]);
    close(concat([tensor([[1], [2]]), tensor([[3, 4], [5, 6]])], 1), [[1, 3, 4], [2, 5, 6]]);
    close(concat([tensor([1, 2]), tensor([3]), tensor([4, 5])], -1), [1, 2, 3, 4, 5]);
    close(stack([tensor([1, 2]), tensor([3, 4])]), [[1, 2], [3, 4]]);
    close(stack([tensor([1, 2]), tensor([3, 4]), tensor([5, 6])], 1), [[1, 3, 5], [2, 4, 6]]);
    close(stack([tensor([1, 2]), tensor([3, 4])], -1), [[1, 3], [2, 4]]);
  });
  test('broadcastTo repeats', () => {
    close(broadcastTo(tensor([[1], [2]]), [2, 3]), [[1, 1, 1], [2, 2, 2]]);
    close(broadcastTo(tensor(5), [2]), [5, 5]);
    close(broadcastTo(tensor([1, 2]), [2, 2]), [[1, 2], [1, 2]]);
  });
  test('indexSelect with repeats and int32 indices; oneHot', () => {
    close(indexSelect(m(), [2, 0, 2]), [[8, 9, 10, 11], [0, 1, 2, 3], [8, 9, 10, 11]]);
    close(indexSelect(tensor([10, 20, 30]), tensor([1, 1, 0], { dtype: 'int32' })), [20, 20, 10]);
    const labels = tensor([2, 0, 1], { dtype: 'int32' });
    const oh = oneHot(labels, 3);
    assert.equal(oh.dtype, 'float32');
    close(oh, [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    assert.equal(oneHot([1], 2, 'float64').dtype, 'float64');
    throwsWith(() => oneHot([3], 3), ValueError, 'oneHot', 'index 3', '[0, 3)');
    throwsWith(() => oneHot([0], 0), ValueError, 'numClasses');
  });
});

describe('dtypes', () => {
  test('float32 is the default and rounds; float64 keeps full precision', () => {
    const a = tensor([0.1, 1 / 3]);
    assert.equal(a.dtype, 'float32');
    assert.ok(a.data instanceof Float32Array);
    assert.equal(a.data[0], Math.fround(0.1));
    assert.notEqual(a.data[0], 0.1);
    const b = tensor([0.1, 1 / 3], { dtype: 'float64' });
    assert.equal(b.data[0], 0.1);
    assert.equal(b.data[1], 1 / 3);
    // 2²⁴ + 1 is not a float32
    assert.equal(add(tensor([16777216]), 1).item(), 16777216);
    assert.equal(add(tensor([16777216], { dtype: 'float64' }), 1).item(), 16777217);
    for (const t of [exp(a), sum(a), matmul(reshape(a, [1, 2]), reshape(a, [2, 1])), softmax(a), zeros([2]), randn([2]), arange(3)]) assert.equal(t.dtype, 'float32');
  });
  test('promotion: the wider float wins; numbers take the tensor dtype', () => {
    const f32 = tensor([1, 2]);
    const f64 = tensor([1, 2], { dtype: 'float64' });
    assert.equal(add(f32, f64).dtype, 'float64');
    assert.equal(mul(f64, f32).dtype, 'float64');
    assert.equal(add(f32, 0.1).dtype, 'float32');
    assert.equal(add(f32, 0.1).data[0], Math.fround(1 + Math.fround(0.1)));
    assert.equal(mul(2, f64).dtype, 'float64');
    assert.equal(matmul(reshape(f32, [1, 2]), reshape(f64, [2, 1])).dtype, 'float64');
    assert.equal(where(tensor([1, 0]), f32, f64).dtype, 'float64');
    assert.equal(maximum(f32, f64).dtype, 'float64');
    assert.equal(castTo(f32, 'float64').dtype, 'float64');
    assert.deepEqual(castTo(tensor([1.7, -2.2]), 'int32').toArray(), [1, -2]);
  });
  test('int32 is rejected by arithmetic with a DTypeError naming the op', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    throwsWith(() => add(i, 1), DTypeError, 'add', 'int32');
    throwsWith(() => mul(tensor([1, 2]), i), DTypeError, 'mul', 'int32');
    throwsWith(() => exp(i), DTypeError, 'exp', 'int32');
    throwsWith(() => sum(i), DTypeError, 'sum', 'int32');
    throwsWith(() => matmul(reshape(i, [1, 2]), reshape(i, [2, 1])), DTypeError, 'matmul');
    throwsWith(() => softmax(i), DTypeError);
    throwsWith(() => tensor([1], { dtype: 'int32', requiresGrad: true }), DTypeError);
    throwsWith(() => zeros([2], { dtype: 'int32', requiresGrad: true }), DTypeError);
    throwsWith(() => concat([tensor([1]), tensor([1], { dtype: 'float64' })]), DTypeError, 'concat', 'float32', 'float64');
  });
});

describe('creation', () => {
  test('tensor from nested arrays, numbers and typed arrays', () => {
    const t = tensor([[[1, 2]], [[3, 4]], [[5, 6]]]);
    assert.deepEqual([...t.shape], [3, 1, 2]);
    assert.deepEqual(t.toArray(), [[[1, 2]], [[3, 4]], [[5, 6]]]);
    assert.deepEqual(t.toFlatArray(), [1, 2, 3, 4, 5, 6]);
    const s = tensor(2.5);
    assert.deepEqual([...s.shape], []);
    assert.equal(s.item(), 2.5);
    assert.deepEqual([...tensor([]).shape], [0]);
    const f64 = new Float64Array([1, 2, 3, 4, 5, 6]);
    const v = tensor(f64, { shape: [2, 3] });
    assert.equal(v.dtype, 'float64');
    assert.deepEqual(v.toArray(), [[1, 2, 3], [4, 5, 6]]);
    f64[0] = 99; // the tensor owns a copy
    assert.equal(v.data[0], 1);
    assert.equal(tensor(new Int32Array([1, 2])).dtype, 'int32');
    assert.equal(tensor(new Float64Array([1.5]), { dtype: 'float32' }).dtype, 'float32');
    assert.equal(tensor([[1, 2]], { dtype: 'int32' }).dtype, 'int32');
    assert.deepEqual(tensor([1, 2, 3, 4], { shape: [2, 2] }).toArray(), [[1, 2], [3, 4]]);
    throwsWith(() => tensor([[1, 2], [3]]), ShapeError, 'ragged');
    throwsWith(() => tensor(new Float32Array(5), { shape: [2, 3] }), ShapeError, '5', '[2, 3]');
    throwsWith(() => tensor([1, 2, 3], { shape: [2, 2] }), ShapeError, '[2, 2]');
    throwsWith(() => zeros([2, -1]), ShapeError, 'invalid shape', '[2, -1]');
  });
  test('zeros, ones, full, *Like, eye', () => {
    close(zeros([2, 2]), [[0, 0], [0, 0]]);
    close(ones([3]), [1, 1, 1]);
    close(full([2], -1.5), [-1.5, -1.5]);
    assert.equal(full([1], 7, { dtype: 'int32' }).dtype, 'int32');
    const d = tensor([[1, 2]], { dtype: 'float64' });
    const zl = zerosLike(d);
    assert.equal(zl.dtype, 'float64');
    close(zl, [[0, 0]]);
    close(onesLike(d), [[1, 1]]);
    close(eye(3), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    assert.equal(ones([2], { requiresGrad: true }).requiresGrad, true);
  });
  test('arange and linspace', () => {
    close(arange(5), [0, 1, 2, 3, 4]);
    close(arange(2, 8, 2), [2, 4, 6]);
    close(arange(1, 0, -0.25), [1, 0.75, 0.5, 0.25]);
    close(arange(0, 1, 0.1, { dtype: 'float64' }), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 1e-15);
    assert.equal(arange(3, 3).size, 0);
    throwsWith(() => arange(0, 1, 0), ValueError, 'step');
    close(linspace(0, 1, 5), [0, 0.25, 0.5, 0.75, 1]);
    close(linspace(-1, 1, 3, { dtype: 'float64' }), [-1, 0, 1]);
    close(linspace(2, 5, 1), [2]);
    assert.equal(linspace(0, 1, 0).size, 0);
    assert.equal(linspace(0, 0.3, 4, { dtype: 'float64' }).data[3], 0.3); // the end is exact
  });
  test('randn and rand statistics', () => {
    const n = 40000;
    const z = randn([n], { rng: new RNG(1), dtype: 'float64' });
    const m = mean(z).item();
    const v = mean(square(sub(z, m))).item();
    assert.ok(Math.abs(m) < 0.02, `mean ${m}`); // 4σ of the sample mean is 0.02
    assert.ok(Math.abs(v - 1) < 0.03, `variance ${v}`);
    const fracWithin1 = mean(lt(abs(z), 1)).item();
    assert.ok(Math.abs(fracWithin1 - 0.6827) < 0.01, `P(|z|<1) = ${fracWithin1}`);
    const shifted = randn([n], { rng: new RNG(2), mean: 5, std: 0.5, dtype: 'float64' });
    assert.ok(Math.abs(mean(shifted).item() - 5) < 0.01);
    assert.ok(Math.abs(Math.sqrt(mean(square(sub(shifted, 5))).item()) - 0.5) < 0.01);
    const u = rand([n], { rng: new RNG(3), dtype: 'float64' });
    assert.ok(u.data.every((x) => x >= 0 && x < 1));
    assert.ok(Math.abs(mean(u).item() - 0.5) < 0.006);
    assert.ok(Math.abs(mean(square(sub(u, 0.5))).item() - 1 / 12) < 0.003);
    const r = rand([1000], { rng: new RNG(4), low: -3, high: -2 });
    assert.ok(r.data.every((x) => x >= -3 && x < -2));
    const ri = randint(4, [4000], { rng: new RNG(5) });
    assert.equal(ri.dtype, 'int32');
    const counts = [0, 0, 0, 0];
    for (const k of ri.data) counts[k]++;
    for (const c of counts) assert.ok(Math.abs(c - 1000) < 120, `counts ${counts}`);
  });
  test('random tensors are deterministic per seed and differ across seeds', () => {
    assert.deepEqual(randn([50], { rng: new RNG(42) }).toFlatArray(), randn([50], { rng: new RNG(42) }).toFlatArray());
    assert.deepEqual(rand([50], { rng: new RNG(42) }).toFlatArray(), rand([50], { rng: new RNG(42) }).toFlatArray());
    assert.notDeepEqual(randn([50], { rng: new RNG(42) }).toFlatArray(), randn([50], { rng: new RNG(43) }).toFlatArray());
    // One generator continues its stream: two draws of 25 equal one of 50.
    const g = new RNG(9);
    const halves = [...randn([25], { rng: g, dtype: 'float64' }).data, ...randn([25], { rng: g, dtype: 'float64' }).data];
    assert.deepEqual(halves, randn([50], { rng: new RNG(9), dtype: 'float64' }).toFlatArray());
  });
});

describe('RNG', () => {
  test('uniform is in [0, 1) and the same seed gives the same stream', () => {
    const a = new RNG(123);
    const b = new RNG(123);
    for (let i = 0; i < 1000; i++) {
      const x = a.uniform();
      assert.equal(x, b.uniform());
      assert.ok(x >= 0 && x < 1);
    }
    assert.notEqual(new RNG(0).nextUint32(), new RNG(1).nextUint32());
  });
  test('state save/restore continues identically, including a pending normal deviate', () => {
    const rng = new RNG(7);
    rng.normal(); // leaves the pair's second value pending
    const state = rng.getState();
    assert.notEqual(state.spareNormal, null);
    const after = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? rng.uniform() : rng.normal()));
    const restored = RNG.fromState(JSON.parse(JSON.stringify(state)));
    assert.deepEqual(Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? restored.uniform() : restored.normal())), after);
    rng.setState(state);
    assert.deepEqual(Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? rng.uniform() : rng.normal())), after);
    assert.throws(() => rng.setState({ s: [1, 2, 3], spareNormal: null } as never), ValueError);
  });
  test('permutation is a permutation, and shuffles', () => {
    const rng = new RNG(5);
    for (const n of [0, 1, 2, 10, 1000]) {
      const p = rng.permutation(n);
      assert.equal(p.length, n);
      assert.deepEqual(Array.from(p).sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i));
    }
    const p = rng.permutation(1000);
    let fixed = 0;
    for (let i = 0; i < 1000; i++) if (p[i] === i) fixed++;
    assert.ok(fixed < 10, `${fixed} fixed points`); // expected 1
    // each position is uniform: element 0 lands in the first half about half the time
    let firstHalf = 0;
    for (let t = 0; t < 2000; t++) if (rng.permutation(10).indexOf(0) < 5) firstHalf++;
    assert.ok(Math.abs(firstHalf - 1000) < 150, `${firstHalf}`);
  });
  test('int is unbiased and in range; bad arguments are named', () => {
    const rng = new RNG(8);
    const counts = new Array<number>(3).fill(0);
    for (let i = 0; i < 30000; i++) counts[rng.int(3)]++;
    for (const c of counts) assert.ok(Math.abs(c - 10000) < 400, `${counts}`);
    throwsWith(() => rng.int(0), ValueError, 'RNG.int', '0');
    throwsWith(() => new RNG(NaN), ValueError, 'seed');
  });
});

describe('error messages', () => {
  test('a broadcast error names the op and both shapes', () => {
    throwsWith(() => add(zeros([2, 3]), zeros([4])), ShapeError, 'add', '[2, 3]', '[4]');
    throwsWith(() => mul(zeros([2, 3]), zeros([3, 2])), ShapeError, 'mul', '[2, 3]', '[3, 2]');
    throwsWith(() => where(ones([2]), zeros([3]), 0), ShapeError, 'where', '[2]', '[3]');
    throwsWith(() => broadcastTo(zeros([2, 3]), [3, 3]), ShapeError, 'broadcastTo', '[2, 3]', '[3, 3]');
  });
  test('matmul inner-dimension mismatch names both shapes', () => {
    throwsWith(() => matmul(zeros([2, 3]), zeros([4, 5])), ShapeError, 'matmul', '[2, 3]', '[4, 5]', '3 vs 4');
    throwsWith(() => matmul(zeros([2, 2, 3]), zeros([3, 3, 5])), ShapeError, 'matmul', '[2]', '[3]');
    throwsWith(() => matmul(zeros([3]), zeros([4])), ShapeError, 'matmul', '3 vs 4');
    throwsWith(() => matmul(tensor(1), zeros([4])), ShapeError, 'matmul', '[]', '[4]');
    throwsWith(() => linear(zeros([2, 3]), zeros([4, 5])), ShapeError, 'linear', '[2, 3]', '[4, 5]');
  });
  test('reshape size mismatch', () => {
    throwsWith(() => reshape(zeros([2, 3]), [4]), ShapeError, 'reshape', '[2, 3]', '[4]');
    throwsWith(() => reshape(zeros([2, 3]), [-1, 4]), ShapeError, 'reshape', '[2, 3]', '[-1, 4]');
    throwsWith(() => reshape(zeros([6]), [-1, -1]), ShapeError, 'reshape', 'at most one');
  });
  test('out-of-range axes and indices', () => {
    throwsWith(() => sum(zeros([2, 3]), 2), ValueError, 'sum', 'axis 2', 'rank 2');
    throwsWith(() => max(zeros([2, 3]), -3), ValueError, 'max', 'axis -3');
    throwsWith(() => sum(zeros([2, 3]), [0, 0]), ValueError, 'sum', 'repeated');
    throwsWith(() => softmax(zeros([2, 3]), 5), ValueError, 'axis 5');
    throwsWith(() => argmax(zeros([2, 3]), 2), ValueError, 'argmax', 'axis 2');
    throwsWith(() => transpose(zeros([2, 3]), 0, 2), ValueError, 'transpose', 'axis 2');
    throwsWith(() => permute(zeros([2, 3]), [0, 0]), ValueError, 'permute');
    throwsWith(() => permute(zeros([2, 3]), [0, 1, 2]), ShapeError, 'permute', '[2, 3]');
    throwsWith(() => unsqueeze(zeros([2, 3]), 3), ValueError, 'unsqueeze', 'axis 3');
    throwsWith(() => squeeze(zeros([2, 3]), 1), ShapeError, 'squeeze', '[2, 3]');
    throwsWith(() => concat([zeros([2, 3]), zeros([2, 4])], 0), ShapeError, 'concat', '[2, 3]', '[2, 4]');
    throwsWith(() => stack([zeros([2]), zeros([3])]), ShapeError, 'stack', '[2]', '[3]');
    throwsWith(() => indexSelect(zeros([3, 2]), [0, 3]), ValueError, 'indexSelect', 'index 3', 'position 1', '[0, 3)');
    throwsWith(() => indexSelect(zeros([3, 2]), [-1]), ValueError, 'indexSelect', 'index -1');
    throwsWith(() => narrow(zeros([4]), 0, 2, 3), ShapeError, 'narrow', 'size 4');
    throwsWith(() => slice(zeros([4]), [0], [4], [0]), ValueError, 'slice', 'step');
    throwsWith(() => tensor([1, 2]).item(), ShapeError, 'item', '[2]');
  });
});
