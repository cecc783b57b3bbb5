import type { FloatArray } from '../tensor/dtype.js';
import type { TrainableModel, WeightSnapshot } from './types.js';

/** Copies every parameter's values (for restore-best-weights and divergence recovery). */
export function snapshotWeights(model: TrainableModel): WeightSnapshot {
  const snap: WeightSnapshot = new Map();
  for (const [name, p] of model.namedParameters()) snap.set(name, (p.data as FloatArray).slice());
  return snap;
}

/** Writes a snapshot back into the model's parameters, in place. */
export function restoreWeights(model: TrainableModel, snapshot: WeightSnapshot): void {
  for (const [name, p] of model.namedParameters()) {
    const saved = snapshot.get(name);
    if (saved) p.data.set(saved);
  }
}

/** True when every parameter value is finite. */
export function weightsAreFinite(model: TrainableModel): boolean {
  for (const [, p] of model.namedParameters()) {
    const d = p.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  }
  return true;
}
