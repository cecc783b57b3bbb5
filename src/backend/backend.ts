import type { DType, FloatArray, TypedArray, ArrayForDType } from '../tensor/dtype.js';

/**
 * The kernel seam. Every op computes through one of these plain kernels; nothing above this layer
 * touches elements in a loop. A backend owns where the bytes live: `alloc` returns a typed array
 * the backend's kernels can use directly (the JS heap for the reference backend, WebAssembly memory
 * for the fast one), so a chain of ops runs without copying data between them.
 *
 * Kernels write into an `out` array allocated by the caller through `alloc`; shapes are already
 * checked and broadcast strides already computed by the ops layer.
 */
export interface Backend {
  /** The name it is registered and selected under (`setBackend`): 'js' for the reference backend, 'wasm' by default for WebAssembly. */
  readonly name: string;

  /** A zero-filled array of `length` elements of `dtype`. */
  alloc<D extends DType>(dtype: D, length: number): ArrayForDType[D];

  /**
   * Optional: like {@link alloc}, but the elements may hold anything — for an output the kernel
   * that follows overwrites entirely (a product, an elementwise op), where zero-filling first
   * would only cost time.
   */
  allocUninitialized?<D extends DType>(dtype: D, length: number): ArrayForDType[D];

  /**
   * Optional, for `tidy()`: from `openScope` on, arrays this backend allocates stay the caller's
   * until the matching `closeScope`, which takes those in `release` back at once (nothing reads
   * them again; reusing their memory while it is still in the CPU's cache is the point) and leaves
   * the others to the enclosing scope, or to the garbage collector. Scopes nest.
   */
  openScope?(): void;
  /** Closes the innermost scope opened by {@link openScope}; see there. */
  closeScope?(release: ReadonlySet<TypedArray>): void;

  /**
   * Optional: runs `fn` allowing this backend to leave work running on other threads past a
   * kernel's return (an optimizer step), and returns once all of it is finished. Outside such a
   * scope every kernel returns with its results written. Inside it, every kernel still orders
   * itself after the open work it touches; `fn` must not read the elements of an array it gave a
   * kernel other than through kernels — which is why only the library's own loops (`fit`) open it,
   * around code whose every read they control. Scopes nest; the outermost one settles.
   */
  overlap?<T>(fn: () => T): T;

  /** `out[i] = f(x[i])`. `param` carries the op's scalar (leaky slope, power, clamp bounds). */
  unary(op: UnaryOp, x: FloatArray, out: FloatArray, param?: UnaryParam): void;

  /**
   * `out[i] = f(a[ia], b[ib])` over `shape`, where `ia`/`ib` follow `aStrides`/`bStrides`
   * (stride 0 on broadcast dimensions).
   */
  binary(op: BinaryOp, a: FloatArray, aStrides: readonly number[], b: FloatArray, bStrides: readonly number[], out: FloatArray, shape: readonly number[]): void;

  /** `dst[i] += src[i]` (gradient accumulation, in place). */
  accumulate(dst: FloatArray, src: FloatArray): void;

  /**
   * Batched matrix product `out[p] = op(a[p]) · op(b[p])` for `p < batch`, with `op` a transpose
   * when `transA`/`transB`; `out` is (batch, m, n), contiguous. A batch stride of 0 reuses one
   * matrix for the whole batch. Transposes are read in place, never materialised. `out` must not
   * overlap `a` or `b` (the kernels write it while still reading them).
   */
  matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void;

  /**
   * Reduces the middle axis of `x` viewed as (outer, length, inner) into `out` (outer, inner).
   */
  reduce(op: ReduceOp, x: FloatArray, out: FloatArray, outer: number, length: number, inner: number): void;

  /** Index of the max (first on ties) along the middle axis of (outer, length, inner). */
  argReduce(op: 'argmax' | 'argmin', x: FloatArray, out: Int32Array, outer: number, length: number, inner: number): void;

  /**
   * General strided copy: for every index `idx` of `shape`,
   * `dst[dstOffset + idx·dstStrides] (+)= src[srcOffset + idx·srcStrides]`.
   * Transpose, slice, broadcast-expand, concat and their gradients are all this one kernel.
   */
  stridedCopy(src: TypedArray, srcOffset: number, srcStrides: readonly number[], dst: TypedArray, dstOffset: number, dstStrides: readonly number[], shape: readonly number[], accumulate: boolean): void;

  /** `out[r] = x[indices[r]]` for rows of `rowSize` elements. */
  gatherRows(x: TypedArray, indices: Int32Array, rowSize: number, out: TypedArray): void;

  /** `out[indices[r]] += g[r]` for rows of `rowSize` elements (the gradient of gatherRows). */
  scatterAddRows(g: FloatArray, indices: Int32Array, rowSize: number, out: FloatArray): void;

  /** `out[i] = cond[i] ≠ 0 ? a[i] : b[i]` (all same length). */
  select(cond: FloatArray, a: FloatArray, b: FloatArray, out: FloatArray): void;

  // ---- Optional fused kernels. Ops use them when present; results equal the unfused ops'. ----

  /**
   * Optional fused dense layer: `out = op(a)·op(b)`, then `+ bias` (a row of `n` added to every
   * output row) and then ReLU, as {@link MatmulEpilogue} asks.
   */
  matmulFused?(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec, epilogue: MatmulEpilogue): void;

  /**
   * Optional fused SGD step over all of a group's parameters at once (PyTorch's rule, as src/optim's
   * `sgdUpdate` loop computes it, for each item), in place on each `param` and `momentumBuffer`: one
   * call however many parameters, as PyTorch's multi-tensor optimizers do. Returns false, changing
   * nothing, when it cannot run every one of these arrays (not float32 arrays of this backend); the
   * caller then runs its own loops. Inside {@link overlap} it may return before the update is done.
   */
  sgdStep?(items: readonly SgdStepItem[], rule: SgdStepRule): boolean;

  /**
   * Optional fused Adam/AdamW step over all of a group's parameters at once (as src/optim's
   * `adamUpdate` loop computes it, for each item), in place on each `param` and its moments `m`, `v`
   * and (amsgrad) `vMax`. Returns false, changing nothing, when it cannot run every one of these
   * arrays. Inside {@link overlap} it may return before the update is done, as `sgdStep` may.
   */
  adamStep?(items: readonly AdamStepItem[], rule: AdamStepRule): boolean;

  /**
   * Optional fused softmax cross-entropy over (n, c) logits and n class labels in [0, c): writes
   * softmax(logits) into `probs` (n, c) and returns the mean loss −(1/n)·Σᵢ log softmax(xᵢ)_{yᵢ},
   * computed in float64. Returns null, writing nothing, when it cannot run these arrays.
   */
  softmaxCrossEntropy?(logits: FloatArray, labels: Int32Array, n: number, c: number, probs: FloatArray): number | null;

  /** The gradient of {@link softmaxCrossEntropy}: `out = scale·(probs − onehot(labels))`. */
  softmaxCrossEntropyBackward?(probs: FloatArray, labels: Int32Array, n: number, c: number, scale: number, out: FloatArray): void;
}

/**
 * The numbers of one SGD update (`sgdUpdate` in src/optim/sgd.ts; the fused `sgdStep` kernel
 * takes the same), the learning rate already evaluated.
 */
export interface SgdStepRule {
  /** This step's learning rate: the lr option (a schedule already evaluated) times the group's lrScale. */
  lr: number;
  /** Momentum factor μ; 0 uses no buffer. */
  momentum: number;
  /** Dampening τ of the buffer update b ← μb + (1 − τ)g. */
  dampening: number;
  /** Nesterov momentum: step along g + μb instead of b. */
  nesterov: boolean;
  /** L2 penalty λ: λθ is added to the gradient before momentum. */
  weightDecay: number;
  /** Maximize the objective: the rule uses −∇ in place of ∇. */
  maximize: boolean;
}

/** One parameter of a fused SGD step. */
export interface SgdStepItem {
  param: FloatArray;
  grad: FloatArray;
  /** The momentum buffer, of the parameter's length; null while momentum is 0. */
  momentumBuffer: FloatArray | null;
  /** The parameter's first step with momentum: the buffer is set to the gradient instead of updated. */
  firstMomentumStep: boolean;
}

/** The numbers of a fused Adam step that its parameters share (see `adamUpdate`). */
export interface AdamStepRule {
  /** β₁: m ← β₁·m + (1 − β₁)·g. */
  beta1: number;
  /** β₂: v ← β₂·v + (1 − β₂)·g². */
  beta2: number;
  /** ε added to √v̂ in the denominator. */
  eps: number;
  /** λ; added as λθ to the gradient only when `decoupledDecay` is null (Adam, not AdamW). */
  weightDecay: number;
  /** AdamW: θ ← θ·decay (1 − lr·λ) instead of adding λθ to the gradient. */
  decoupledDecay: number | null;
  /** Ascend instead of descend (the gradient's sign flipped first). */
  maximize: boolean;
}

/** One parameter of a fused Adam step, with the scalars of its own step count t. */
export interface AdamStepItem {
  param: FloatArray;
  grad: FloatArray;
  /** First and second moments, and (amsgrad) the running max of v, else null; each of the parameter's length. */
  m: FloatArray;
  v: FloatArray;
  vMax: FloatArray | null;
  /** lr/(1 − β₁ᵗ) */
  stepSize: number;
  /** √(1 − β₂ᵗ) */
  bc2Sqrt: number;
}

/** What a fused matmul applies after the product. */
export interface MatmulEpilogue {
  /** A row of `n` values added to every output row (a dense layer's bias). */
  bias?: FloatArray | null;
  /** Apply max(·, 0) last. */
  relu?: boolean;
}

/**
 * The elementwise kernels of {@link Backend.unary}. Besides the math functions: `reluMask` is
 * 1 where x > 0 else 0 and `leakyReluSlope` 1 or the slope (the activations' derivatives, used by
 * their gradients), `copy` copies x.
 */
export type UnaryOp =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'square' | 'sign'
  | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'softplus'
  | 'powScalar' | 'clamp' | 'reluMask' | 'leakyReluSlope' | 'copy';

/** The scalars some unary kernels take. */
export interface UnaryParam {
  /** Exponent for powScalar, slope for leakyRelu/leakyReluSlope. */
  scalar?: number;
  /** Bounds for clamp (either may be ±Infinity). */
  min?: number;
  /** Upper bound for clamp. */
  max?: number;
}

/**
 * The broadcasting kernels of {@link Backend.binary}; comparisons write 1 or 0. `reluGrad` is ReLU's
 * gradient in one pass: a where b > 0, else 0 (a the output's gradient, b the input), as PyTorch's
 * threshold_backward — so a masked-out gradient is 0 even when it is ∞ or NaN.
 */
export type BinaryOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'reluGrad';

/** The reductions of {@link Backend.reduce} over one axis. */
export type ReduceOp = 'sum' | 'max' | 'min';

/**
 * The shapes of one {@link Backend.matmul} call. Every matrix is contiguous row-major: `a` holds
 * (m, k) matrices, or (k, m) when transA; `b` holds (k, n), or (n, k) when transB; `out` is (batch, m, n).
 */
export interface MatmulSpec {
  /** Number of products; `out` holds `batch` (m, n) matrices back to back. */
  batch: number;
  /** Rows of op(a) and of each output matrix. */
  m: number;
  /** The inner dimension: columns of op(a), rows of op(b). */
  k: number;
  /** Columns of op(b) and of each output matrix. */
  n: number;
  /** `a` is stored (k, m) and read as its transpose. */
  transA: boolean;
  /** `b` is stored (n, k) and read as its transpose. */
  transB: boolean;
  /** Elements between consecutive matrices of `a` (0 to broadcast one matrix). */
  aBatchStride: number;
  /** Elements between consecutive matrices of `b` (0 to broadcast one matrix). */
  bBatchStride: number;
}
