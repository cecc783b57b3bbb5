import { DTypeError, ReleasedTensorError, ShapeError, formatShape } from '../util/errors.js';
import { type DType, type TypedArray, dtypeOf } from './dtype.js';
import { type Shape, sizeOf, stridesOf } from './shape.js';

/**
 * One recorded operation in the autograd graph: which op made a tensor, from which inputs, and how
 * to turn the output's gradient into the inputs' (the vector–Jacobian product).
 */
export interface GradNode {
  /** Name of the op that made the tensor. */
  readonly op: string;
  /** The op's tensor inputs. */
  readonly inputs: readonly Tensor[];
  /** Gradients with respect to each input (null where an input needs none), in the op's shapes. */
  vjp(gradOutput: Tensor): readonly (Tensor | null)[];
  /**
   * Tensors `vjp` reads that are neither an input nor the output (a mask, saved probabilities): a
   * `tidy()` scope that keeps the output keeps these with the graph.
   */
  readonly saved?: readonly Tensor[];
}

/** Nested number arrays, as accepted by `tensor()` and returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/**
 * Where tensors are listed while a `tidy()` scope runs (autograd/tidy.ts opens and closes it):
 * the scope reclaims the memory of those it does not keep when it ends.
 */
export const tensorScope: { made: Tensor[] | null } = { made: null };

/** Cuts a tensor from its elements once its scope has reclaimed them (set in Tensor's static block). */
let cutData: (t: Tensor) => void;

/** Marks `t` released: its memory went back to the backend; reading it throws from now on. */
export function markReleased(t: Tensor): void {
  cutData(t);
}

/**
 * A dense n-dimensional array, row-major, with an optional gradient.
 *
 * The elements live in `data`, a typed array produced by the active backend (on the JS heap for the
 * reference backend, in WebAssembly memory for the fast one), so kernels read and write it without
 * a copy per op. Tensors are immutable from the library's point of view except for the optimizer's
 * in-place parameter updates and gradient accumulation. Memory is reclaimed by the garbage
 * collector; a training step run in `tidy()` hands its tensors' memory back as soon as it ends,
 * so the next step reuses it while it is still in the CPU's cache.
 *
 * Arithmetic methods (`add`, `matmul`, `sum`, `backward`, …) are installed by the ops layer; create
 * tensors with `tensor()`, `zeros()`, `randn()` and friends.
 */
export class Tensor {
  #data: TypedArray | null;
  /** Size of each dimension; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** Element type: 'float32' (default), 'float64' or 'int32'. */
  readonly dtype: DType;
  /** When true, `backward()` fills `grad` (for leaves) and records ops that use this tensor. */
  requiresGrad: boolean;
  /** Accumulated gradient, same shape and dtype; filled by `backward()`, cleared by `zeroGrad`. */
  grad: Tensor | null = null;
  /** Set by ops when this tensor was computed from tensors that require grad. */
  gradNode: GradNode | null = null;
  /** When true, `backward()` also keeps this non-leaf tensor's gradient in `grad`. */
  retainsGrad = false;

  constructor(data: TypedArray, shape: Shape, requiresGrad = false) {
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`);
    }
    this.#data = data;
    this.size = data.length;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
    if (requiresGrad && this.dtype === 'int32') {
      throw new DTypeError('Tensor: only floating tensors can require gradients, got dtype int32');
    }
    this.requiresGrad = requiresGrad;
    tensorScope.made?.push(this);
  }

  static {
    cutData = (t) => {
      t.#data = null;
    };
  }

  /** Elements in row-major order. Throws {@link ReleasedTensorError} once a `tidy()` scope has released the tensor. */
  get data(): TypedArray {
    const data = this.#data;
    if (data === null) {
      throw new ReleasedTensorError(`a tensor of shape ${formatShape(this.shape)} was used after the tidy() scope that made it ended; return it from the scope's function, or keep() it, to use it afterwards`);
    }
    return data;
  }

  /** True once the `tidy()` scope that made this tensor has ended without keeping it. */
  get isReleased(): boolean {
    return this.#data === null;
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** True for tensors not produced by a recorded op (parameters, inputs). */
  get isLeaf(): boolean {
    return this.gradNode === null;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item: tensor of shape ${formatShape(this.shape)} has ${this.size} elements, expected 1`);
    return this.data[0];
  }

  /** The elements as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    if (this.rank === 0) return this.data[0];
    const strides = stridesOf(this.shape);
    const build = (dim: number, offset: number): NestedArray[] => {
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[dim]; i++) {
        const at = offset + i * strides[dim];
        out.push(dim === this.rank - 1 ? this.data[at] : build(dim + 1, at));
      }
      return out;
    };
    return build(0, 0);
  }

  /** The elements as a flat plain array. */
  toFlatArray(): number[] {
    return Array.from(this.data);
  }

  /** A tensor sharing this one's data but cut from the graph (no gradient flows through it). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  /** Marks this tensor as a leaf that needs gradients (in place) and returns it. */
  requireGrad(flag = true): this {
    if (flag && this.dtype === 'int32') throw new DTypeError('requireGrad: only floating tensors can require gradients');
    this.requiresGrad = flag;
    return this;
  }

  /** Keeps the gradient of this non-leaf tensor after `backward()`, like PyTorch's `retain_grad`. */
  retainGrad(): this {
    this.retainsGrad = true;
    return this;
  }

  /** A short description with the shape, dtype and (the first) values. */
  toString(): string {
    if (this.isReleased) return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}, released)`;
    const shown = this.size <= 20 ? JSON.stringify(this.toArray()) : `[${Array.from(this.data.subarray(0, 8)).join(', ')}, …]`;
    return `Tensor(shape=${formatShape(this.shape)}, dtype=${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''}, ${shown})`;
  }
}
