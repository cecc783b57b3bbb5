import type { RNG } from '../tensor/rng.js';
import { ValueError } from '../util/errors.js';
import { type Batch, Dataset } from './dataset.js';
import { BatchSampler, type BatchSamplerState, RandomSampler, SequentialSampler, resolveRng } from './sampler.js';

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions {
  /** Samples per mini-batch m: an integer in [1, dataset length]. */
  batchSize: number;
  /** Draw a new random order every epoch (default true); false visits the samples in order. */
  shuffle?: boolean;
  /** Drop the last, smaller batch of each epoch (default false: keep it). */
  dropLast?: boolean;
  /** Generator for the shuffles (shared with the caller). */
  rng?: RNG;
  /** Seed for a private generator when `rng` is not given (neither: spawned from the default generator). */
  seed?: number;
}

/** Saved position of a {@link DataLoader} (JSON), for checkpoints. */
export type DataLoaderState = BatchSamplerState;

/**
 * Mini-batches of a dataset for stochastic gradient descent. Each `for … of` over the loader is one
 * epoch: a fresh random permutation of the samples cut into batches of `batchSize`, so every
 * sample is used exactly once per epoch.
 *
 * @example
 * const loader = new DataLoader(train, { batchSize: 32, seed: 0 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { x, y } of loader) { … }   // a new order each epoch
 * }
 */
export class DataLoader implements Iterable<Batch> {
  /** The dataset the batches are drawn from. */
  readonly dataset: Dataset;
  /** Samples per mini-batch m, in [1, dataset length]. */
  readonly batchSize: number;
  /** Whether each epoch visits the samples in a new random order (else in dataset order). */
  readonly shuffle: boolean;
  /** Whether the last, smaller batch of each epoch is dropped. */
  readonly dropLast: boolean;
  /** Cuts each epoch's order into batches of indices; holds the loader's position. */
  readonly batchSampler: BatchSampler;

  constructor(dataset: Dataset, options: DataLoaderOptions) {
    if (!(dataset instanceof Dataset)) throw new ValueError('DataLoader: expected a Dataset as the first argument');
    const n = dataset.length;
    if (n === 0) throw new ValueError('DataLoader: the dataset is empty (0 samples)');
    const m = options?.batchSize;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1 || m > n) {
      throw new ValueError(`DataLoader: batchSize must be an integer in [1, ${n}] (the dataset has ${n} samples), got ${String(m)}`);
    }
    this.dataset = dataset;
    this.batchSize = m;
    this.shuffle = options.shuffle ?? true;
    this.dropLast = options.dropLast ?? false;
    const sampler = this.shuffle ? new RandomSampler(n, { rng: options.rng ?? resolveRng({ seed: options.seed }) }) : new SequentialSampler(n);
    this.batchSampler = new BatchSampler(sampler, { batchSize: m, dropLast: this.dropLast });
  }

  /** Batches per epoch: ⌈n/m⌉, or ⌊n/m⌋ with `dropLast`. */
  get numBatches(): number {
    return this.batchSampler.numBatches;
  }

  /** Runs one epoch: yields its mini-batches in order. */
  *[Symbol.iterator](): Iterator<Batch> {
    for (const indices of this.batchSampler) yield this.dataset.batch(indices);
  }

  /** The loader's position (generator state and batches done this epoch), as JSON. */
  getState(): DataLoaderState {
    return this.batchSampler.getState();
  }

  /** Restores a position saved by {@link DataLoader.getState}; the next batch is the one that followed it. */
  setState(state: DataLoaderState): void {
    this.batchSampler.setState(state);
  }
}
