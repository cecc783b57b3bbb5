/**
 * Layout of the control block the threads of the WebAssembly backend share: int32 words in the
 * first page of the shared memory (below the heap). The main thread writes a job into the job slot,
 * sets NEXT and FINISHED, bumps GEN and notifies; every thread (the main one too) then claims
 * chunks of the job's work from NEXT (column panels of a matrix product, blocks of an optimizer
 * update) until none are left, adding what it finished to FINISHED, which the main thread waits on.
 */
export const CONTROL_ADDRESS = 1024;
/** First byte the heap may use. */
export const HEAP_BASE = 65536;
/** Int32 words of the control block. */
export const CONTROL_WORDS = 64;

/** Job generation, bumped once per job (workers wait on it). */
export const GEN = 0;
/** Set to stop the workers. */
export const QUIT = 2;
/**
 * The next unclaimed column panel, tagged with the job's generation in the high bits so that a
 * worker that wakes late cannot claim panels of a newer job with the parameters of an older one.
 */
export const NEXT = 3;
/** Column panels finished so far in the current job. */
export const FINISHED = 4;
/** Int32 index of the job slot. */
export const JOB = 16;
/** The most workers a pool may start. */
export const MAX_WORKERS = 64;

/** Bits of NEXT that count panels; the rest hold the generation tag. */
export const PANEL_BITS = 20;
export const PANEL_MASK = (1 << PANEL_BITS) - 1;
/** The generation tag of NEXT for job generation `gen`. */
export const tagOf = (gen: number): number => (gen & 0x7ff) << PANEL_BITS;

/** Job kinds: a matrix product (F fields), an optimizer update over a table of parameters (S fields). */
export const JOB_GEMM = 1;
export const JOB_SGD = 2;
export const JOB_ADAM = 3;

/** Field offsets within the job slot. */
export const F = {
  kind: 0, a: 1, pb: 2, out: 3, m: 4, k: 5, n: 6, panels: 7, chunk: 8, bias: 9, mode: 10, b: 11, transB: 12, threads: 13, transA: 14,
} as const;

/**
 * Field offsets of an optimizer job besides F.kind and F.threads: the heap address of its table of
 * parameters (asm/optim.ts) and its work, `blocks` blocks of OPTIM_BLOCK elements numbered across
 * the table.
 */
export const S = { table: 1, blocks: 2 } as const;

/** Elements of an optimizer block (a multiple of 16: whole cache lines). */
export const OPTIM_BLOCK = 16384;
