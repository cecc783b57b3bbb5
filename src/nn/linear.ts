import { empty } from '../ops/core.js';
import { linear, linearRelu } from '../ops/matmul.js';
import { reshape } from '../ops/shape-ops.js';
import type { FloatDType } from '../tensor/dtype.js';
import { type RNG, defaultGenerator } from '../tensor/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireInteger, requireOneOf } from '../util/validate.js';
import { type Initializer, linearDefaultBias, linearDefaultWeight } from './init.js';
import { Module, type ModuleSpec, Parameter } from './module.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default PyTorch's: U(−1/√inFeatures, 1/√inFeatures), see below). */
  weightInit?: Initializer;
  /** Bias initialiser (default PyTorch's: U(−1/√inFeatures, 1/√inFeatures)). */
  biasInit?: Initializer;
  /** Generator for the initial values (default: the global one, see `manualSeed`). */
  rng?: RNG;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
}

/**
 * A fully connected layer, y = x·Wᵀ + b, with `weight` stored (outFeatures, inFeatures) and `bias`
 * (outFeatures), exactly as PyTorch's `nn.Linear`, so state dicts map one to one.
 *
 * Default initialisation is PyTorch's: the weight gets `kaiming_uniform_(a=√5)`, which is
 * U(−1/√inFeatures, 1/√inFeatures), and the bias U(−1/√inFeatures, 1/√inFeatures). The weight is
 * drawn first, then the bias, from `rng`.
 *
 * @example
 * const fc = new Linear(784, 10, { rng: new RNG(0) });
 * fc.forward(x);   // x: (batch, 784) → (batch, 10)
 */
export class Linear extends Module {
  /** Input features per sample (the weight's second dimension). */
  readonly inFeatures: number;
  /** Output features per sample (the weight's first dimension). */
  readonly outFeatures: number;
  /** Weight of shape (outFeatures, inFeatures). */
  weight: Parameter;
  /** Bias of shape (outFeatures), or null when built with `bias: false`. */
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = requireInteger('Linear inFeatures', inFeatures, 1);
    this.outFeatures = requireInteger('Linear outFeatures', outFeatures, 1);
    const dtype = requireOneOf('Linear dtype', options.dtype ?? 'float32', ['float32', 'float64'] as const);
    const rng = options.rng ?? defaultGenerator();
    this.weight = this.param((options.weightInit ?? linearDefaultWeight())(empty([outFeatures, inFeatures], dtype), rng));
    this.bias = (options.bias ?? true)
      ? this.param((options.biasInit ?? linearDefaultBias(inFeatures))(empty([outFeatures], dtype), rng))
      : null;
  }

  /** (…, inFeatures) → (…, outFeatures); a single sample of shape (inFeatures) is accepted too. */
  forward(x: Tensor): Tensor {
    if (x.rank === 1) return reshape(linear(reshape(x, [1, x.shape[0]]), this.weight, this.bias), [this.outFeatures]);
    return linear(x, this.weight, this.bias);
  }

  /** relu(forward(x)), fused where the backend can (Sequential calls it for a Linear then a ReLU). */
  forwardRelu(x: Tensor): Tensor {
    return linearRelu(x, this.weight, this.bias);
  }

  override toSpec(): ModuleSpec {
    return { type: 'Linear', inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null, dtype: this.weight.dtype };
  }

  protected override extraRepr(): string {
    return `in=${this.inFeatures}, out=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
