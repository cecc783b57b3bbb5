/**
 * Layout of the control block the threads of the WebAssembly backend share: int32 words in the
 * first page of the shared memory (below the heap). The main thread writes a job into a job slot,
 * sets the slot's counters (F.next, F.finished), bumps GEN and notifies; every thread (the main
 * one too) then claims chunks of the job's work from F.next (column panels of a matrix product,
 * blocks of an optimizer update) until none are left, adding what it finished to F.finished. The
 * thread that finishes a job's last unit writes its generation to DONE, which the main thread
 * waits on.
 *
 * Job g sits in slot g mod 2, so a slot is never rewritten while a worker that woke late may still
 * read the job before it. Threads take the jobs in order, and none starts job g before job g − 1 is
 * done (it may read what g − 1 writes). At most one job is open past its call (an optimizer step,
 * inside the backend's overlap scope): the backend finishes it before it posts another.
 */
export const CONTROL_ADDRESS = 1024;
/** First byte the heap may use. */
export const HEAP_BASE = 65536;
/** Int32 words of the control block. */
export const CONTROL_WORDS = 64;

/** Job generation, bumped once per job posted (workers wait on it). */
export const GEN = 0;
/** Set to stop the workers. */
export const QUIT = 2;
/** Workers asleep in Atomics.wait on GEN: the main thread notifies only when there are any. */
export const SLEEPERS = 3;
/** Generation of the last job finished (jobs finish in order). */
export const DONE = 5;
/** Int32 index of the first job slot; slot g mod 2 holds job g. */
export const JOB = 16;
/** Int32 words of a job slot. */
export const SLOT_WORDS = 24;
/** Int32 index of the slot of job generation `gen`. */
export const slotOf = (gen: number): number => JOB + (gen & 1) * SLOT_WORDS;
/** The most workers a pool may start. */
export const MAX_WORKERS = 64;

/** Bits of F.next that count units; the rest hold the generation tag. */
export const PANEL_BITS = 20;
export const PANEL_MASK = (1 << PANEL_BITS) - 1;
/** The generation tag of F.next for job generation `gen`. */
export const tagOf = (gen: number): number => (gen & 0x7ff) << PANEL_BITS;

/** Job kinds: a matrix product (F fields), an optimizer update over a table of parameters (S fields). */
export const JOB_GEMM = 1;
export const JOB_SGD = 2;
export const JOB_ADAM = 3;

/** Field offsets within the job slot. */
export const F = {
  kind: 0, a: 1, pb: 2, out: 3, m: 4, k: 5, n: 6, panels: 7, chunk: 8, bias: 9, mode: 10, b: 11, transB: 12, threads: 13, transA: 14,
  /**
   * Every job's work counters: the next unclaimed unit, tagged with the job's generation in the
   * high bits (a worker that wakes late cannot claim units of a newer job in the same slot with
   * the parameters of an older one), and the units finished so far.
   */
  next: 15, finished: 16,
} as const;

/**
 * Field offsets of an optimizer job besides F.kind and F.threads: the heap address of its table of
 * parameters (asm/optim.ts) and its work, `blocks` blocks of OPTIM_BLOCK elements numbered across
 * the table.
 */
export const S = { table: 1, blocks: 2 } as const;

/** Elements of an optimizer block (a multiple of 16: whole cache lines). */
export const OPTIM_BLOCK = 16384;
