import { ValueError } from '../util/errors.js';
import { requireAtLeast, requireFinite, requireInRange, requireInteger, requireOneOf } from '../util/validate.js';

/** What {@link ReduceLROnPlateau} needs from an optimizer (every {@link Optimizer} has it). */
export interface LrScalable {
  /** The param groups: the scheduler reads their count and each one's lrScale. */
  readonly paramGroups: readonly {
    /** The factor on the group's learning rate, which the scheduler multiplies by `factor`. */
    readonly lrScale: number;
  }[];
  /** Group `groupIndex`'s current learning rate, lrScale included (default group 0). */
  getLearningRate(groupIndex?: number): number;
  /** Sets the factor on group `groupIndex`'s learning rate. */
  setLrScale(groupIndex: number, scale: number): void;
}

/** Options for {@link ReduceLROnPlateau}; names and defaults follow PyTorch's. */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): the metric should fall; 'max': it should rise. */
  mode?: 'min' | 'max';
  /** new lr = lr · factor, in [0, 1) (default 0.1). */
  factor?: number;
  /** Steps without improvement tolerated before a reduction (default 10). */
  patience?: number;
  /** How much better counts as better (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): better than best·(1 ∓ threshold); 'abs': than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting bad steps again (default 0). */
  cooldown?: number;
  /** Lower bound on the learning rate, for all groups or one per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/** The scheduler's counters and options, all JSON (best is null before the first metric). */
export interface ReduceLROnPlateauStateDict {
  /** The best metric so far (PyTorch's `best`), null before the first step. */
  best: number | null;
  /** Steps since the last improvement, cooldown excluded (PyTorch's `num_bad_epochs`). */
  numBadEpochs: number;
  /** Cooldown steps left (PyTorch's `cooldown_counter`). */
  cooldownCounter: number;
  /** Steps taken, one per metric fed (PyTorch's `last_epoch`). */
  lastEpoch: number;
  /** The options, every default filled in. */
  options: Required<ReduceLROnPlateauOptions>;
}

/**
 * Lowers the learning rate when a metric stops improving — `torch.optim.lr_scheduler.ReduceLROnPlateau`
 * step for step. It multiplies each group's `lrScale`, so it composes with a schedule given as lr.
 *
 * Each `step(metric)`: if the metric beats `best` by the threshold, it becomes best and the bad
 * count resets, else the bad count grows; during cooldown the counter ticks down and bad steps are
 * ignored; once the bad count exceeds `patience`, every group's current lr η becomes
 * max(η·factor, minLr) (skipped when that lowers it by ≤ eps), cooldown restarts, bad count resets.
 *
 * @example
 * const plateau = new ReduceLROnPlateau(opt, { patience: 3 });
 * for (let epoch = 0; epoch < 50; epoch++) { train(); plateau.step(validationLoss()); }
 */
export class ReduceLROnPlateau {
  private options: Required<ReduceLROnPlateauOptions>;
  private bestValue: number | null = null;
  private bad = 0;
  private cooldownLeft = 0;
  private epoch = 0;

  constructor(private readonly optimizer: LrScalable, options: ReduceLROnPlateauOptions = {}) {
    this.options = validate(options, optimizer.paramGroups.length);
  }

  /** The best metric so far (null before the first step). */
  get best(): number | null {
    return this.bestValue;
  }

  /** Steps since the last improvement, cooldown excluded. */
  get numBadEpochs(): number {
    return this.bad;
  }

  /** Steps of cooldown left. */
  get cooldownCounter(): number {
    return this.cooldownLeft;
  }

  /** Feeds one metric value (a number or a one-element tensor); returns true when it lowered the learning rate of some group. */
  step(metric: number | { item(): number }): boolean {
    const current = typeof metric === 'number' ? metric : metric.item();
    this.epoch += 1;
    if (this.isBetter(current)) {
      this.bestValue = current;
      this.bad = 0;
    } else {
      this.bad += 1;
    }
    if (this.cooldownLeft > 0) {
      this.cooldownLeft -= 1;
      this.bad = 0;
    }
    if (this.bad > this.options.patience) {
      const reduced = this.reduce();
      this.cooldownLeft = this.options.cooldown;
      this.bad = 0;
      return reduced;
    }
    return false;
  }

  /** A JSON snapshot of the counters and options, for checkpoints (the optimizer saves the lr scales). */
  stateDict(): ReduceLROnPlateauStateDict {
    const o = this.options;
    return {
      best: this.bestValue,
      numBadEpochs: this.bad,
      cooldownCounter: this.cooldownLeft,
      lastEpoch: this.epoch,
      options: { ...o, minLr: Array.isArray(o.minLr) ? [...o.minLr] : o.minLr },
    };
  }

  /** Restores a {@link stateDict}; everything is checked (minLr against the group count too) before anything changes. */
  loadStateDict(dict: ReduceLROnPlateauStateDict): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    const options = validate(dict.options, this.optimizer.paramGroups.length);
    const best = dict.best === null ? null : requireFinite(`${where}: best`, dict.best);
    const bad = requireInteger(`${where}: numBadEpochs`, dict.numBadEpochs, 0);
    const cooldown = requireInteger(`${where}: cooldownCounter`, dict.cooldownCounter, 0);
    const epoch = requireInteger(`${where}: lastEpoch`, dict.lastEpoch, 0);
    this.options = options;
    this.bestValue = best;
    this.bad = bad;
    this.cooldownLeft = cooldown;
    this.epoch = epoch;
  }

  private isBetter(a: number): boolean {
    const { mode, threshold, thresholdMode } = this.options;
    const best = this.bestValue ?? (mode === 'min' ? Infinity : -Infinity);
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  private reduce(): boolean {
    const { factor, minLr, eps } = this.options;
    let reduced = false;
    this.optimizer.paramGroups.forEach((g, i) => {
      const floor = typeof minLr === 'number' ? minLr : minLr[i];
      const old = this.optimizer.getLearningRate(i);
      const next = Math.max(old * factor, floor);
      if (old - next > eps) {
        // lr = base · scale, so scaling by factor (or by next/old at the floor) gives lr = next.
        this.optimizer.setLrScale(i, old * factor >= floor ? g.lrScale * factor : g.lrScale * (next / old));
        reduced = true;
      }
    });
    return reduced;
  }
}

function validate(o: ReduceLROnPlateauOptions, groups: number): Required<ReduceLROnPlateauOptions> {
  const n = 'ReduceLROnPlateau';
  const minLr = o.minLr ?? 0;
  if (Array.isArray(minLr)) {
    if (minLr.length !== groups) throw new ValueError(`${n}: minLr has ${minLr.length} values but the optimizer has ${groups} param groups`);
    minLr.forEach((v, i) => requireAtLeast(`${n}: minLr[${i}]`, v, 0));
  } else {
    requireAtLeast(`${n}: minLr`, minLr, 0);
  }
  return {
    mode: requireOneOf(`${n}: mode`, o.mode ?? 'min', ['min', 'max'] as const),
    factor: requireInRange(`${n}: factor`, o.factor ?? 0.1, 0, 1),
    patience: requireInteger(`${n}: patience`, o.patience ?? 10, 0),
    threshold: requireAtLeast(`${n}: threshold`, o.threshold ?? 1e-4, 0),
    thresholdMode: requireOneOf(`${n}: thresholdMode`, o.thresholdMode ?? 'rel', ['rel', 'abs'] as const),
    cooldown: requireInteger(`${n}: cooldown`, o.cooldown ?? 0, 0),
    minLr: Array.isArray(minLr) ? [...minLr] : minLr,
    eps: requireAtLeast(`${n}: eps`, o.eps ?? 1e-8, 0),
  };
}
