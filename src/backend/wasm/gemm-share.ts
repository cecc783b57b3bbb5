import { DONE, F, JOB_GEMM, JOB_SGD, PANEL_MASK, S, slotOf, tagOf } from './control.js';
import type { WasmKernels } from './kernels.js';

/**
 * One thread's share of job generation `gen`, whatever its kind: every thread runs this same code,
 * the main one included, so a worker that wakes late only takes less of the work.
 */
export function runShare(ctrl: Int32Array, gen: number, kernels: WasmKernels): void {
  if (ctrl[slotOf(gen) + F.kind] === JOB_GEMM) runGemmShare(ctrl, gen, kernels);
  else runOptimShare(ctrl, gen, kernels);
}

/**
 * One thread's share of the matrix product of job generation `gen`: claims chunks of column panels
 * until none are left (or a newer job has replaced this one), packs their B panels and computes
 * their tiles. Every panel is computed by the same code in the same order whichever thread takes
 * it, so results do not depend on the thread count.
 */
function runGemmShare(ctrl: Int32Array, gen: number, kernels: WasmKernels): void {
  const s = slotOf(gen);
  const a = ctrl[s + F.a], transA = ctrl[s + F.transA], pb = ctrl[s + F.pb], out = ctrl[s + F.out];
  const m = ctrl[s + F.m], k = ctrl[s + F.k], n = ctrl[s + F.n];
  const panels = ctrl[s + F.panels], chunk = ctrl[s + F.chunk], share = 2 * ctrl[s + F.threads];
  const bias = ctrl[s + F.bias], mode = ctrl[s + F.mode], b = ctrl[s + F.b], transB = ctrl[s + F.transB];
  // Guided: claims shrink as panels run out, so no thread is left holding a big last chunk.
  const claimEnd = (j0: number): number => Math.min(panels, j0 + Math.max(chunk, Math.ceil((panels - j0) / share)));
  claimAll(ctrl, gen, panels, claimEnd, (j0, j1) => {
    kernels.packB(b, m, k, n, transB, pb, j0, j1);
    kernels.gemmTiles(a, transA, b, transB, pb, out, m, k, n, j0, j1, bias, mode);
  });
}

/**
 * One thread's share of the optimizer update of job generation `gen` (an SGD or Adam table):
 * claims blocks until none are left (or a newer job has replaced this one). Each element's update
 * is independent of the others, so the result does not depend on which thread takes which block.
 */
function runOptimShare(ctrl: Int32Array, gen: number, kernels: WasmKernels): void {
  const s = slotOf(gen);
  const table = ctrl[s + S.table];
  const sgd = ctrl[s + F.kind] === JOB_SGD;
  claimAll(ctrl, gen, ctrl[s + S.blocks], (block) => block + 1, (b0, b1) => {
    if (sgd) kernels.sgdBlocks(table, b0, b1);
    else kernels.adamBlocks(table, b0, b1);
  });
}

/**
 * Claims units [j0, claimEnd(j0)) of job generation `gen` from its slot's F.next and runs them,
 * adding each claim's size to F.finished, until all `total` are claimed or a newer job has taken
 * the slot (then the parameters read for it may be stale, so it takes nothing more). The thread
 * that finishes the last unit marks the job DONE.
 */
function claimAll(ctrl: Int32Array, gen: number, total: number, claimEnd: (j0: number) => number, run: (j0: number, j1: number) => void): void {
  const tag = tagOf(gen);
  const next = slotOf(gen) + F.next;
  for (;;) {
    const word = Atomics.load(ctrl, next);
    if ((word & ~PANEL_MASK) !== tag) return;
    const j0 = word & PANEL_MASK;
    if (j0 >= total) return;
    const j1 = claimEnd(j0);
    if (Atomics.compareExchange(ctrl, next, word, tag | j1) !== word) continue;
    run(j0, j1);
    if (Atomics.add(ctrl, next + (F.finished - F.next), j1 - j0) + (j1 - j0) === total) Atomics.store(ctrl, DONE, gen);
  }
}

/** Whether job generation `gen` is done (DONE has reached it; generations wrap as int32). */
export function isDone(ctrl: Int32Array, gen: number): boolean {
  return ((Atomics.load(ctrl, DONE) - gen) | 0) >= 0;
}
