import { getBackend } from '../backend/registry.js';
import type { BinaryOp, UnaryOp, UnaryParam } from '../backend/backend.js';
import { record } from '../autograd/graph.js';
import { broadcastShapes, broadcastStrides } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireFinite } from '../util/validate.js';
import { ValueError } from '../util/errors.js';
import { type TensorLike, coercePair, emptyForOutput, floatData, floatDTypeOf } from './core.js';

/**
 * Elementwise ops with NumPy broadcasting. Each differentiable op is one row in a gradient table;
 * the tables are typed over the op names, so an op without a gradient rule does not compile.
 */

/** Runs a unary kernel without recording (used by ops and by gradient rules). */
export function applyUnary(op: UnaryOp, x: Tensor, param?: UnaryParam): Tensor {
  const out = emptyForOutput(x.shape, floatDTypeOf(x, op));
  getBackend().unary(op, floatData(x, op), floatData(out, op), param);
  return out;
}

/** Runs a broadcasting binary kernel without recording. */
export function applyBinary(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = coercePair(a, b, op);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  const out = emptyForOutput(shape, dtype);
  getBackend().binary(op, floatData(ta, op), broadcastStrides(ta.shape, shape), floatData(tb, op), broadcastStrides(tb.shape, shape), floatData(out, op), shape);
  return out;
}

type UnaryName = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'square' | 'sigmoid' | 'tanh' | 'relu' | 'softplus';

/** d/dx of each unary op, as `grad ↦ grad · f′(x)`, written with the forward output `y` where cheaper. */
const unaryGradients: { [P in UnaryName]: (g: Tensor, x: Tensor, y: Tensor) => Tensor } = {
  neg: (g) => neg(g),
  exp: (g, _x, y) => mul(g, y), // (eˣ)′ = eˣ
  log: (g, x) => div(g, x), // (ln x)′ = 1/x
  sqrt: (g, _x, y) => div(g, mul(y, 2)), // (√x)′ = 1/(2√x)
  abs: (g, x) => mul(g, applyUnary('sign', x)),
  square: (g, x) => mul(g, mul(x, 2)),
  sigmoid: (g, _x, y) => mul(g, mul(y, sub(1, y))), // σ′ = σ(1−σ)
  tanh: (g, _x, y) => mul(g, sub(1, mul(y, y))), // tanh′ = 1 − tanh²
  relu: (g, x) => reluGradient(g, x),
  softplus: (g, x) => mul(g, applyUnary('sigmoid', x)), // log(1+eˣ)′ = σ(x)
};

/** ReLU's gradient rule: g where x > 0, else 0 (also where g is ∞ or NaN), in one pass. */
export function reluGradient(g: Tensor, x: Tensor): Tensor {
  return applyBinary('reluGrad', g, x);
}

function unaryOp(op: UnaryName, x: Tensor): Tensor {
  const y = applyUnary(op, x);
  return record(y, op, [x], (g) => [unaryGradients[op](g, x, y)]);
}

/** −x */
export const neg = (x: Tensor): Tensor => unaryOp('neg', x);
/** eˣ */
export const exp = (x: Tensor): Tensor => unaryOp('exp', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unaryOp('log', x);
/** √x */
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x);
/** |x|; its gradient at 0 is 0, as in PyTorch. */
export const abs = (x: Tensor): Tensor => unaryOp('abs', x);
/** x² */
export const square = (x: Tensor): Tensor => unaryOp('square', x);
/** σ(x) = 1/(1+e⁻ˣ), computed without overflow for large |x|. */
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x);
/** tanh(x) */
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x);
/** max(x, 0); gradient 0 at x = 0, as in PyTorch. */
export const relu = (x: Tensor): Tensor => unaryOp('relu', x);
/** log(1+eˣ), computed as max(x,0) + log1p(e^−|x|). */
export const softplus = (x: Tensor): Tensor => unaryOp('softplus', x);

/** max(x, 0) + slope·min(x, 0). */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  requireFinite('leakyRelu slope', slope);
  const y = applyUnary('leakyRelu', x, { scalar: slope });
  return record(y, 'leakyRelu', [x], (g) => [mul(g, applyUnary('leakyReluSlope', x, { scalar: slope }))]);
}

/** xᵖ for a constant exponent p; d/dx = p·xᵖ⁻¹. */
export function powScalar(x: Tensor, exponent: number): Tensor {
  requireFinite('pow exponent', exponent);
  const y = applyUnary('powScalar', x, { scalar: exponent });
  return record(y, 'powScalar', [x], (g) => [mul(g, mul(applyUnary('powScalar', x, { scalar: exponent - 1 }), exponent))]);
}

/** Limits x to [min, max]; the gradient passes where min ≤ x ≤ max, as in PyTorch. */
export function clamp(x: Tensor, min = -Infinity, max = Infinity): Tensor {
  if (Number.isNaN(min) || Number.isNaN(max)) throw new ValueError(`clamp: bounds must not be NaN, got min=${min}, max=${max}`);
  const y = applyUnary('clamp', x, { min, max });
  return record(y, 'clamp', [x], (g) => [mul(g, mul(applyBinary('ge', x, min), applyBinary('le', x, max)))]);
}

type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';

/**
 * Gradients of binary ops in the broadcast output shape; the autograd engine sums them back to each
 * input's shape.
 */
const binaryGradients: { [P in BinaryName]: (g: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null] } = {
  add: (g) => [g, g],
  sub: (g) => [g, neg(g)],
  mul: (g, a, b) => [a.requiresGrad ? mul(g, b) : null, b.requiresGrad ? mul(g, a) : null],
  div: (g, _a, b, y) => [div(g, b), b.requiresGrad ? neg(div(mul(g, y), b)) : null], // ∂(a/b)/∂b = −a/b² = −y/b
  pow: (g, a, b, y) => [
    a.requiresGrad ? mul(g, mul(b, pow(a, sub(b, 1)))) : null, // ∂aᵇ/∂a = b·aᵇ⁻¹
    b.requiresGrad ? mul(g, mul(y, log(a))) : null, // ∂aᵇ/∂b = aᵇ·ln a
  ],
  // Ties split the gradient evenly, as PyTorch does for maximum/minimum.
  maximum: (g, a, b) => tieSplit(g, applyBinary('gt', a, b), applyBinary('eq', a, b)),
  minimum: (g, a, b) => tieSplit(g, applyBinary('lt', a, b), applyBinary('eq', a, b)),
};

function tieSplit(g: Tensor, aWins: Tensor, tie: Tensor): [Tensor, Tensor] {
  const aShare = add(aWins, mul(tie, 0.5));
  return [mul(g, aShare), mul(g, sub(1, aShare))];
}

function binaryOp(op: BinaryName, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = coercePair(a, b, op);
  const y = applyBinary(op, ta, tb);
  return record(y, op, [ta, tb], (g) => binaryGradients[op](g, ta, tb, y));
}

/** a + b, broadcasting. */
export const add = (a: TensorLike, b: TensorLike): Tensor => binaryOp('add', a, b);
/** a − b, broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binaryOp('sub', a, b);
/** a · b elementwise, broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binaryOp('mul', a, b);
/** a / b elementwise, broadcasting. */
export const div = (a: TensorLike, b: TensorLike): Tensor => binaryOp('div', a, b);
/** aᵇ elementwise, broadcasting (use {@link powScalar} for a constant exponent). */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return typeof b === 'number' && typeof a !== 'number' ? powScalar(a, b) : binaryOp('pow', a, b);
}
/** Elementwise maximum, broadcasting. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('maximum', a, b);
/** Elementwise minimum, broadcasting. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binaryOp('minimum', a, b);

/** a = b as 1/0 (not differentiable). */
export const eq = (a: TensorLike, b: TensorLike): Tensor => applyBinary('eq', a, b);
/** a ≠ b as 1/0. */
export const ne = (a: TensorLike, b: TensorLike): Tensor => applyBinary('ne', a, b);
/** a < b as 1/0. */
export const lt = (a: TensorLike, b: TensorLike): Tensor => applyBinary('lt', a, b);
/** a ≤ b as 1/0. */
export const le = (a: TensorLike, b: TensorLike): Tensor => applyBinary('le', a, b);
/** a > b as 1/0. */
export const gt = (a: TensorLike, b: TensorLike): Tensor => applyBinary('gt', a, b);
/** a ≥ b as 1/0. */
export const ge = (a: TensorLike, b: TensorLike): Tensor => applyBinary('ge', a, b);
