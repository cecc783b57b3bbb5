// Every differentiable op, checked against central finite differences in float64 through the
// public `gradcheck` (full Jacobian). One table: adding an op adds one row.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RNG, Tensor, GradcheckError, gradcheck, tensor,
  add, sub, mul, div, pow, neg, exp, log, sqrt, abs, square, maximum, minimum, clamp,
  matmul, linear, linearRelu, transpose, permute, reshape, flatten, squeeze, unsqueeze, slice, narrow, concat, stack, broadcastTo,
  indexSelect, where, sum, mean, max, min, logsumexp, type Axes,
  sigmoid, tanh, relu, leakyRelu, softplus, softmax, logSoftmax,
} from '../../src/index.js';
import { record } from '../../src/autograd/graph.js';

/** Draws one element value; `i` is the element's flat index. */
type Gen = (rng: RNG, i: number) => number;

interface InputSpec {
  shape: number[];
  gen?: Gen;
  /** Constant inputs (conditions, masks) take part in `fn` but are not checked. */
  constant?: boolean;
}

interface Case {
  name: string;
  inputs: (number[] | InputSpec)[];
  fn: (...t: Tensor[]) => Tensor;
}

// ---- value generators ----
const normal: Gen = (rng) => rng.normal();
/** Positive values in [0.5, 2.5): for log, sqrt, pow bases and divisors. */
const positive: Gen = (rng) => 0.5 + 2 * rng.uniform();
/** Uniform in [-2, 2) but at least `margin` from every kink (resampled otherwise). */
const awayFrom = (kinks: number[], margin = 0.05): Gen => (rng) => {
  for (;;) {
    const v = 4 * rng.uniform() - 2;
    if (kinks.every((k) => Math.abs(v - k) >= margin)) return v;
  }
};
/** |v| in [0.5, 1.5) with alternating sign; paired with `small` so a − b never nears 0 (maximum/minimum). */
const large: Gen = (rng, i) => (i % 2 === 0 ? 1 : -1) * (0.5 + rng.uniform());
const small: Gen = (rng) => 0.6 * rng.uniform() - 0.3;
/** 0/1 pattern for `where` conditions. */
const mask: Gen = (rng) => (rng.uniform() < 0.5 ? 1 : 0);
/** Wide range, to exercise the stable branches of sigmoid/softplus/logsumexp. */
const wide: Gen = (rng) => 8 * rng.normal();

const pos = (shape: number[]): InputSpec => ({ shape, gen: positive });
const kinked = (shape: number[], kinks: number[]): InputSpec => ({ shape, gen: awayFrom(kinks) });
const constant = (shape: number[], gen: Gen): InputSpec => ({ shape, gen, constant: true });

/** Rows for one reduction over single axes, several axes, all axes, with and without keepdims. */
function reductionRows(name: string, op: (x: Tensor, axis?: Axes, o?: { keepdims?: boolean }) => Tensor): Case[] {
  const axesList: { label: string; axis: Axes }[] = [
    { label: 'axis 0', axis: 0 },
    { label: 'axis 1', axis: 1 },
    { label: 'axis -1', axis: -1 },
    { label: 'axes [0, 2]', axis: [0, 2] },
    { label: 'axes [-1, 1]', axis: [-1, 1] },
    { label: 'all axes', axis: undefined },
  ];
  const rows: Case[] = [];
  for (const { label, axis } of axesList) {
    for (const keepdims of [false, true]) {
      rows.push({ name: `${name} ${label}${keepdims ? ' keepdims' : ''}`, inputs: [[2, 3, 4]], fn: (x) => op(x, axis, { keepdims }) });
    }
  }
  rows.push({ name: `${name} of a vector`, inputs: [[5]], fn: (x) => op(x) });
  return rows;
}

const cases: Case[] = [
  // elementwise binary, same shape and broadcast
  { name: 'add', inputs: [[2, 3], [2, 3]], fn: (a, b) => add(a, b) },
  { name: 'add [3,1]+[1,4]', inputs: [[3, 1], [1, 4]], fn: (a, b) => add(a, b) },
  { name: 'add [2,3]+[3]', inputs: [[2, 3], [3]], fn: (a, b) => add(a, b) },
  { name: 'add scalar tensor', inputs: [[2, 3], []], fn: (a, b) => add(a, b) },
  { name: 'add number', inputs: [[2, 3]], fn: (a) => add(a, 2.5) },
  { name: 'add same tensor twice', inputs: [[2, 3]], fn: (a) => add(a, a) },
  { name: 'sub', inputs: [[2, 3], [2, 3]], fn: (a, b) => sub(a, b) },
  { name: 'sub [3,1]-[1,4]', inputs: [[3, 1], [1, 4]], fn: (a, b) => sub(a, b) },
  { name: 'sub number - tensor', inputs: [[2, 3]], fn: (a) => sub(1.5, a) },
  { name: 'mul', inputs: [[2, 3], [2, 3]], fn: (a, b) => mul(a, b) },
  { name: 'mul [2,3]*[3]', inputs: [[2, 3], [3]], fn: (a, b) => mul(a, b) },
  { name: 'mul [2,1,4]*[3,1]', inputs: [[2, 1, 4], [3, 1]], fn: (a, b) => mul(a, b) },
  { name: 'mul number * tensor', inputs: [[2, 3]], fn: (a) => mul(-3, a) },
  { name: 'mul x*x', inputs: [[4]], fn: (a) => mul(a, a) },
  { name: 'div', inputs: [[2, 3], pos([2, 3])], fn: (a, b) => div(a, b) },
  { name: 'div [3,1]/[1,4]', inputs: [[3, 1], pos([1, 4])], fn: (a, b) => div(a, b) },
  { name: 'div number / tensor', inputs: [pos([2, 3])], fn: (b) => div(2, b) },
  { name: 'div by scalar tensor', inputs: [[2, 3], pos([])], fn: (a, b) => div(a, b) },
  { name: 'pow tensor exponent', inputs: [pos([2, 3]), [2, 3]], fn: (a, b) => pow(a, b) },
  { name: 'pow tensor exponent broadcast', inputs: [pos([2, 3]), [3]], fn: (a, b) => pow(a, b) },
  { name: 'pow number base', inputs: [[2, 3]], fn: (b) => pow(1.7, b) },
  { name: 'pow scalar exponent 3', inputs: [[2, 3]], fn: (a) => pow(a, 3) },
  { name: 'pow scalar exponent 2', inputs: [[2, 3]], fn: (a) => pow(a, 2) },
  { name: 'pow scalar exponent -1.5', inputs: [pos([2, 3])], fn: (a) => pow(a, -1.5) },
  { name: 'pow scalar exponent 0.5', inputs: [pos([2, 3])], fn: (a) => pow(a, 0.5) },
  { name: 'maximum', inputs: [{ shape: [3, 4], gen: large }, { shape: [3, 4], gen: small }], fn: (a, b) => maximum(a, b) },
  { name: 'maximum broadcast [3,4],[4]', inputs: [{ shape: [3, 4], gen: large }, { shape: [4], gen: small }], fn: (a, b) => maximum(a, b) },
  { name: 'maximum with number', inputs: [kinked([3, 4], [0.2])], fn: (a) => maximum(a, 0.2) },
  { name: 'minimum', inputs: [{ shape: [3, 4], gen: small }, { shape: [3, 4], gen: large }], fn: (a, b) => minimum(a, b) },
  { name: 'minimum broadcast [3,1],[1,4]', inputs: [{ shape: [3, 1], gen: large }, { shape: [1, 4], gen: small }], fn: (a, b) => minimum(a, b) },
  // elementwise unary
  { name: 'neg', inputs: [[2, 3]], fn: (a) => neg(a) },
  { name: 'exp', inputs: [[2, 3]], fn: (a) => exp(a) },
  { name: 'log', inputs: [pos([2, 3])], fn: (a) => log(a) },
  { name: 'sqrt', inputs: [pos([2, 3])], fn: (a) => sqrt(a) },
  { name: 'abs', inputs: [kinked([2, 3], [0])], fn: (a) => abs(a) },
  { name: 'square', inputs: [[2, 3]], fn: (a) => square(a) },
  { name: 'clamp both bounds', inputs: [kinked([3, 4], [-0.5, 0.5])], fn: (a) => clamp(a, -0.5, 0.5) },
  { name: 'clamp min only', inputs: [kinked([3, 4], [0])], fn: (a) => clamp(a, 0) },
  { name: 'clamp max only', inputs: [kinked([3, 4], [0.3])], fn: (a) => clamp(a, undefined, 0.3) },
  // matrix products
  { name: 'matmul 2-D', inputs: [[3, 4], [4, 5]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul batched', inputs: [[2, 3, 4], [2, 4, 5]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul broadcast batch: 2-D @ 3-D', inputs: [[3, 4], [2, 4, 5]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul broadcast batch: 3-D @ 2-D', inputs: [[2, 3, 4], [4, 5]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul broadcast batch: [1,3,4] @ [2,4,5]', inputs: [[1, 3, 4], [2, 4, 5]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul broadcast batch: [2,1,3,4] @ [3,4,2]', inputs: [[2, 1, 3, 4], [3, 4, 2]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul vector @ matrix', inputs: [[4], [4, 5]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul matrix @ vector', inputs: [[3, 4], [4]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul vector @ vector', inputs: [[4], [4]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul batched @ vector', inputs: [[2, 3, 4], [4]], fn: (a, b) => matmul(a, b) },
  { name: 'matmul vector @ batched', inputs: [[4], [2, 4, 5]], fn: (a, b) => matmul(a, b) },
  { name: 'linear with bias', inputs: [[5, 3], [4, 3], [4]], fn: (x, w, b) => linear(x, w, b) },
  { name: 'linear without bias', inputs: [[5, 3], [4, 3]], fn: (x, w) => linear(x, w) },
  { name: 'linear batched input', inputs: [[2, 5, 3], [4, 3], [4]], fn: (x, w, b) => linear(x, w, b) },
  { name: 'linear on a single 1-D sample', inputs: [[3], [4, 3], [4]], fn: (x, w, b) => linear(x, w, b) },
  { name: 'linearRelu with bias', inputs: [[5, 3], [4, 3], [4]], fn: (x, w, b) => linearRelu(x, w, b) },
  { name: 'linearRelu without bias', inputs: [[5, 3], [4, 3]], fn: (x, w) => linearRelu(x, w) },
  // shape ops
  { name: 'transpose 2-D', inputs: [[2, 3]], fn: (a) => transpose(a) },
  { name: 'transpose axes 0,2', inputs: [[2, 3, 4]], fn: (a) => transpose(a, 0, 2) },
  { name: 'permute [2,0,1]', inputs: [[2, 3, 4]], fn: (a) => permute(a, [2, 0, 1]) },
  { name: 'permute negative axes', inputs: [[2, 3, 4]], fn: (a) => permute(a, [-1, 0, -2]) },
  { name: 'reshape', inputs: [[2, 6]], fn: (a) => mul(reshape(a, [3, 4]), reshape(a, [3, 4])) },
  { name: 'reshape with -1', inputs: [[2, 3, 4]], fn: (a) => reshape(a, [-1, 2]) },
  { name: 'flatten', inputs: [[2, 3, 4]], fn: (a) => flatten(a) },
  { name: 'flatten from axis 1', inputs: [[2, 3, 4]], fn: (a) => flatten(a, 1) },
  { name: 'squeeze all', inputs: [[2, 1, 3, 1]], fn: (a) => squeeze(a) },
  { name: 'squeeze axis', inputs: [[2, 1, 3]], fn: (a) => squeeze(a, 1) },
  { name: 'unsqueeze 0', inputs: [[2, 3]], fn: (a) => unsqueeze(a, 0) },
  { name: 'unsqueeze -1', inputs: [[2, 3]], fn: (a) => unsqueeze(a, -1) },
  { name: 'slice rows', inputs: [[5, 3]], fn: (a) => slice(a, [1], [4]) },
  { name: 'slice with steps and negative indices', inputs: [[6, 7]], fn: (a) => slice(a, [-5, 1], [undefined, -1], [2, 3]) },
  { name: 'slice 3-D middle axis step 2', inputs: [[2, 5, 3]], fn: (a) => slice(a, [0, 0, -2], [2, 5], [1, 2]) },
  { name: 'narrow', inputs: [[4, 5]], fn: (a) => narrow(a, 1, 1, 3) },
  { name: 'concat axis 0', inputs: [[2, 3], [1, 3], [3, 3]], fn: (a, b, c) => concat([a, b, c], 0) },
  { name: 'concat axis 1', inputs: [[2, 3], [2, 1]], fn: (a, b) => concat([a, b], 1) },
  { name: 'concat same tensor twice', inputs: [[2, 3]], fn: (a) => concat([a, a], -1) },
  { name: 'stack axis 0', inputs: [[2, 3], [2, 3]], fn: (a, b) => stack([a, b]) },
  { name: 'stack axis -1', inputs: [[2, 3], [2, 3], [2, 3]], fn: (a, b, c) => stack([a, b, c], -1) },
  { name: 'broadcastTo [3,1]→[2,3,4]', inputs: [[3, 1]], fn: (a) => broadcastTo(a, [2, 3, 4]) },
  { name: 'broadcastTo []→[2,3]', inputs: [[]], fn: (a) => broadcastTo(a, [2, 3]) },
  // indexing
  { name: 'indexSelect with repeated indices', inputs: [[4, 3]], fn: (a) => indexSelect(a, [0, 2, 2, 3, 0, 2]) },
  { name: 'indexSelect int32 tensor indices, 3-D', inputs: [[3, 2, 2]], fn: (a) => indexSelect(a, tensor([2, 2, 1], { dtype: 'int32' })) },
  { name: 'where', inputs: [constant([3, 4], mask), [3, 4], [3, 4]], fn: (c, a, b) => where(c, a, b) },
  { name: 'where broadcast [3,4],[4],[3,1]', inputs: [constant([3, 4], mask), [4], [3, 1]], fn: (c, a, b) => where(c, a, b) },
  { name: 'where with number branch', inputs: [constant([3, 4], mask), [3, 4]], fn: (c, a) => where(c, 0.5, a) },
  // reductions
  ...reductionRows('sum', sum),
  ...reductionRows('mean', mean),
  ...reductionRows('max', max),
  ...reductionRows('min', min),
  ...reductionRows('logsumexp', logsumexp),
  { name: 'sum of a scalar over axis 0', inputs: [[]], fn: (a) => sum(a, 0) },
  { name: 'max of a scalar over axis 0', inputs: [[]], fn: (a) => max(a, 0) },
  { name: 'logsumexp wide values', inputs: [{ shape: [3, 5], gen: wide }], fn: (a) => logsumexp(a, 1) },
  // activations
  { name: 'sigmoid', inputs: [[3, 4]], fn: (a) => sigmoid(a) },
  { name: 'sigmoid wide values', inputs: [{ shape: [3, 4], gen: wide }], fn: (a) => sigmoid(a) },
  { name: 'tanh', inputs: [[3, 4]], fn: (a) => tanh(a) },
  { name: 'relu', inputs: [kinked([3, 4], [0])], fn: (a) => relu(a) },
  { name: 'leakyRelu default slope', inputs: [kinked([3, 4], [0])], fn: (a) => leakyRelu(a) },
  { name: 'leakyRelu slope 0.2', inputs: [kinked([3, 4], [0])], fn: (a) => leakyRelu(a, 0.2) },
  { name: 'softplus', inputs: [[3, 4]], fn: (a) => softplus(a) },
  { name: 'softplus wide values', inputs: [{ shape: [3, 4], gen: wide }], fn: (a) => softplus(a) },
  { name: 'softmax last axis', inputs: [[3, 4]], fn: (a) => softmax(a) },
  { name: 'softmax axis 0', inputs: [[3, 4]], fn: (a) => softmax(a, 0) },
  { name: 'softmax 3-D middle axis', inputs: [[2, 3, 2]], fn: (a) => softmax(a, 1) },
  { name: 'logSoftmax last axis', inputs: [[3, 4]], fn: (a) => logSoftmax(a) },
  { name: 'logSoftmax axis 0', inputs: [[3, 4]], fn: (a) => logSoftmax(a, 0) },
  // compositions (gradients flowing through several rules and broadcast reductions)
  { name: 'composition: mlp-like', inputs: [[4, 3], [5, 3], [5], [1, 5]], fn: (x, w, b, v) => sum(mul(tanh(linear(x, w, b)), v), 1) },
  { name: 'composition: normalise rows', inputs: [[3, 4]], fn: (a) => div(sub(a, mean(a, 1, { keepdims: true })), sqrt(add(mean(square(a), 1, { keepdims: true }), 1))) },
];

function makeInputs(spec: Case['inputs'], rng: RNG): Tensor[] {
  return spec.map((s) => {
    const { shape, gen = normal, constant: isConst = false } = Array.isArray(s) ? { shape: s } : s;
    const size = shape.reduce((p, d) => p * d, 1);
    const data = new Float64Array(size);
    for (let i = 0; i < size; i++) data[i] = gen(rng, i);
    return tensor(data, { shape, requiresGrad: !isConst });
  });
}

describe('gradcheck table (float64, central differences, full Jacobian)', () => {
  const names = new Set<string>();
  for (const c of cases) {
    test(c.name, () => {
      assert.ok(!names.has(c.name), `duplicate case name ${c.name}`);
      names.add(c.name);
      // Each row gets its own seeded stream, so rows are independent of table order.
      let seed = 17;
      for (const ch of c.name) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
      const inputs = makeInputs(c.inputs, new RNG(seed));
      assert.equal(gradcheck(c.fn, inputs), true);
    });
  }

  test('the table covers every differentiable op of the public API', () => {
    const covered = new Set(cases.map((c) => c.name.split(/[ :]/)[0]));
    const ops = [
      'add', 'sub', 'mul', 'div', 'pow', 'neg', 'exp', 'log', 'sqrt', 'abs', 'square', 'maximum', 'minimum', 'clamp',
      'matmul', 'linear', 'linearRelu', 'transpose', 'permute', 'reshape', 'flatten', 'squeeze', 'unsqueeze', 'slice', 'narrow',
      'concat', 'stack', 'broadcastTo', 'indexSelect', 'where', 'sum', 'mean', 'max', 'min', 'logsumexp',
      'sigmoid', 'tanh', 'relu', 'leakyRelu', 'softplus', 'softmax', 'logSoftmax',
    ];
    const missing = ops.filter((op) => !covered.has(op));
    assert.deepEqual(missing, []);
  });
});

describe('the oracle can fail', () => {
  /** x ↦ x² with a deliberately wrong rule (g·x instead of 2·g·x). */
  function badSquare(x: Tensor): Tensor {
    const y = tensor(Float64Array.from(x.data, (v) => v * v), { shape: x.shape });
    return record(y, 'badSquare', [x], (g) => [mul(g, x)]);
  }
  /** The same op with the right rule, so a failure is the rule's fault, not the harness's. */
  function goodSquare(x: Tensor): Tensor {
    const y = tensor(Float64Array.from(x.data, (v) => v * v), { shape: x.shape });
    return record(y, 'goodSquare', [x], (g) => [mul(mul(g, x), 2)]);
  }
  /** A rule that forgets the gradient altogether. */
  function noRule(x: Tensor): Tensor {
    const y = tensor(Float64Array.from(x.data, (v) => 3 * v), { shape: x.shape });
    return record(y, 'noRule', [x], () => [null]);
  }
  const input = (): Tensor => tensor([[0.5, -1.2, 2], [1.5, -0.3, 0.8]], { dtype: 'float64', requiresGrad: true });

  test('a correct custom rule passes', () => {
    assert.equal(gradcheck(goodSquare, [input()]), true);
  });

  test('a wrong custom rule is caught, naming the input, element and both values', () => {
    assert.throws(() => gradcheck(badSquare, [input()]), (e: unknown) => {
      assert.ok(e instanceof GradcheckError);
      assert.match(e.message, /Jacobian mismatch for input 0/);
      // Element 0 is x = 0.5: autodiff says 0.5, finite differences 1.
      assert.match(e.message, /element 0, output element 0: autodiff 0\.5, finite differences 0\.99999/);
      return true;
    });
  });

  test('a missing gradient is caught', () => {
    assert.throws(() => gradcheck(noRule, [input()]), GradcheckError);
  });

  test('a wrong rule inside a composition is caught', () => {
    assert.throws(() => gradcheck((x) => sum(exp(badSquare(x))), [input()]), GradcheckError);
  });

  test('float32 inputs are refused (too coarse for the comparison)', () => {
    assert.throws(() => gradcheck((x) => square(x), [tensor([1, 2], { requiresGrad: true })]), /must be float64/);
  });
});
