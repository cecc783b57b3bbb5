import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { ReLU } from './activations.js';
import { Linear } from './linear.js';
import { Module, type ModuleSpec } from './module.js';

/**
 * Modules applied one after another. They live in the field `layers`, so parameters are named
 * `layers.0.weight`, `layers.0.bias`, `layers.2.weight`, … (as `nn.Sequential` names them `0.weight`).
 *
 * @example
 * const model = new Sequential(new Linear(2, 8, { rng }), new Tanh(), new Linear(8, 1, { rng }));
 */
export class Sequential extends Module {
  /** The modules, in the order `forward` applies them. */
  readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw new ValueError(`Sequential: argument ${i} is not a Module`);
    });
    this.layers = [...modules];
  }

  /** Number of layers. */
  get length(): number {
    return this.layers.length;
  }

  /** Adds a module at the end; returns this. */
  append(m: Module): this {
    if (!(m instanceof Module)) throw new ValueError('Sequential.append: the argument is not a Module');
    this.layers.push(m);
    return this;
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      // A Linear then a ReLU (exactly these classes, not subclasses that may change forward) run
      // as one fused op: the same values, one pass and one tensor less.
      if (layer.constructor === Linear && this.layers[i + 1]?.constructor === ReLU) {
        y = (layer as Linear).forwardRelu(y);
        i++;
      } else {
        y = layer.forward(y);
      }
    }
    return y;
  }

  override toSpec(): ModuleSpec {
    return { type: 'Sequential', layers: this.layers.map((m) => m.toSpec()) };
  }
}
