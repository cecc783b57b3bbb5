import { logSoftmax, softmax } from '../ops/activations.js';
import { leakyRelu, relu, sigmoid, softplus, tanh } from '../ops/elementwise.js';
import { flatten } from '../ops/shape-ops.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { requireFinite } from '../util/validate.js';
import { Module, type ModuleSpec } from './module.js';

/** Parameter-free layers wrapping the activation ops, so they can sit in a `Sequential`. */

function requireAxis(name: string, axis: unknown): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new ValueError(`${name} must be an integer (negative counts from the end), got ${String(axis)}`);
  return axis;
}

/** max(x, 0), elementwise. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
  override toSpec(): ModuleSpec {
    return { type: 'ReLU' };
  }
}

/** max(x, 0) + slope·min(x, 0), elementwise (default slope 0.01, as PyTorch). */
export class LeakyReLU extends Module {
  /** Multiplier of negative inputs (default 0.01). */
  readonly slope: number;
  constructor(slope = 0.01) {
    super();
    this.slope = requireFinite('LeakyReLU slope', slope);
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.slope);
  }
  override toSpec(): ModuleSpec {
    return { type: 'LeakyReLU', slope: this.slope };
  }
  protected override extraRepr(): string {
    return `slope=${this.slope}`;
  }
}

/** σ(x) = 1/(1+e⁻ˣ), elementwise. */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
  override toSpec(): ModuleSpec {
    return { type: 'Sigmoid' };
  }
}

/** tanh(x), elementwise. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
  override toSpec(): ModuleSpec {
    return { type: 'Tanh' };
  }
}

/** log(1+eˣ), elementwise (computed stably). */
export class Softplus extends Module {
  forward(x: Tensor): Tensor {
    return softplus(x);
  }
  override toSpec(): ModuleSpec {
    return { type: 'Softplus' };
  }
}

/** softmax along `axis` (default −1, the class axis of (batch, classes) logits). */
export class Softmax extends Module {
  /** Axis the probabilities sum to 1 along; negative counts from the end (default −1). */
  readonly axis: number;
  constructor(axis = -1) {
    super();
    this.axis = requireAxis('Softmax axis', axis);
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.axis);
  }
  override toSpec(): ModuleSpec {
    return { type: 'Softmax', axis: this.axis };
  }
  protected override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}

/** log softmax along `axis` (default −1), computed stably as x − logsumexp(x). */
export class LogSoftmax extends Module {
  /** Axis normalised over; negative counts from the end (default −1). */
  readonly axis: number;
  constructor(axis = -1) {
    super();
    this.axis = requireAxis('LogSoftmax axis', axis);
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.axis);
  }
  override toSpec(): ModuleSpec {
    return { type: 'LogSoftmax', axis: this.axis };
  }
  protected override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}

/** Returns its input unchanged (a placeholder, e.g. for "no output activation"). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
  override toSpec(): ModuleSpec {
    return { type: 'Identity' };
  }
}

/**
 * Flattens every dimension from `startAxis` (default 1, keeping the batch axis) into one, as
 * PyTorch's `nn.Flatten`: (batch, 28, 28) → (batch, 784).
 */
export class Flatten extends Module {
  /** First axis merged; it and every later axis become one (default 1). */
  readonly startAxis: number;
  constructor(startAxis = 1) {
    super();
    this.startAxis = requireAxis('Flatten startAxis', startAxis);
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startAxis);
  }
  override toSpec(): ModuleSpec {
    return { type: 'Flatten', startAxis: this.startAxis };
  }
  protected override extraRepr(): string {
    return `startAxis=${this.startAxis}`;
  }
}
