// The backward engine's contract: accumulation, grad modes, graph freeing, deep graphs, shared
// subgraphs, functional transforms, and the errors it reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RNG, Tensor, ShapeError, backward, noGrad, enableGrad, isGradEnabled, valueAndGrad, grad, manualSeed,
  tensor, randn, zeros, add, sub, mul, div, exp, tanh, square, sum, mean, max, maximum, minimum, relu, abs,
  matmul, linear, castTo, softmax, logSoftmax, indexSelect,
} from '../../src/index.js';
import { record } from '../../src/autograd/graph.js';

const f64 = (v: number[] | number[][], requiresGrad = true): Tensor => tensor(v, { dtype: 'float64', requiresGrad });

function closeArr(actual: ArrayLike<number>, expected: number[], tol = 1e-12): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])), `element ${i}: ${actual[i]} ≠ ${expected[i]}`);
  }
}

describe('accumulation', () => {
  test('gradients accumulate across backward calls until zeroed', () => {
    const x = f64([1, -2, 3]);
    const loss = (): Tensor => sum(square(x)); // ∂/∂x = 2x
    loss().backward();
    closeArr(x.grad!.data, [2, -4, 6]);
    loss().backward();
    closeArr(x.grad!.data, [4, -8, 12]);
    const gradObject = x.grad;
    loss().backward();
    assert.equal(x.grad, gradObject, 'accumulates in place into the same tensor');
    closeArr(x.grad!.data, [6, -12, 18]);
    x.grad = null; // zeroing
    loss().backward();
    closeArr(x.grad!.data, [2, -4, 6]);
    x.grad!.data.fill(0); // zeroing in place, as an optimizer does
    loss().backward();
    closeArr(x.grad!.data, [2, -4, 6]);
  });

  test('a diamond (x used on two paths) adds both contributions', () => {
    const x = f64([0.5, -1.5]);
    // z = eˣ · 3x  ⇒  dz/dx = 3eˣ(1 + x)
    sum(mul(exp(x), mul(x, 3))).backward();
    closeArr(x.grad!.data, [0.5, -1.5].map((v) => 3 * Math.exp(v) * (1 + v)));
    // a shared intermediate h = x², z = h·h + h ⇒ dz/dx = (2h + 1)·2x
    const y = f64([2, -3]);
    const h = square(y);
    sum(add(mul(h, h), h)).backward();
    closeArr(y.grad!.data, [2, -3].map((v) => (2 * v * v + 1) * 2 * v));
    // the same tensor as both operands
    const w = f64([3]);
    mul(w, w).backward();
    closeArr(w.grad!.data, [6]);
    const u = f64([3]);
    sum(add(u, u)).backward();
    closeArr(u.grad!.data, [2]);
  });

  test('leaves never share a gradient buffer: not with each other, a retained grad, or the caller\'s gradOutput', () => {
    // add passes one gradient buffer to both inputs; the engine adopts fresh buffers without a copy.
    const a = f64([1, 2, 3]);
    const b = f64([4, 5, 6]);
    const t = add(a, b).retainGrad();
    const seed = tensor([1, 1, 1], { dtype: 'float64' });
    backward(add(t, zeros([3], { dtype: 'float64' })), seed);
    for (const [x, y] of [[a.grad!, b.grad!], [a.grad!, t.grad!], [b.grad!, t.grad!], [a.grad!, seed], [t.grad!, seed]]) {
      assert.notEqual(x.data, y.data);
    }
    a.grad!.data[0] = 100;
    closeArr(b.grad!.data, [1, 1, 1]);
    closeArr(t.grad!.data, [1, 1, 1]);
    closeArr(seed.data, [1, 1, 1]);
    // A leaf as the root: its gradient is a copy of gradOutput, which the caller still owns.
    const leaf = f64([7, 8]);
    const g = tensor([2, 3], { dtype: 'float64' });
    leaf.backward(g);
    assert.notEqual(leaf.grad!.data, g.data);
    // A second backward adds into the adopted buffer without touching the other leaf.
    const c = f64([1, 1]);
    const d = f64([2, 2]);
    const y = () => sum(add(c, d));
    y().backward();
    y().backward();
    closeArr(c.grad!.data, [2, 2]);
    closeArr(d.grad!.data, [2, 2]);
  });

  test('broadcast operands receive gradients summed over the broadcast dimensions', () => {
    const a = f64([[1], [2], [3]]);
    const b = f64([[10, 20, 30, 40]]);
    const s = f64([2], true);
    sum(mul(add(a, b), s)).backward();
    closeArr(a.grad!.data, [8, 8, 8]);
    closeArr(b.grad!.data, [6, 6, 6, 6]);
    // ∂/∂s Σ (a+b)·s = Σ (a+b) = 4·6 + 3·100
    closeArr(s.grad!.data, [324]);
    assert.deepEqual([...a.grad!.shape], [3, 1]);
    assert.deepEqual([...b.grad!.shape], [1, 4]);
  });

  test('inputs without requiresGrad get no gradient; gradients keep the leaf dtype', () => {
    const c = tensor([1, 2], { dtype: 'float64' });
    const x32 = tensor([1, 2], { requiresGrad: true });
    sum(mul(mul(x32, c), 0.5)).backward();
    assert.equal(c.grad, null);
    assert.equal(x32.grad!.dtype, 'float32');
    closeArr(x32.grad!.data, [0.5, 1]);
  });

  test('ties: max and maximum split the gradient evenly; relu and abs have gradient 0 at 0', () => {
    const x = f64([1, 3, 3]);
    max(x).backward();
    closeArr(x.grad!.data, [0, 0.5, 0.5]);
    const a = f64([1, 2, 5]);
    const b = f64([1, 3, 4]);
    sum(add(maximum(a, b), mul(minimum(a, b), 10))).backward();
    closeArr(a.grad!.data, [5.5, 10, 1]);
    closeArr(b.grad!.data, [5.5, 1, 10]);
    const z = f64([0, 0]);
    sum(add(relu(z), abs(z))).backward();
    closeArr(z.grad!.data, [0, 0]);
  });

  test('relu passes the gradient where x > 0 and 0 elsewhere, even an infinite or NaN one (as PyTorch)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = tensor([-1, -2, 0, 3, 4, NaN], { dtype, requiresGrad: true });
      relu(x).backward(tensor([Infinity, NaN, 5, -Infinity, 2, 7], { dtype }));
      assert.deepEqual(Array.from(x.grad!.data), [0, 0, 0, -Infinity, 2, 0], dtype);
    }
  });
});

describe('grad mode', () => {
  test('noGrad builds no graph', () => {
    const x = f64([1, 2]);
    const y = noGrad(() => sum(mul(exp(x), 2)));
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradNode, null);
    assert.throws(() => y.backward(), /does not require grad/);
    assert.equal(isGradEnabled(), true);
    // restored even when the body throws
    assert.throws(() => noGrad(() => { throw new Error('boom'); }), /boom/);
    assert.equal(isGradEnabled(), true);
    // enableGrad inside noGrad records again
    const z = noGrad(() => enableGrad(() => mul(x, 3)));
    assert.equal(z.requiresGrad, true);
    assert.notEqual(z.gradNode, null);
    assert.equal(z.gradNode!.op, 'mul');
  });

  test('ops on tensors that do not require grad record nothing', () => {
    const y = mul(exp(tensor([1, 2])), 2);
    assert.equal(y.requiresGrad, false);
    assert.equal(y.gradNode, null);
    assert.equal(y.isLeaf, true);
  });

  test('detach stops gradients and shares the data', () => {
    const x = f64([2, 5]);
    const d = x.detach();
    assert.equal(d.requiresGrad, false);
    assert.equal(d.data, x.data);
    sum(mul(d, x)).backward(); // d is a constant: ∂/∂x (d·x) = d
    closeArr(x.grad!.data, [2, 5]);
    const y = mul(x, 3);
    const yd = y.detach();
    assert.equal(yd.gradNode, null);
    assert.equal(mul(yd, 2).requiresGrad, false);
  });
});

describe('graph lifetime', () => {
  test('backward twice through a freed graph throws a clear error; retainGraph allows it', () => {
    const x = f64([1, 2]);
    const y = sum(exp(x));
    y.backward();
    assert.throws(() => y.backward(), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /already freed/);
      assert.match(e.message, /retainGraph/);
      return true;
    });
    // reaching a freed subgraph from a new output fails the same way
    const x2 = f64([1, 2]);
    const h = exp(x2);
    sum(h).backward();
    assert.throws(() => sum(mul(h, 2)).backward(), /'exp' was already freed/);

    const w = f64([1, 2]);
    const z = sum(exp(w));
    z.backward(undefined, { retainGraph: true });
    z.backward(undefined, { retainGraph: true });
    z.backward();
    closeArr(w.grad!.data, [1, 2].map((v) => 3 * Math.exp(v)));
    assert.throws(() => z.backward(), /already freed/);
  });

  test('a 10,000-op chain backpropagates without overflowing the stack', () => {
    const x = f64([0.3]);
    const c = 1.0001;
    const n = 10000;
    let y: Tensor = x;
    // yₜ₊₁ = c·yₜ + x/2 ⇒ dy_N/dx = cᴺ + ½·Σₖ<ᴺ cᵏ
    for (let i = 0; i < n; i++) y = add(mul(y, c), mul(x, 0.5));
    y.backward();
    const expected = Math.pow(c, n) + 0.5 * (Math.pow(c, n) - 1) / (c - 1);
    closeArr(x.grad!.data, [expected], 1e-9);
    // the value too: y_N = x·dy_N/dx
    closeArr(y.data, [0.3 * expected], 1e-9);
  });

  test('a deep chain of unary ops (tanh) matches the chain rule computed by hand', () => {
    const x = f64([0.7]);
    let y: Tensor = x;
    for (let i = 0; i < 10000; i++) y = tanh(y);
    y.backward();
    let v = 0.7;
    let d = 1;
    for (let i = 0; i < 10000; i++) { v = Math.tanh(v); d *= 1 - v * v; }
    closeArr(y.data, [v], 1e-12);
    closeArr(x.grad!.data, [d], 1e-9);
  });
});

describe('backward arguments', () => {
  test('a non-scalar output needs gradOutput, which gives the vector–Jacobian product', () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    const y = mul(x, x);
    assert.throws(() => y.backward(), (e: unknown) => e instanceof ShapeError && /non-scalar/.test(e.message) && e.message.includes('[2, 3]'));
    assert.throws(() => y.backward(f64([1, 2, 3], false)), (e: unknown) => e instanceof ShapeError && e.message.includes('[3]') && e.message.includes('[2, 3]'));
    y.backward(f64([[1, 0, 2], [0, 1, 0]], false), { retainGraph: true });
    closeArr(x.grad!.data, [2, 0, 12, 0, 10, 0]); // v ⊙ 2x
    // the function form is the same engine
    x.grad = null;
    backward(y, f64([[0, 1, 0], [0, 0, 1]], false));
    closeArr(x.grad!.data, [0, 4, 0, 0, 0, 12]);
  });

  test('a one-element non-scalar output needs no gradOutput', () => {
    const x = f64([[2]]);
    mul(x, x).backward();
    closeArr(x.grad!.data, [4]);
  });

  test('retainGrad keeps a non-leaf gradient; other intermediates keep none', () => {
    const x = f64([1, -2]);
    const h = mul(x, 3).retainGrad();
    const k = exp(h);
    sum(square(h)).backward();
    closeArr(h.grad!.data, [6, -12]); // 2h
    closeArr(x.grad!.data, [18, -36]); // 2h·3
    assert.equal(k.grad, null);
    const m = add(x, 1);
    sum(m).backward();
    assert.equal(m.grad, null);
  });

  test('a wrong-shaped gradient from a rule is reported with the op name and both shapes', () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    const y = record(tensor(new Float64Array(6), { shape: [2, 3] }), 'badShape', [x], (g) => [tensor(new Float64Array(6), { shape: [3, 2] })]);
    assert.equal(y.gradNode!.op, 'badShape');
    assert.throws(() => sum(y).backward(), (e: unknown) => {
      assert.ok(e instanceof ShapeError);
      assert.match(e.message, /'badShape'/);
      assert.ok(e.message.includes('[3, 2]') && e.message.includes('[2, 3]'), e.message);
      return true;
    });
  });

  test('castTo passes gradients between float dtypes', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = castTo(x, 'float64');
    assert.equal(y.requiresGrad, true);
    sum(mul(y, f64([3, 4], false))).backward();
    assert.equal(x.grad!.dtype, 'float32');
    closeArr(x.grad!.data, [3, 4]);
  });
});

describe('functional transforms', () => {
  const xs = tensor([1, 2, 3, 4], { dtype: 'float64' });
  const ys = tensor([3, 5, 7, 9.5], { dtype: 'float64' });
  // L(w, b) = mean((w·x + b − y)²): ∂L/∂w = mean(2r·x), ∂L/∂b = mean(2r) with r = w·x + b − y
  const loss = (w: Tensor, b: Tensor): Tensor => mean(square(sub(add(mul(w, xs), b), ys)));

  test('valueAndGrad returns the value and the gradient of each argument', () => {
    const w = f64([1.5], false);
    const b = f64([0.5], false);
    const { value, grads } = valueAndGrad(loss)(w, b);
    const r = [1, 2, 3, 4].map((x, i) => 1.5 * x + 0.5 - [3, 5, 7, 9.5][i]);
    closeArr(value.data, [r.reduce((s, v) => s + v * v, 0) / 4]);
    closeArr(grads[0].data, [r.reduce((s, v, i) => s + 2 * v * (i + 1), 0) / 4]);
    closeArr(grads[1].data, [r.reduce((s, v) => s + 2 * v, 0) / 4]);
    assert.equal(value.requiresGrad, false);
    assert.equal(w.grad, null, "arguments' .grad is left alone");
    assert.equal(w.requiresGrad, false);
    const [gw, gb] = grad(loss)(w, b);
    assert.deepEqual(gw.toFlatArray(), grads[0].toFlatArray());
    assert.deepEqual(gb.toFlatArray(), grads[1].toFlatArray());
  });

  test('valueAndGrad works inside noGrad, gives zeros for unused arguments, rejects non-scalars', () => {
    const w = f64([1.5], false);
    const b = f64([0.5], false);
    const unused = f64([[1, 2]], false);
    const { grads } = noGrad(() => valueAndGrad((p, q, _u) => loss(p, q))(w, b, unused));
    assert.ok(Math.abs(grads[0].data[0]) > 0);
    assert.deepEqual(grads[2].toArray(), [[0, 0]]);
    assert.throws(() => valueAndGrad((p) => mul(p, 2))(f64([1, 2], false)), (e: unknown) => e instanceof ShapeError && e.message.includes('[2]'));
  });
});

describe('determinism', () => {
  /** A few SGD steps on a small MLP from a seed; returns every number it produced. */
  function run(seed: number): number[] {
    const rng = new RNG(seed);
    const x = randn([16, 3], { rng });
    const y = randn([16, 1], { rng });
    const w1 = randn([8, 3], { rng, std: 0.5, requiresGrad: true });
    const b1 = zeros([8], { requiresGrad: true });
    const w2 = randn([1, 8], { rng, std: 0.5, requiresGrad: true });
    const out: number[] = [];
    for (let step = 0; step < 5; step++) {
      const batch = Array.from(rng.permutation(16).subarray(0, 8));
      const xb = indexSelect(x, batch);
      const yb = indexSelect(y, batch);
      const loss = mean(square(sub(linear(tanh(linear(xb, w1, b1)), w2), yb)));
      loss.backward();
      out.push(loss.item());
      noGrad(() => {
        for (const p of [w1, b1, w2]) {
          for (let i = 0; i < p.size; i++) p.data[i] -= 0.1 * p.grad!.data[i];
          p.grad = null;
        }
      });
    }
    for (const p of [w1, b1, w2]) out.push(...p.data);
    out.push(...softmax(logSoftmax(matmul(x, div(w1, 2).transpose()))).data);
    return out;
  }

  test('the same seed gives bit-identical results on two runs; another seed does not', () => {
    const a = run(2024);
    const b = run(2024);
    assert.equal(a.length, b.length);
    for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `element ${i}: ${a[i]} vs ${b[i]}`);
    assert.ok(a[0] > a[4], 'the steps lowered the loss');
    assert.notDeepEqual(run(2025), a);
  });

  test('manualSeed makes the default generator reproducible', () => {
    manualSeed(5);
    const a = randn([10]).toFlatArray();
    manualSeed(5);
    assert.deepEqual(randn([10]).toFlatArray(), a);
  });
});
