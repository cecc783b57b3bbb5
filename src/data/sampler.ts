import { RNG, type RNGState, defaultGenerator } from '../tensor/rng.js';
import { ValueError } from '../util/errors.js';
import { requireInteger } from '../util/validate.js';

/**
 * The order in which one epoch visits the samples. `order()` draws the next epoch's order; the
 * state (JSON) restores the generator so that a resumed run draws the same orders.
 */
export interface IndexSampler {
  /** Number of samples (the length of each epoch's order). */
  readonly length: number;
  /** The next epoch's order: a permutation of 0…length−1. */
  order(): Int32Array;
  /** The generator's state (JSON), to save before drawing an epoch's order. */
  getState(): IndexSamplerState;
  /** Restores a state from `getState()`: the next `order()` is the one that followed it. */
  setState(state: IndexSamplerState): void;
}

/** Saved state of an {@link IndexSampler}: the generator's state, or null when it draws nothing. */
export interface IndexSamplerState {
  /** The generator's state; null for a sampler without one (sequential). */
  rng: RNGState | null;
}

/** Where a generator comes from: an explicit one, a seed, or (neither) a stream spawned from the default generator. */
export interface RandomSource {
  /** The generator to draw from (shared with the caller). */
  rng?: RNG;
  /** A seed for a private generator, used when `rng` is not given. */
  seed?: number;
}

/** The generator described by `source`: `rng`, else `new RNG(seed)`, else one spawned from the default generator. */
export function resolveRng(source: RandomSource = {}): RNG {
  if (source.rng) return source.rng;
  return source.seed !== undefined ? new RNG(source.seed) : defaultGenerator().spawn();
}

/** Visits 0, 1, …, n−1 in order every epoch. */
export class SequentialSampler implements IndexSampler {
  readonly length: number;

  constructor(length: number) {
    this.length = requireInteger('SequentialSampler length', length, 0);
  }

  order(): Int32Array {
    return Int32Array.from({ length: this.length }, (_, i) => i);
  }

  /** Always `{ rng: null }`: the order never changes. */
  getState(): IndexSamplerState {
    return { rng: null };
  }

  /** Does nothing: there is no generator to restore. */
  setState(_state: IndexSamplerState): void {}
}

/**
 * Visits the samples in a fresh uniformly random order every epoch (a Fisher–Yates permutation
 * drawn from its generator), so each sample is seen exactly once per epoch.
 *
 * @example
 * const s = new RandomSampler(5, { seed: 1 });
 * s.order(); // e.g. Int32Array [3, 0, 4, 1, 2]; the next call gives another permutation
 */
export class RandomSampler implements IndexSampler {
  readonly length: number;
  /** The generator the permutations are drawn from (the caller's `rng` when one was given, so shared with it). */
  readonly rng: RNG;

  constructor(length: number, source: RandomSource = {}) {
    this.length = requireInteger('RandomSampler length', length, 0);
    this.rng = resolveRng(source);
  }

  order(): Int32Array {
    return this.rng.permutation(this.length);
  }

  /** The generator's current state. */
  getState(): IndexSamplerState {
    return { rng: this.rng.getState() };
  }

  /** Restores the generator's state; throws a ValueError when `state.rng` is missing. */
  setState(state: IndexSamplerState): void {
    if (!state?.rng) throw new ValueError('RandomSampler.setState: state.rng is missing (was it saved from a sequential sampler?)');
    this.rng.setState(state.rng);
  }
}

/** Options of {@link BatchSampler}. */
export interface BatchSamplerOptions {
  /** Indices per batch: an integer ≥ 1. */
  batchSize: number;
  /** Drop the last batch when it has fewer than `batchSize` samples (default false: keep it). */
  dropLast?: boolean;
}

/**
 * Saved state of a {@link BatchSampler}: the index sampler's state at the start of the current
 * epoch and how many of its batches were already handed out (0 between epochs). Plain JSON.
 */
export interface BatchSamplerState {
  /** The index sampler's state before the current epoch's order was drawn. */
  sampler: IndexSamplerState;
  /** Batches of the current epoch already handed out (0 between epochs). */
  position: number;
}

/**
 * Cuts each epoch's order into mini-batches of `batchSize` indices. Iterating it (`for … of`)
 * runs one epoch; iterating again runs the next epoch with a new order.
 *
 * `getState()` may be called at any point, also mid-epoch (from inside the loop body); after
 * `setState()` the next iteration redraws the interrupted epoch's order and continues with the batch
 * after the last one handed out, so a resumed run sees exactly the batches the uninterrupted one
 * would have. Leaving a loop early (`break`) ends that epoch: the next loop draws a new order.
 */
export class BatchSampler implements Iterable<Int32Array> {
  /** Draws each epoch's order of the sample indices. */
  readonly sampler: IndexSampler;
  /** Indices per batch (the last batch of an epoch may have fewer unless `dropLast`). */
  readonly batchSize: number;
  /** Whether the last batch of an epoch is dropped when it has fewer than `batchSize` indices. */
  readonly dropLast: boolean;
  /** Sampler state before the current epoch's order was drawn; null between epochs. */
  private epochStart: IndexSamplerState | null = null;
  /** Batches of the current epoch already handed out. */
  private position = 0;
  /** Set by setState to a mid-epoch state: the next iteration continues that epoch. */
  private resuming = false;

  constructor(sampler: IndexSampler, options: BatchSamplerOptions) {
    this.sampler = sampler;
    this.batchSize = requireInteger('batchSize', options.batchSize, 1);
    this.dropLast = options.dropLast ?? false;
  }

  /** Batches per epoch: ⌈n/m⌉, or ⌊n/m⌋ with `dropLast`. */
  get numBatches(): number {
    const n = this.sampler.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Runs one epoch: yields its batches of indices in order (or the rest of an epoch restored by `setState`). */
  *[Symbol.iterator](): Iterator<Int32Array> {
    if (this.resuming && this.epochStart !== null) {
      // Continue the epoch interrupted at the checkpoint: redraw its order, skip what was handed out.
      this.sampler.setState(this.epochStart);
    } else {
      this.epochStart = this.sampler.getState();
      this.position = 0;
    }
    this.resuming = false;
    const order = this.sampler.order();
    const count = this.numBatches;
    try {
      while (this.position < count) {
        const start = this.position * this.batchSize;
        this.position++;
        yield order.slice(start, Math.min(start + this.batchSize, order.length));
      }
    } finally {
      // The epoch is over (or abandoned with `break`): the next iteration starts a new one.
      this.epochStart = null;
      this.position = 0;
    }
  }

  /** All batches of the next epoch at once. */
  epoch(): Int32Array[] {
    return [...this];
  }

  /** The position (JSON): valid between epochs and mid-epoch, e.g. from inside a `for … of` body. */
  getState(): BatchSamplerState {
    if (this.epochStart === null) return { sampler: this.sampler.getState(), position: 0 };
    return { sampler: structuredCloneState(this.epochStart), position: this.position };
  }

  /** Restores a position from `getState()`: the next iteration continues with the batch after the last one handed out. */
  setState(state: BatchSamplerState): void {
    if (!state || typeof state !== 'object' || !state.sampler) throw new ValueError('BatchSampler.setState: expected { sampler, position }');
    const position = requireInteger('BatchSampler state position', state.position, 0);
    if (position > this.numBatches) throw new ValueError(`BatchSampler.setState: position ${position} is past the ${this.numBatches} batches of an epoch`);
    this.sampler.setState(state.sampler);
    this.epochStart = null;
    this.position = 0;
    this.resuming = false;
    if (position === this.numBatches && position > 0) {
      this.sampler.order(); // saved after the epoch's last batch: that epoch is over, consume its draw
    } else if (position > 0) {
      this.epochStart = structuredCloneState(state.sampler);
      this.position = position;
      this.resuming = true;
    }
  }
}

function structuredCloneState(state: IndexSamplerState): IndexSamplerState {
  return { rng: state.rng ? { s: [...state.rng.s], spareNormal: state.rng.spareNormal } : null };
}
