// Restore-best-weights for early stopping, kept by the CLI so that it survives --resume: the best
// epoch's weights travel in the checkpoint (as `@best/<param>` tensors) with the best value and epoch.
import type { EpochRecord, Module, Tensor } from '../src/index.js';
import { BEST_PREFIX } from './model.js';

export interface BestState {
  value: number | null;
  epoch: number;
}

export class BestWeights {
  private value = Infinity;
  private epochOfBest = 0;
  private weights: Record<string, Tensor> | null = null;

  /** Restores a tracker saved in a checkpoint. */
  static from(state: BestState | undefined, weights: Record<string, Tensor>): BestWeights {
    const b = new BestWeights();
    if (state && state.value !== null && Object.keys(weights).length > 0) {
      b.value = state.value;
      b.epochOfBest = state.epoch;
      b.weights = weights;
    }
    return b;
  }

  /** Keeps a copy of the weights when the validation loss improves (strictly, as earlyStopping counts). */
  observe(record: EpochRecord, model: Module): void {
    const v = record.valLoss;
    if (v === undefined || !Number.isFinite(v) || !(v < this.value)) return;
    this.value = v;
    this.epochOfBest = record.epoch;
    this.weights = model.stateDict();
  }

  get bestEpoch(): number {
    return this.epochOfBest;
  }

  /** Puts the best weights back; returns the epoch restored, or null when the model already holds them. */
  restore(model: Module, lastEpoch: number): number | null {
    if (this.weights === null || this.epochOfBest === lastEpoch) return null;
    model.loadStateDict(this.weights);
    return this.epochOfBest;
  }

  state(): BestState {
    return { value: Number.isFinite(this.value) ? this.value : null, epoch: this.epochOfBest };
  }

  /** The best weights as checkpoint tensors. */
  tensors(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(this.weights ?? {})) out[`${BEST_PREFIX}${name}`] = t;
    return out;
  }
}

