import type { AdamStepItem, AdamStepRule, Backend, BinaryOp, MatmulEpilogue, MatmulSpec, ReduceOp, SgdStepItem, SgdStepRule, UnaryOp, UnaryParam } from '../backend.js';
import { jsBackend } from '../js/index.js';
import { softmaxCrossEntropy, softmaxCrossEntropyBackward } from '../js/softmax-cross-entropy.js';
import { OptimTable, wasmAdamStep, wasmSgdStep } from './optim.js';
import { routeKernels } from '../dispatch.js';
import { OpenWork } from './open-work.js';
import { type ArrayForDType, type DType, type FloatArray, type TypedArray, allocArray } from '../../tensor/dtype.js';
import type { WasmHeap } from './heap.js';
import { GEMM_BIAS, GEMM_BIAS_RELU, GEMM_PLAIN, GEMM_RELU, MATMUL_NR, type KernelBuild, type WasmKernels, binaryCodes, reduceCodes, unaryCodes } from './kernels.js';
import { SharePolicy } from './share-policy.js';
import type { WasmThreadPool } from './threads.js';

/** Products with fewer multiply-adds than this run on one thread (waking workers costs more). */
const THREAD_MIN_MACS = 1 << 18;

/**
 * Resolves arrays to heap addresses for one kernel call: float32 views into the heap are used in
 * place; other float32 arrays are copied into scratch blocks (and outputs copied back).
 */
class Args {
  private temps: Array<{ ptr: number; bytes: number; copyBack: Float32Array | null }> = [];
  constructor(private readonly heap: WasmHeap) {}

  /** Address of `x` (copied in when it lives elsewhere). */
  in(x: Float32Array): number {
    const p = this.heap.addressOf(x);
    if (p >= 0) return p;
    const ptr = this.scratch(x.length, null);
    this.heap.view(ptr, x.length).set(x);
    return ptr;
  }

  /** Address `out` is written through (copied back by {@link finish} when it lives elsewhere). */
  out(x: Float32Array, copyIn = false): number {
    const p = this.heap.addressOf(x);
    if (p >= 0) return p;
    const ptr = this.scratch(x.length, x);
    if (copyIn) this.heap.view(ptr, x.length).set(x);
    return ptr;
  }

  /** Scratch space of `length` floats for this call. */
  scratch(length: number, copyBack: Float32Array | null): number {
    const bytes = Math.max(4, length * 4);
    const ptr = this.heap.allocRaw(bytes);
    this.temps.push({ ptr, bytes, copyBack });
    return ptr;
  }

  finish(): void {
    for (const t of this.temps) {
      if (t.copyBack) t.copyBack.set(this.heap.view(t.ptr, t.copyBack.length));
      this.heap.free(t.ptr, t.bytes);
    }
    this.temps.length = 0;
  }
}

const isF32 = (x: TypedArray): x is Float32Array => x instanceof Float32Array;

/**
 * Merges adjacent dimensions that are contiguous in both operands (the output is contiguous), drops
 * size-1 ones, and returns the coalesced shape and strides, outermost first.
 */
export function coalesce(shape: readonly number[], sa: readonly number[], sb: readonly number[]): { shape: number[]; sa: number[]; sb: number[] } {
  const s: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && a[last] === sa[d] * shape[d] && b[last] === sb[d] * shape[d]) {
      s[last] *= shape[d];
      a[last] = sa[d];
      b[last] = sb[d];
    } else {
      s.push(shape[d]);
      a.push(sa[d]);
      b.push(sb[d]);
    }
  }
  return { shape: s, sa: a, sb: b };
}

/**
 * The WebAssembly SIMD backend over one heap: float32 arrays in the heap run the SIMD kernels in
 * place; float64/int32 arrays and ops without a SIMD kernel (exp, log, tanh, gathers, strided
 * copies…) run the reference JS kernels, which work on heap views like on any typed array.
 * With threads, large products and optimizer steps are shared with workers. Inside an
 * {@link overlap} scope (the library's `fit`) an optimizer step may be left running when its call
 * returns; every kernel passes through one dispatch (dispatch.ts → open-work.ts) that waits for
 * it first when the kernel touches its arrays, and the scope's end finishes it.
 */
export class WasmBackend implements Backend {
  /** The name it is registered under for `setBackend` (`WasmBackendOptions.name`, default 'wasm'). */
  readonly name: string;
  /** The compiled kernels (for benchmarks; ops go through the Backend methods). */
  readonly k: WasmKernels;
  /** The shared WebAssembly memory `alloc` hands float32 arrays out of; kernels and workers address it directly. */
  readonly heap: WasmHeap;
  /** Worker threads that share large matrix products and optimizer steps, or null when started with one thread. */
  readonly pool: WasmThreadPool | null;
  /** The build of the kernels it runs: 'fma' (fused multiply-add in matrix products) or 'simd' (portable). */
  readonly build: KernelBuild;
  /** Which products are worth sharing among threads, as measured. */
  private readonly sharing = new SharePolicy();
  private packPtr = 0;
  private packSize = 0;
  /** Where the fused optimizer steps list their parameters. */
  private readonly optimTable: OptimTable;
  /** The work left running on the workers (inside overlap scopes only). */
  private readonly work: OpenWork;

  constructor(name: string, kernels: WasmKernels, heap: WasmHeap, pool: WasmThreadPool | null, build: KernelBuild = 'simd') {
    this.name = name;
    this.k = kernels;
    this.heap = heap;
    this.optimTable = new OptimTable(heap, kernels);
    this.pool = pool;
    this.build = build;
    this.work = new OpenWork(heap, () => pool?.join());
    routeKernels(this, this.work);
  }

  overlap<T>(fn: () => T): T {
    return this.work.overlap(fn);
  }

  /** Threads matrix products use now (1 … started workers + 1). */
  get threads(): number {
    return this.pool ? this.pool.active : 1;
  }

  /** Sets the threads products may use, clamped to 1 … workers + 1 and floored; ignored without a pool. */
  set threads(n: number) {
    if (!this.pool) return;
    this.work.settle();
    this.pool.active = Math.max(1, Math.min(this.pool.size + 1, Math.floor(n)));
  }

  alloc<D extends DType>(dtype: D, length: number): ArrayForDType[D] {
    if (dtype === 'float32') return this.heap.allocF32(length) as ArrayForDType[D];
    return allocArray(dtype, length);
  }

  /** A float32 block that may hold old values (see Backend.allocUninitialized). */
  allocUninitialized<D extends DType>(dtype: D, length: number): ArrayForDType[D] {
    if (dtype === 'float32') return this.heap.allocF32(length, false) as ArrayForDType[D];
    return allocArray(dtype, length);
  }

  openScope(): void {
    this.heap.openScope();
  }

  closeScope(release: ReadonlySet<TypedArray>): void {
    this.heap.closeScope(release);
  }

  unary(op: UnaryOp, x: FloatArray, out: FloatArray, param: UnaryParam = {}): void {
    let code = unaryCodes[op];
    let p = op === 'clamp' ? (param.min ?? -Infinity) : (param.scalar ?? 0.01);
    const q = param.max ?? Infinity;
    if (op === 'powScalar' && param.scalar === 2) code = unaryCodes.square;
    if (code === undefined || !isF32(x) || !isF32(out) || x.length === 0) {
      jsBackend.unary(op, x, out, param);
      return;
    }
    if (op === 'leakyRelu' || op === 'leakyReluSlope') p = param.scalar ?? 0.01;
    const args = new Args(this.heap);
    this.k.unary(code, args.in(x), args.out(out), x.length, p, q);
    args.finish();
  }

  binary(op: BinaryOp, a: FloatArray, aStrides: readonly number[], b: FloatArray, bStrides: readonly number[], out: FloatArray, shape: readonly number[]): void {
    const code = binaryCodes[op];
    if (code === undefined || !isF32(a) || !isF32(b) || !isF32(out) || out.length === 0) {
      jsBackend.binary(op, a, aStrides, b, bStrides, out, shape);
      return;
    }
    const c = coalesce(shape, aStrides, bStrides);
    const args = new Args(this.heap);
    const pa = args.in(a);
    const pb = args.in(b);
    const po = args.out(out);
    const r = c.shape.length;
    if (r <= 2) {
      const rows = r === 2 ? c.shape[0] : 1;
      const cols = r >= 1 ? c.shape[r - 1] : 1;
      this.k.binary(code, pa, r === 2 ? c.sa[0] : 0, r >= 1 ? c.sa[r - 1] : 0, pb, r === 2 ? c.sb[0] : 0, r >= 1 ? c.sb[r - 1] : 0, po, rows, cols);
    } else {
      // Walk the outer dimensions here; the kernel does the inner two.
      const rows = c.shape[r - 2];
      const cols = c.shape[r - 1];
      const outer = c.shape.slice(0, r - 2);
      const idx = new Array<number>(outer.length).fill(0);
      let ia = 0;
      let ib = 0;
      for (let o = 0; o < out.length; o += rows * cols) {
        this.k.binary(code, pa + 4 * ia, c.sa[r - 2], c.sa[r - 1], pb + 4 * ib, c.sb[r - 2], c.sb[r - 1], po + 4 * o, rows, cols);
        for (let d = outer.length - 1; d >= 0; d--) {
          idx[d]++;
          ia += c.sa[d];
          ib += c.sb[d];
          if (idx[d] < outer[d]) break;
          ia -= c.sa[d] * outer[d];
          ib -= c.sb[d] * outer[d];
          idx[d] = 0;
        }
      }
    }
    args.finish();
  }

  accumulate(dst: FloatArray, src: FloatArray): void {
    if (!isF32(dst) || !isF32(src)) {
      jsBackend.accumulate(dst, src);
      return;
    }
    const args = new Args(this.heap);
    this.k.accumulate(args.out(dst, true), args.in(src), dst.length);
    args.finish();
  }

  matmul(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec): void {
    this.matmulFused(a, b, out, spec, {});
  }

  /**
   * Fused dense layer: out = op(a)·op(b), then + bias (a row vector of n, added to every row) and
   * ReLU. Same values as the unfused ops on this backend (the sum is finished before the bias).
   */
  matmulFused(a: FloatArray, b: FloatArray, out: FloatArray, spec: MatmulSpec, epilogue: MatmulEpilogue): void {
    const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = spec;
    const bias = epilogue.bias ?? null;
    const relu = epilogue.relu ?? false;
    if (!isF32(a) || !isF32(b) || !isF32(out) || (bias !== null && !isF32(bias))) {
      // The JS kernel accumulates into `out`, which may come uninitialized.
      out.fill(0);
      jsBackend.matmul(a, b, out, spec);
      this.epilogueJs(out, n, bias, relu);
      return;
    }
    if (out.length === 0) return;
    const args = new Args(this.heap);
    const pa = args.in(a);
    const pb = args.in(b);
    const po = args.out(out);
    const pbias = bias ? args.in(bias) : 0;
    const mode = bias ? (relu ? GEMM_BIAS_RELU : GEMM_BIAS) : relu ? GEMM_RELU : GEMM_PLAIN;
    if (k === 0) {
      // Empty sum: zeros, then the epilogue.
      this.heap.view(po, out.length).fill(0);
      args.finish();
      this.epilogueJs(out, n, bias, relu);
      return;
    }
    const panelsB = Math.ceil(n / MATMUL_NR);
    // A is read in place; B's packed panels (where it needs them) are indexed by column panel.
    const need = panelsB * MATMUL_NR * k * 4;
    const pack = this.packSpace(need);
    const shareable = this.pool !== null && m * n * k >= THREAD_MIN_MACS && this.pool.canShare(panelsB);
    const shape = shareable ? `${batch},${m},${k},${n},${transA ? 1 : 0}${transB ? 1 : 0}${aBatchStride === 0 ? 0 : 1}${bBatchStride === 0 ? 0 : 1}` : '';
    const threaded = shareable && this.sharing.shouldShare(shape);
    const t0 = shareable ? performance.now() : 0;
    for (let p = 0; p < batch; p++) {
      const ao = pa + 4 * p * aBatchStride;
      const bo = pb + 4 * p * bBatchStride;
      const oo = po + 4 * p * m * n;
      if (threaded) {
        this.pool!.gemm(this.k, ao, transA, pack, oo, m, k, n, bo, transB, pbias, mode, panelsB);
      } else {
        if (p === 0 || bBatchStride !== 0) this.k.packB(bo, m, k, n, transB ? 1 : 0, pack, 0, panelsB);
        this.k.gemmTiles(ao, transA ? 1 : 0, bo, transB ? 1 : 0, pack, oo, m, k, n, 0, panelsB, pbias, mode);
      }
    }
    if (shareable) this.sharing.record(shape, threaded, performance.now() - t0);
    args.finish();
  }

  private epilogueJs(out: FloatArray, n: number, bias: FloatArray | null, relu: boolean): void {
    if (bias) for (let i = 0; i < out.length; i++) out[i] += bias[i % n];
    if (relu) for (let i = 0; i < out.length; i++) out[i] = out[i] > 0 ? out[i] : 0;
  }

  /** The packing scratch block, grown (never shrunk) to `bytes`. */
  private packSpace(bytes: number): number {
    if (bytes > this.packSize) {
      if (this.packSize > 0) this.heap.free(this.packPtr, this.packSize);
      this.packSize = Math.max(bytes, this.packSize * 2);
      this.packPtr = this.heap.allocRaw(this.packSize);
    }
    return this.packPtr;
  }

  reduce(op: ReduceOp, x: FloatArray, out: FloatArray, outer: number, length: number, inner: number): void {
    if (!isF32(x) || !isF32(out) || out.length === 0) {
      jsBackend.reduce(op, x, out, outer, length, inner);
      return;
    }
    const args = new Args(this.heap);
    this.k.reduce(reduceCodes[op], x.length === 0 ? args.scratch(1, null) : args.in(x), args.out(out), outer, length, inner);
    args.finish();
  }

  argReduce(op: 'argmax' | 'argmin', x: FloatArray, out: Int32Array, outer: number, length: number, inner: number): void {
    jsBackend.argReduce(op, x, out, outer, length, inner);
  }

  stridedCopy(src: TypedArray, srcOffset: number, srcStrides: readonly number[], dst: TypedArray, dstOffset: number, dstStrides: readonly number[], shape: readonly number[], accumulate: boolean): void {
    jsBackend.stridedCopy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape, accumulate);
  }

  gatherRows(x: TypedArray, indices: Int32Array, rowSize: number, out: TypedArray): void {
    const px = isF32(x) ? this.heap.addressOf(x) : -1;
    const po = isF32(out) ? this.heap.addressOf(out) : -1;
    if (px < 0 || po < 0 || indices.length === 0) {
      jsBackend.gatherRows(x, indices, rowSize, out);
      return;
    }
    // A batch of a dataset in the heap: one bulk copy per row, in the kernel.
    const args = new Args(this.heap);
    const pi = args.scratch(indices.length, null);
    new Int32Array(this.heap.buffer, pi, indices.length).set(indices);
    this.k.gatherRows(px, pi, indices.length, 4 * rowSize, po);
    args.finish();
  }

  scatterAddRows(g: FloatArray, indices: Int32Array, rowSize: number, out: FloatArray): void {
    jsBackend.scatterAddRows(g, indices, rowSize, out);
  }

  select(cond: FloatArray, a: FloatArray, b: FloatArray, out: FloatArray): void {
    if (!isF32(cond) || !isF32(a) || !isF32(b) || !isF32(out)) {
      jsBackend.select(cond, a, b, out);
      return;
    }
    const args = new Args(this.heap);
    this.k.select(args.in(cond), args.in(a), args.in(b), args.out(out), out.length);
    args.finish();
  }

  sgdStep(items: readonly SgdStepItem[], rule: SgdStepRule): boolean {
    return wasmSgdStep(this.k, this.heap, this.pool, this.optimTable, items, rule, this.work);
  }

  adamStep(items: readonly AdamStepItem[], rule: AdamStepRule): boolean {
    return wasmAdamStep(this.k, this.heap, this.pool, this.optimTable, items, rule, this.work);
  }

  softmaxCrossEntropy(logits: FloatArray, labels: Int32Array, n: number, c: number, probs: FloatArray): number {
    if (!isF32(logits) || !isF32(probs)) return softmaxCrossEntropy(logits, labels, n, c, probs);
    const args = new Args(this.heap);
    const pl = args.in(logits);
    const pp = args.out(probs);
    // One scratch block: the labels (int32), then c float64 (8-byte aligned) for the kernel.
    const eOffset = 8 * Math.ceil(n / 2);
    const scratch = args.scratch(eOffset / 4 + 2 * c, null);
    new Int32Array(this.heap.buffer, scratch, n).set(labels);
    const loss = this.k.softmaxCrossEntropy(pl, scratch, n, c, pp, scratch + eOffset);
    args.finish();
    return loss;
  }

  softmaxCrossEntropyBackward(probs: FloatArray, labels: Int32Array, n: number, c: number, scale: number, out: FloatArray): void {
    softmaxCrossEntropyBackward(probs, labels, n, c, scale, out);
  }
}
