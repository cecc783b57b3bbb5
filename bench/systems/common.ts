// What every system's training run reports, and a meter for resident memory during a run.
import type { Task } from '../task.js';

export interface RunResult {
  /** Wall time of the training epochs (evaluation excluded). */
  seconds: number;
  samples: number;
  testAccuracy: number;
  finalLoss: number;
  peakRssMiB: number;
}

/** Trains the task's MLP once from the task's initial weights. */
export type Trainer = (task: Task, sizes: readonly number[], batch: number, epochs: number, maxBatches?: number) => Promise<RunResult>;

/** Highest resident set size seen by `sample()` calls (in MiB). */
export class RssMeter {
  peak = 0;
  sample(): void {
    const rss = process.memoryUsage.rss() / 2 ** 20;
    if (rss > this.peak) this.peak = rss;
  }
}
