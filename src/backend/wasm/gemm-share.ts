import { F, FINISHED, JOB, JOB_SGD, NEXT, PANEL_MASK, S, tagOf } from './control.js';
import type { WasmKernels } from './kernels.js';

/**
 * One thread's share of the matrix product in the job slot, generation `gen`: claims chunks of
 * column panels from NEXT until none are left (or a newer job has replaced this one), packs their
 * B panels and computes their tiles. Every thread runs this same loop, the main one included, so
 * a worker that wakes late only takes less of the work; and every panel is computed by the same
 * code in the same order whichever thread takes it, so results do not depend on the thread count.
 */
export function runGemmShare(ctrl: Int32Array, gen: number, kernels: WasmKernels): void {
  const s = JOB;
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
 * One thread's share of the optimizer update in the job slot (an SGD or Adam table): claims blocks
 * until none are left (or a newer job has replaced this one). Each element's update is independent
 * of the others, so the result does not depend on which thread takes which block.
 */
export function runOptimShare(ctrl: Int32Array, gen: number, kernels: WasmKernels): void {
  const table = ctrl[JOB + S.table];
  const sgd = ctrl[JOB + F.kind] === JOB_SGD;
  claimAll(ctrl, gen, ctrl[JOB + S.blocks], (block) => block + 1, (b0, b1) => {
    if (sgd) kernels.sgdBlocks(table, b0, b1);
    else kernels.adamBlocks(table, b0, b1);
  });
}

/**
 * Claims units [j0, claimEnd(j0)) of job generation `gen` from NEXT and runs them, adding each
 * claim's size to FINISHED, until all `total` are claimed or a newer job has replaced this one
 * (then the parameters read for it may be stale, so it takes nothing more).
 */
function claimAll(ctrl: Int32Array, gen: number, total: number, claimEnd: (j0: number) => number, run: (j0: number, j1: number) => void): void {
  const tag = tagOf(gen);
  for (;;) {
    const word = Atomics.load(ctrl, NEXT);
    if ((word & ~PANEL_MASK) !== tag) return;
    const j0 = word & PANEL_MASK;
    if (j0 >= total) return;
    const j1 = claimEnd(j0);
    if (Atomics.compareExchange(ctrl, NEXT, word, tag | j1) !== word) continue;
    run(j0, j1);
    Atomics.add(ctrl, FINISHED, j1 - j0);
  }
}
