import type { RNG } from '../tensor/rng.js';
import { ValueError } from '../util/errors.js';
import { requireInRange, requireOneOf } from '../util/validate.js';
import type { Dataset } from './dataset.js';
import { resolveRng } from './sampler.js';

/** Options of {@link trainValTestSplit}. */
export interface SplitOptions {
  /** Fraction of the samples for validation, in [0, 1) (default 0.2). */
  val?: number;
  /** Fraction of the samples for the test set, in [0, 1) (default 0). */
  test?: number;
  /**
   * `'shuffle'` (default): split a random permutation. `'tail'`: keep the order and take the last
   * samples, for ordered data such as time series: train first, then val, then test at the end.
   */
  mode?: 'shuffle' | 'tail';
  /** Keep each class's share equal in every split (default: true for classification in shuffle mode). */
  stratify?: boolean;
  /** Generator for the shuffle (default: a seeded private one with `seed`, else spawned from the default generator). */
  rng?: RNG;
  /** Seed for a private generator, used when `rng` is not given. */
  seed?: number;
}

/** The three parts of a split and the row indices of the original dataset each holds. */
export interface Split {
  /** The training samples: all those not in `val` or `test`. */
  train: Dataset;
  /** The validation samples (empty when `val` is 0). */
  val: Dataset;
  /** The test samples (empty when `test` is 0, the default). */
  test: Dataset;
  /** Row indices into the original dataset, disjoint and together covering every row. */
  indices: {
    /** Rows of `train`, in its order. */
    train: Int32Array;
    /** Rows of `val`, in its order. */
    val: Int32Array;
    /** Rows of `test`, in its order. */
    test: Int32Array;
  };
}

type Part = 'train' | 'val' | 'test';

/**
 * Splits a dataset into disjoint train, validation and test sets that together hold every sample.
 *
 * Sizes: `round(val·n)` and `round(test·n)` samples (at least 1 when the fraction is > 0), train the
 * rest. Stratified splits apply this per class, so each split's class proportions match the whole
 * dataset's to within one sample per class; a class with too few samples to appear in every
 * requested split is an error naming it.
 *
 * @example
 * const { train, val, test } = trainValTestSplit(iris(), { val: 0.15, test: 0.15, seed: 0 });
 */
export function trainValTestSplit(dataset: Dataset, options: SplitOptions = {}): Split {
  const valFrac = requireInRange('trainValTestSplit val', options.val ?? 0.2, 0, 1);
  const testFrac = requireInRange('trainValTestSplit test', options.test ?? 0, 0, 1);
  if (valFrac + testFrac >= 1) throw new ValueError(`trainValTestSplit: val + test must be < 1 to leave training samples, got ${valFrac} + ${testFrac}`);
  const mode = requireOneOf('trainValTestSplit mode', options.mode ?? 'shuffle', ['shuffle', 'tail'] as const);
  const classification = dataset.task === 'classification';
  const stratify = options.stratify ?? (classification && mode === 'shuffle');
  if (stratify && !classification) throw new ValueError('trainValTestSplit: stratify needs a classification dataset (class labels to stratify by)');
  if (stratify && mode === 'tail') throw new ValueError("trainValTestSplit: stratify cannot be combined with mode 'tail' (tail keeps the data's order)");
  const fractions = { val: valFrac, test: testFrac };
  const n = dataset.length;

  let parts: Record<Part, Int32Array>;
  if (mode === 'tail') {
    parts = cut(Int32Array.from({ length: n }, (_, i) => i), fractions, 'the dataset');
  } else if (!stratify) {
    parts = cut(resolveRng(options).permutation(n), fractions, 'the dataset');
  } else {
    const rng = resolveRng(options);
    const byClass: number[][] = Array.from({ length: dataset.numClasses }, () => []);
    dataset.y.data.forEach((label, i) => byClass[label].push(i));
    const lists: Record<Part, number[]> = { train: [], val: [], test: [] };
    byClass.forEach((members, c) => {
      if (members.length === 0) return;
      const where = `class '${dataset.classNames[c]}' (label ${c})`;
      const classParts = cut(Int32Array.from(rng.shuffle(members)), fractions, where);
      for (const p of ['train', 'val', 'test'] as const) lists[p].push(...classParts[p]);
    });
    // Mix the classes inside each split (the per-class blocks would otherwise stay contiguous).
    parts = { train: rng.shuffle(Int32Array.from(lists.train)), val: rng.shuffle(Int32Array.from(lists.val)), test: rng.shuffle(Int32Array.from(lists.test)) };
  }
  return { train: dataset.subset(parts.train), val: dataset.subset(parts.val), test: dataset.subset(parts.test), indices: parts };
}

/** Cuts `order` into train | val | test (in that order) with sizes from the fractions. */
function cut(order: Int32Array, fractions: { val: number; test: number }, where: string): Record<Part, Int32Array> {
  const n = order.length;
  const size = (f: number): number => (f > 0 ? Math.max(1, Math.round(f * n)) : 0);
  const nVal = size(fractions.val);
  const nTest = size(fractions.test);
  const needed = 1 + (nVal > 0 ? 1 : 0) + (nTest > 0 ? 1 : 0);
  if (n - nVal - nTest < 1) {
    const requested = ['train', ...(nVal > 0 ? ['val'] : []), ...(nTest > 0 ? ['test'] : [])].join(', ');
    throw new ValueError(`trainValTestSplit: ${where} has ${n} sample${n === 1 ? '' : 's'}, too few to appear in each of the ${needed} requested splits (${requested}); ` +
      'use smaller val/test fractions, more data, or stratify: false');
  }
  const nTrain = n - nVal - nTest;
  return { train: order.slice(0, nTrain), val: order.slice(nTrain, nTrain + nVal), test: order.slice(nTrain + nVal) };
}
