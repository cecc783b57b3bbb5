import { empty } from '../ops/core.js';
import { mul } from '../ops/elementwise.js';
import { type RNG, defaultGenerator } from '../tensor/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { requireInClosedRange } from '../util/validate.js';
import { Module, type ModuleSpec } from './module.js';

/** Options of {@link Dropout}. */
export interface DropoutOptions {
  /** Generator for the masks (default: the global one at each call, see `manualSeed`). */
  rng?: RNG;
}

/**
 * Inverted dropout (PyTorch's `nn.Dropout`): in training mode each element is zeroed with
 * probability p and the survivors are scaled by 1/(1−p), so the expected output equals the input
 * and evaluation needs no rescaling; in evaluation mode (`model.eval()`) it returns its input.
 * The mask is drawn from the RNG, one uniform per element in row-major order (kept when u ≥ p).
 */
export class Dropout extends Module {
  /** Probability of zeroing each element in training mode, in [0, 1] (default 0.5). */
  readonly p: number;
  private readonly rng: RNG | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    this.p = requireInClosedRange('Dropout p', p, 0, 1);
    this.rng = options.rng;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const rng = this.rng ?? defaultGenerator();
    const mask = empty(x.shape, x.dtype === 'float64' ? 'float64' : 'float32');
    const scale = this.p === 1 ? 0 : 1 / (1 - this.p);
    for (let i = 0; i < mask.size; i++) mask.data[i] = rng.uniform() >= this.p ? scale : 0;
    return mul(x, mask);
  }

  override toSpec(): ModuleSpec {
    return { type: 'Dropout', p: this.p };
  }

  protected override extraRepr(): string {
    return `p=${this.p}`;
  }
}
