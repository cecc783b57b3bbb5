import type { AdamStepRule, SgdStepRule } from '../backend.js';
import type { FloatArray } from '../../tensor/dtype.js';
import type { WasmHeap } from './heap.js';
import type { WasmKernels } from './kernels.js';
import type { WasmThreadPool } from './threads.js';

/** Parameters with fewer elements update on one thread (waking workers costs more). */
const THREAD_MIN_ELEMENTS = 1 << 16;

/**
 * The optimizers' fused updates on the WebAssembly backend. They run only when every array is a
 * float32 view into this heap (the optimizer state is allocated there); otherwise they report
 * false and the optimizer runs its reference loop, which copying in and out would not beat.
 */

/** Heap byte address of `x`, or -1 when it is not a float32 view into `heap`. */
function address(heap: WasmHeap, x: FloatArray | null): number {
  return x instanceof Float32Array ? heap.addressOf(x) : -1;
}

export function wasmSgdStep(k: WasmKernels, heap: WasmHeap, pool: WasmThreadPool | null, param: FloatArray, grad: FloatArray, buf: FloatArray | null, rule: SgdStepRule): boolean {
  const momentum = buf !== null && rule.momentum !== 0;
  const p = address(heap, param);
  const g = address(heap, grad);
  const b = momentum ? address(heap, buf) : 0;
  if (p < 0 || g < 0 || b < 0 || grad.length !== param.length || (momentum && buf.length !== param.length)) return false;
  if (param.length === 0) return true;
  const flags = (rule.maximize ? 1 : 0) | (momentum ? 2 : 0) | (rule.firstMomentumStep ? 4 : 0) | (rule.nesterov ? 8 : 0);
  // Each element's update is independent of the others: any split among threads gives the same values.
  if (pool !== null && pool.active > 1 && param.length >= THREAD_MIN_ELEMENTS) {
    pool.sgd(k, p, g, b, param.length, rule.lr, rule.momentum, 1 - rule.dampening, rule.weightDecay, flags);
  } else {
    k.sgdStep(p, g, b, param.length, rule.lr, rule.momentum, 1 - rule.dampening, rule.weightDecay, flags);
  }
  return true;
}

export function wasmAdamStep(k: WasmKernels, heap: WasmHeap, param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, vMax: FloatArray | null, rule: AdamStepRule): boolean {
  const n = param.length;
  const ptrs = [param, grad, m, v].map((x) => (x.length === n ? address(heap, x) : -1));
  const pm = vMax === null ? 0 : vMax.length === n ? address(heap, vMax) : -1;
  if (pm < 0 || ptrs.some((x) => x < 0)) return false;
  if (n === 0) return true;
  const w = 1 - rule.beta1;
  const decoupled = rule.decoupledDecay !== null;
  const flags = (rule.maximize ? 1 : 0) | (decoupled ? 2 : 0) | (vMax !== null ? 4 : 0) | (w >= 0.5 ? 8 : 0);
  k.adamStep(ptrs[0], ptrs[1], ptrs[2], ptrs[3], pm, n, rule.stepSize, rule.bc2Sqrt, w, 1 - w, rule.beta2, 1 - rule.beta2,
    rule.eps, rule.weightDecay, rule.decoupledDecay ?? 1, flags);
  return true;
}
