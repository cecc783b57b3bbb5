import type { AdamStepItem, AdamStepRule, SgdStepItem, SgdStepRule } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';
import { JOB_ADAM, JOB_SGD, OPTIM_BLOCK } from './control.js';
import type { WasmHeap } from './heap.js';
import type { WasmKernels } from './kernels.js';
import type { OpenWork } from './open-work.js';
import type { WasmThreadPool } from './threads.js';

/**
 * The optimizers' fused updates on the WebAssembly backend, over all of a group's parameters in
 * one kernel call: the parameters are listed in a table in the heap (layouts in asm/optim.ts) and
 * the work is cut into blocks of OPTIM_BLOCK elements numbered across the table, which threads
 * claim as they do a product's panels, so one job updates every parameter. The updates run only
 * when every array is a float32 view into this heap (the optimizer state is allocated there);
 * otherwise they report false and the optimizer runs its reference loops, which copying in and
 * out would not beat.
 */

/** Updates of fewer elements in all run on one thread (waking workers costs more). */
const THREAD_MIN_ELEMENTS = 1 << 16;


/** The tables' sizes and the kernels' flag bits, as the kernels export them (written once, in asm/optim.ts). */
interface OptimLayout {
  sgd: { header: number; item: number; maximize: number; momentum: number; first: number; nesterov: number };
  adam: { header: number; item: number; maximize: number; decoupled: number; amsgrad: number; lerpFromEnd: number };
}

function layoutOf(k: WasmKernels): OptimLayout {
  return {
    sgd: { header: k.SGD_HEADER.value, item: k.SGD_ITEM.value, maximize: k.SGD_MAXIMIZE.value, momentum: k.SGD_MOMENTUM.value, first: k.SGD_FIRST.value, nesterov: k.SGD_NESTEROV.value },
    adam: { header: k.ADAM_HEADER.value, item: k.ADAM_ITEM.value, maximize: k.ADAM_MAXIMIZE.value, decoupled: k.ADAM_DECOUPLED.value, amsgrad: k.ADAM_AMSGRAD.value, lerpFromEnd: k.ADAM_LERP_FROM_END.value },
  };
}

/** Heap byte address of `x`, or -1 when it is not a float32 view into `heap` of `length` elements. */
function address(heap: WasmHeap, x: FloatArray | null, length: number): number {
  return x instanceof Float32Array && x.length === length ? heap.addressOf(x) : -1;
}

/** Blocks of an update of `n` elements. */
const blocksOf = (n: number): number => Math.ceil(n / OPTIM_BLOCK);

/**
 * The block of heap memory the tables are written into, kept between calls and grown (never
 * shrunk) as groups need, with views of it as int32, float32 and float64.
 */
export class OptimTable {
  private ptr = 0;
  private bytes = 0;
  i32: Int32Array<ArrayBufferLike> = new Int32Array(0);
  f32: Float32Array<ArrayBufferLike> = new Float32Array(0);
  f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** The heap byte ranges the listed parameters, gradients and state span (flat [start, end) pairs), refilled each call. */
  readonly ranges: number[] = [];

  /** The kernels' table sizes and flag bits. */
  readonly layout: OptimLayout;

  constructor(private readonly heap: WasmHeap, kernels: WasmKernels) {
    this.layout = layoutOf(kernels);
  }

  /** Makes room for `bytes` and returns the table's address. */
  reserve(bytes: number): number {
    if (bytes > this.bytes) {
      if (this.bytes > 0) this.heap.free(this.ptr, this.bytes);
      this.bytes = Math.max(bytes, 2 * this.bytes, 1024);
      this.ptr = this.heap.allocRaw(this.bytes);
      const buffer = this.heap.buffer;
      this.i32 = new Int32Array(buffer, this.ptr, this.bytes / 4);
      this.f32 = new Float32Array(buffer, this.ptr, this.bytes / 4);
      this.f64 = new Float64Array(buffer, this.ptr, this.bytes / 8);
    }
    return this.ptr;
  }
}

/**
 * Runs blocks [0, blocks) of the table at `table`, shared with the workers when it is large. Inside
 * an overlap scope (`work.allowed`) a shared update is left running: the step returns at once and
 * the caller's next work (freeing the step's tensors, gathering the next batch) overlaps it, until
 * a kernel touching its arrays, or the scope's end, finishes it (open-work.ts). The backend's
 * dispatch has already finished any earlier open work: updates share the table and the job slots.
 */
function run(k: WasmKernels, pool: WasmThreadPool | null, kind: typeof JOB_SGD | typeof JOB_ADAM, table: number, blocks: number, elements: number, ranges: readonly number[], work: OpenWork): void {
  if (pool !== null && pool.active > 1 && elements >= THREAD_MIN_ELEMENTS) {
    const leave = work.allowed;
    pool.optim(k, kind, table, blocks, !leave);
    if (leave) work.leave(ranges);
    return;
  }
  if (kind === JOB_SGD) k.sgdBlocks(table, 0, blocks);
  else k.adamBlocks(table, 0, blocks);
}

export function wasmSgdStep(k: WasmKernels, heap: WasmHeap, pool: WasmThreadPool | null, t: OptimTable, items: readonly SgdStepItem[], rule: SgdStepRule, work: OpenWork): boolean {
  const L = t.layout.sgd;
  const ptr = t.reserve(L.header + items.length * L.item);
  const { i32, f32 } = t;
  const common = (rule.maximize ? L.maximize : 0) | (rule.nesterov ? L.nesterov : 0);
  let blocks = 0;
  let elements = 0;
  const ranges = t.ranges;
  ranges.length = 0;
  // Everything is checked (while the table is written) before anything runs.
  for (let i = 0; i < items.length; i++) {
    const { param, grad, momentumBuffer, firstMomentumStep } = items[i];
    const n = param.length;
    const momentum = momentumBuffer !== null && rule.momentum !== 0;
    const p = address(heap, param, n);
    const g = address(heap, grad, n);
    const b = momentum ? address(heap, momentumBuffer, n) : 0;
    if (p < 0 || g < 0 || b < 0) return false;
    ranges.push(p, p + 4 * n, g, g + 4 * n);
    if (momentum) ranges.push(b, b + 4 * n);
    const w = (L.header + i * L.item) >> 2;
    i32[w] = p; i32[w + 1] = g; i32[w + 2] = b; i32[w + 3] = n;
    i32[w + 4] = common | (momentum ? L.momentum : 0) | (momentum && firstMomentumStep ? L.first : 0);
    i32[w + 5] = blocks;
    blocks += blocksOf(n);
    elements += n;
  }
  // The float32 view rounds the rule's numbers as the JS loop's Math.fround does.
  i32[0] = items.length; i32[1] = OPTIM_BLOCK;
  f32[2] = rule.lr; f32[3] = rule.momentum; f32[4] = 1 - rule.dampening; f32[5] = rule.weightDecay;
  run(k, pool, JOB_SGD, ptr, blocks, elements, ranges, work);
  return true;
}

export function wasmAdamStep(k: WasmKernels, heap: WasmHeap, pool: WasmThreadPool | null, t: OptimTable, items: readonly AdamStepItem[], rule: AdamStepRule, work: OpenWork): boolean {
  const L = t.layout.adam;
  const ptr = t.reserve(L.header + items.length * L.item);
  const { i32, f64 } = t;
  const w = 1 - rule.beta1;
  const decoupled = rule.decoupledDecay !== null;
  let blocks = 0;
  let elements = 0;
  const ranges = t.ranges;
  ranges.length = 0;
  for (let i = 0; i < items.length; i++) {
    const { param, grad, m, v, vMax, stepSize, bc2Sqrt } = items[i];
    const n = param.length;
    const addresses = [param, grad, m, v].map((x) => address(heap, x, n));
    const pm = vMax === null ? 0 : address(heap, vMax, n);
    if (pm < 0 || addresses.some((x) => x < 0)) return false;
    for (const x of addresses) ranges.push(x, x + 4 * n);
    if (vMax !== null) ranges.push(pm, pm + 4 * n);
    const at = (L.header + i * L.item) >> 2;
    i32.set(addresses, at);
    i32[at + 4] = pm; i32[at + 5] = n;
    i32[at + 6] = (rule.maximize ? L.maximize : 0) | (decoupled ? L.decoupled : 0) | (vMax !== null ? L.amsgrad : 0) | (w >= 0.5 ? L.lerpFromEnd : 0);
    i32[at + 7] = blocks;
    f64[(at >> 1) + 4] = stepSize;
    f64[(at >> 1) + 5] = bc2Sqrt;
    blocks += blocksOf(n);
    elements += n;
  }
  i32[0] = items.length; i32[1] = OPTIM_BLOCK;
  f64.set([w, 1 - w, rule.beta2, 1 - rule.beta2, rule.eps, rule.weightDecay, rule.decoupledDecay ?? 1], 1);
  run(k, pool, JOB_ADAM, ptr, blocks, elements, ranges, work);
  return true;
}
