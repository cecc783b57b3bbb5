import { F, FINISHED, JOB, NEXT, PANEL_MASK, S, SGD_BLOCK, tagOf } from './control.js';
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
 * One thread's share of the SGD update in the job slot: claims blocks of SGD_BLOCK elements until
 * none are left (or a newer job has replaced this one). Each element's update is independent of
 * the others, so the result does not depend on which thread takes which block.
 */
export function runSgdShare(ctrl: Int32Array, floats: Float32Array, gen: number, kernels: WasmKernels): void {
  const s = JOB;
  const p = ctrl[s + S.p], g = ctrl[s + S.g], buf = ctrl[s + S.buf], n = ctrl[s + S.n], blocks = ctrl[s + S.blocks];
  const lr = floats[s + S.lr], mu = floats[s + S.mu], damp = floats[s + S.damp], wd = floats[s + S.wd], flags = ctrl[s + S.flags];
  claimAll(ctrl, gen, blocks, (block) => block + 1, (block) => {
    const start = block * SGD_BLOCK;
    const bytes = 4 * start;
    kernels.sgdStep(p + bytes, g + bytes, buf === 0 ? 0 : buf + bytes, Math.min(SGD_BLOCK, n - start), lr, mu, damp, wd, flags);
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
