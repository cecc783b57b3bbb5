/**
 * Layout of the control block the threads of the WebAssembly backend share: int32 slots in the
 * first page of the shared memory (below the heap). The main thread writes a job into each worker's
 * slot, bumps GEN and notifies; each worker runs its job and increments DONE.
 */
export const CONTROL_ADDRESS = 1024;
/** First byte the heap may use. */
export const HEAP_BASE = 65536;

export const GEN = 0;
export const DONE = 1;
export const QUIT = 2;
/** Int32 index of worker `w`'s job slot (16 ints each). */
export const slotOf = (w: number): number => 16 + 16 * w;
/** The most workers the control block has room for. */
export const MAX_WORKERS = 64;

/** Job kinds. */
export const JOB_GEMM = 1;

/** Field offsets within a gemm job slot. */
export const F = { kind: 0, pa: 1, pb: 2, out: 3, m: 4, k: 5, n: 6, jb0: 7, jb1: 8, bias: 9, mode: 10, b: 11, transB: 12 } as const;
