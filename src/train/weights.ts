import { Tensor } from '../tensor/tensor.js';
import type { TrainableModel, WeightSnapshot } from './types.js';

/** Copies every parameter's values (for restore-best-weights and divergence recovery). */
export function snapshotWeights(model: TrainableModel): WeightSnapshot {
  const snap: WeightSnapshot = {};
  for (const [name, p] of model.namedParameters()) snap[name] = new Tensor(p.data.slice(), p.shape);
  return snap;
}

/** Writes a snapshot back into the model's parameters, in place (parameters it lacks stay as they are). */
export function restoreWeights(model: TrainableModel, snapshot: WeightSnapshot): void {
  for (const [name, p] of model.namedParameters()) {
    const saved = snapshot[name];
    if (saved) p.data.set(saved.data);
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
