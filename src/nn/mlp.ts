import type { FloatDType } from '../tensor/dtype.js';
import { type RNG, defaultGenerator } from '../tensor/rng.js';
import { ValueError } from '../util/errors.js';
import { requireFinite, requireInClosedRange, requireInteger, requireOneOf } from '../util/validate.js';
import { Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh } from './activations.js';
import { Dropout } from './dropout.js';
import { type InitName, type Initializer, type Nonlinearity, initByName } from './init.js';
import { Linear } from './linear.js';
import type { Module } from './module.js';
import { Sequential } from './sequential.js';

/** Hidden-layer activations {@link mlp} understands. */
export type ActivationName = 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'softplus' | 'identity';
/** Output activations: any hidden one, or a normalisation over the last axis. */
export type OutputActivationName = ActivationName | 'softmax' | 'logSoftmax';

/** Every {@link ActivationName}. */
export const activationNames: readonly ActivationName[] = ['relu', 'leakyRelu', 'tanh', 'sigmoid', 'softplus', 'identity'];
const outputActivationNames: readonly OutputActivationName[] = [...activationNames, 'softmax', 'logSoftmax'];

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Activation after every hidden layer (default 'relu'). */
  activation?: ActivationName;
  /** Negative slope for 'leakyRelu' (default 0.01). */
  slope?: number;
  /**
   * Activation after the last layer (default none: the model outputs logits / raw values, which is
   * what `crossEntropyLoss`, `bceWithLogitsLoss` and `mseLoss` expect).
   */
  outputActivation?: OutputActivationName;
  /**
   * Weight initialiser (default 'default' = PyTorch's Linear default, U(±1/√fanIn), for every
   * layer). 'kaimingUniform'/'kaimingNormal' (He) use the gain of the activation that follows each
   * layer (√2 for relu); 'xavierUniform'/'xavierNormal' (Glorot) use gain 1. A function is applied to
   * every weight as is. Biases always get PyTorch's default, U(±1/√fanIn).
   */
  init?: InitName | Initializer;
  /** Dropout probability after each hidden activation (default 0: no Dropout layers). */
  dropout?: number;
  /** Learn biases (default true). */
  bias?: boolean;
  /** Generator for the initial weights and the dropout masks (default: the global one). */
  rng?: RNG;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
}

/** An activation layer by name. */
export function activationLayer(name: OutputActivationName, slope = 0.01): Module {
  switch (requireOneOf('activation', name, outputActivationNames)) {
    case 'relu': return new ReLU();
    case 'leakyRelu': return new LeakyReLU(slope);
    case 'tanh': return new Tanh();
    case 'sigmoid': return new Sigmoid();
    case 'softplus': return new Softplus();
    case 'softmax': return new Softmax(-1);
    case 'logSoftmax': return new LogSoftmax(-1);
    default: return new Identity();
  }
}

/** The gain family for an activation; softplus counts as relu, normalisations as linear. */
function nonlinearityOf(name: OutputActivationName | undefined): Nonlinearity {
  switch (name) {
    case 'relu': case 'softplus': return 'relu';
    case 'leakyRelu': return 'leakyRelu';
    case 'tanh': return 'tanh';
    case 'sigmoid': return 'sigmoid';
    default: return 'linear';
  }
}

/**
 * A multilayer perceptron as a {@link Sequential}: `sizes = [in, h₁, …, out]` gives Linear(in, h₁),
 * activation, …, Linear(h_last, out) and the optional output activation. With no dropout, the
 * Linear layers sit at even indices: parameters `layers.0.weight`, `layers.0.bias`,
 * `layers.2.weight`, … Layers are initialised in order from `rng`, so a seed fixes the model.
 *
 * @example
 * const model = mlp([784, 128, 64, 10], { activation: 'relu', rng: new RNG(0) });
 */
export function mlp(sizes: readonly number[], options: MlpOptions = {}): Sequential {
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new ValueError(`mlp: sizes must list at least an input and an output size, got ${JSON.stringify(sizes)}`);
  }
  sizes.forEach((s, i) => requireInteger(`mlp sizes[${i}]`, s, 1));
  const activation = requireOneOf('mlp activation', options.activation ?? 'relu', activationNames);
  const slope = requireFinite('mlp slope', options.slope ?? 0.01);
  const out = options.outputActivation;
  if (out !== undefined) requireOneOf('mlp outputActivation', out, outputActivationNames);
  const p = requireInClosedRange('mlp dropout', options.dropout ?? 0, 0, 1);
  const init = options.init ?? 'default';
  const rng = options.rng ?? defaultGenerator();
  const layers: Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const last = i + 2 === sizes.length;
    const follows = last ? out : activation;
    const weightInit = typeof init === 'function' ? init : initByName(init, nonlinearityOf(follows), slope);
    layers.push(new Linear(sizes[i], sizes[i + 1], { bias: options.bias ?? true, weightInit, rng, dtype: options.dtype }));
    if (!last) {
      layers.push(activationLayer(activation, slope));
      if (p > 0) layers.push(new Dropout(p, { rng: options.rng }));
    } else if (out !== undefined) {
      layers.push(activationLayer(out, slope));
    }
  }
  return new Sequential(...layers);
}
