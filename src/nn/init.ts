import type { RNG } from '../tensor/rng.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { DTypeError, ShapeError, ValueError, formatShape } from '../util/errors.js';
import { requireAtLeast, requireFinite, requireOneOf } from '../util/validate.js';

/**
 * Weight initialisers, with PyTorch's formulas (`torch.nn.init`). Each factory returns an
 * {@link Initializer}: a function that fills a tensor in place from an explicit {@link RNG}, element
 * by element in row-major order, and returns it. Give one to a layer (`new Linear(4, 3, { weightInit:
 * init.xavierUniform() })`) or apply it yourself (`init.normal(0, 0.01)(w, rng)`).
 *
 * Fans are computed as PyTorch does: for a weight of shape (out, in, k₁, k₂, …), with receptive
 * field r = k₁·k₂·…, fanIn = in·r and fanOut = out·r; tensors with fewer than 2 dimensions have no fans.
 */

/** Fills `t` in place from `rng` and returns it. */
export type Initializer = (t: Tensor, rng: RNG) => Tensor;

/** Nonlinearities known to {@link calculateGain}. */
export type Nonlinearity = 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';
const nonlinearities: readonly Nonlinearity[] = ['linear', 'identity', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'selu'];

/** Which fan {@link kaimingUniform}/{@link kaimingNormal} preserve: the forward pass's or the backward pass's. */
export type FanMode = 'fanIn' | 'fanOut';

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): 1 for linear, identity and
 * sigmoid; 5/3 for tanh; √2 for relu; √(2/(1+a²)) for leakyRelu with negative slope a (default 0.01);
 * 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  requireOneOf('nonlinearity', nonlinearity, nonlinearities);
  switch (nonlinearity) {
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': {
      const a = requireFinite('leakyRelu negative slope', param ?? 0.01);
      return Math.sqrt(2 / (1 + a * a));
    }
    case 'selu': return 3 / 4;
    default: return 1;
  }
}

/** fanIn and fanOut of a weight shape, as PyTorch computes them (see the module comment). */
export function computeFans(shape: Shape): {
  /** shape[1] times the receptive field size (the product of shape[2..]). */
  fanIn: number;
  /** shape[0] times the receptive field size. */
  fanOut: number;
} {
  if (shape.length < 2) {
    throw new ShapeError(`init: fan in and fan out cannot be computed for a tensor of shape ${formatShape(shape)}; it needs at least 2 dimensions`);
  }
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i];
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

function fill(t: Tensor, draw: () => number): Tensor {
  if (t.dtype === 'int32') throw new DTypeError('init: can only fill floating tensors, got dtype int32');
  const data = t.data;
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return t;
}

/** U(a, b) for every element (PyTorch's `uniform_`; default U(0, 1)). */
export function uniform(a = 0, b = 1): Initializer {
  requireFinite('uniform a', a);
  requireFinite('uniform b', b);
  if (!(b >= a)) throw new ValueError(`uniform: b must be ≥ a, got a=${a}, b=${b}`);
  return (t, rng) => fill(t, () => rng.uniformRange(a, b));
}

/** N(mean, std²) for every element (PyTorch's `normal_`; default N(0, 1)). */
export function normal(mean = 0, std = 1): Initializer {
  requireFinite('normal mean', mean);
  requireAtLeast('normal std', std, 0);
  return (t, rng) => fill(t, () => mean + std * rng.normal());
}

/** Every element set to `value`; draws nothing from the RNG. */
export function constant(value: number): Initializer {
  requireFinite('constant value', value);
  return (t) => fill(t, () => value);
}

/** Zeros; draws nothing from the RNG. */
export function zeros(): Initializer {
  return constant(0);
}

/** Ones; draws nothing from the RNG. */
export function ones(): Initializer {
  return constant(1);
}

/** Options of the Xavier/Glorot initialisers. */
export interface XavierOptions {
  /** Scale factor (default 1; see {@link calculateGain}). */
  gain?: number;
}

/**
 * Xavier/Glorot uniform: U(−bound, bound) with bound = gain·√(6/(fanIn+fanOut)), so the variance is
 * gain²·2/(fanIn+fanOut).
 */
export function xavierUniform(options: XavierOptions = {}): Initializer {
  const gain = requireAtLeast('xavierUniform gain', options.gain ?? 1, 0);
  return (t, rng) => {
    const { fanIn, fanOut } = computeFans(t.shape);
    const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
    return fill(t, () => rng.uniformRange(-bound, bound));
  };
}

/** Xavier/Glorot normal: N(0, std²) with std = gain·√(2/(fanIn+fanOut)). */
export function xavierNormal(options: XavierOptions = {}): Initializer {
  const gain = requireAtLeast('xavierNormal gain', options.gain ?? 1, 0);
  return (t, rng) => {
    const { fanIn, fanOut } = computeFans(t.shape);
    const std = gain * Math.sqrt(2 / (fanIn + fanOut));
    return fill(t, () => std * rng.normal());
  };
}

/** Options of the Kaiming/He initialisers (PyTorch's arguments and defaults). */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (only with nonlinearity 'leakyRelu'; default 0). */
  a?: number;
  /** 'fanIn' (default) keeps the forward variance, 'fanOut' the backward one. */
  mode?: FanMode;
  /** The nonlinearity after this layer (default 'leakyRelu', which with a = 0 is ReLU's gain √2). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(shape: Shape, options: KaimingOptions, op: string): number {
  const mode = requireOneOf(`${op} mode`, options.mode ?? 'fanIn', ['fanIn', 'fanOut'] as const);
  const nonlinearity = options.nonlinearity ?? 'leakyRelu';
  const gain = calculateGain(nonlinearity, nonlinearity === 'leakyRelu' ? options.a ?? 0 : undefined);
  const fans = computeFans(shape);
  return gain / Math.sqrt(mode === 'fanIn' ? fans.fanIn : fans.fanOut);
}

/**
 * Kaiming/He uniform: U(−bound, bound) with bound = gain·√(3/fan), fan = fanIn by default; gain √2
 * for ReLU, √(2/(1+a²)) for a leaky ReLU of slope a.
 */
export function kaimingUniform(options: KaimingOptions = {}): Initializer {
  if (options.a !== undefined) requireFinite('kaimingUniform a', options.a);
  return (t, rng) => {
    const bound = Math.sqrt(3) * kaimingStd(t.shape, options, 'kaimingUniform');
    return fill(t, () => rng.uniformRange(-bound, bound));
  };
}

/** Kaiming/He normal: N(0, std²) with std = gain/√fan (fan = fanIn by default). */
export function kaimingNormal(options: KaimingOptions = {}): Initializer {
  if (options.a !== undefined) requireFinite('kaimingNormal a', options.a);
  return (t, rng) => {
    const std = kaimingStd(t.shape, options, 'kaimingNormal');
    return fill(t, () => std * rng.normal());
  };
}

/**
 * PyTorch's default for `nn.Linear`'s weight: `kaiming_uniform_(w, a=√5)`, which works out to
 * U(−1/√fanIn, 1/√fanIn).
 */
export function linearDefaultWeight(): Initializer {
  return kaimingUniform({ a: Math.sqrt(5) });
}

/** PyTorch's default for `nn.Linear`'s bias: U(−1/√fanIn, 1/√fanIn), fanIn being the weight's. */
export function linearDefaultBias(fanIn: number): Initializer {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform(-bound, bound);
}

/** Initialiser names accepted where a string is handier than a function (`mlp`'s `init`). */
export type InitName = 'default' | 'xavierUniform' | 'xavierNormal' | 'kaimingUniform' | 'kaimingNormal';
/** Every {@link InitName}. */
export const initNames: readonly InitName[] = ['default', 'xavierUniform', 'xavierNormal', 'kaimingUniform', 'kaimingNormal'];

/**
 * The weight initialiser called `name`, set up for the nonlinearity that follows the layer: the
 * Kaiming ones use its gain (fanIn mode), the Xavier ones use gain 1 (Keras' convention), and
 * 'default' is PyTorch's Linear default ({@link linearDefaultWeight}).
 */
export function initByName(name: InitName, nonlinearity: Nonlinearity = 'relu', slope?: number): Initializer {
  switch (requireOneOf('init', name, initNames)) {
    case 'xavierUniform': return xavierUniform();
    case 'xavierNormal': return xavierNormal();
    case 'kaimingUniform': return kaimingUniform({ nonlinearity, a: slope });
    case 'kaimingNormal': return kaimingNormal({ nonlinearity, a: slope });
    default: return linearDefaultWeight();
  }
}
