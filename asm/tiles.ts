// The blocking decisions the matmul micro-kernel (matmul.ts) and B's packing (pack.ts) share:
// the panel width and which products pack which panels. Both import them from here, so neither
// imports the other's module for them.

/** Columns of a panel of B, and of a tile of C (the micro-kernel holds R×NR sums: matmul.ts). */
export const NR: i32 = 8;
/** Elements of C from which a product with a short sum is computed row band by row band. */
const BANDS_MIN_C: i32 = 1 << 16;
/** Rows of op(A) and sum length from which an untransposed B's full panels are packed as well. */
const PACK_ALL_MIN_M: i32 = 128;
const PACK_ALL_MIN_K: i32 = 128;

/**
 * Whether an untransposed B's full column panels are packed too (pack.ts) instead of read in place.
 * In place, a panel's k rows lie n floats apart: a long sum spreads it over k cache lines (twice
 * the L1 it takes packed) and many row bands reread it, so large square products (256³: 16.8
 * against 26 GFLOP/s packed) pay for the copy many times over; a training step's products (k or m
 * the batch, 64) reuse each panel too little to pay for it.
 */
@inline export function packsFullPanels(m: i32, k: i32): bool {
  return m >= PACK_ALL_MIN_M && k >= PACK_ALL_MIN_K;
}

/**
 * Whether a product is computed row band by row band (else column panel by column panel; see
 * panels). A large C over a short sum (a weight gradient: k is the batch) is bound by writing C,
 * which row bands write in prefetchable runs (1.1-1.15x for 128×64×784 with C not in cache).
 * Column panels are slightly faster where the sum is long (0.96-0.99x for 64×784×128), and pack
 * each panel just before using it, into a slot that stays in L1, instead of all of B ahead.
 */
@inline export function usesBands(m: i32, k: i32, n: i32): bool {
  return k <= 256 && m * n >= BANDS_MIN_C && !packsFullPanels(m, k);
}
