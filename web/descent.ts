/**
 * The descent race: several optimizers start from the same point on a two-parameter loss surface
 * and step side by side. Each runner holds two parameter tensors (w and b), one of the library's
 * real optimizers over them, and takes steps the way training does: zero the gradients, compute
 * the loss (of the whole data, or of a mini-batch), backward, step.
 *
 * Pure: no DOM. The view animates it; tests drive it.
 */
import { type NamedOptimizer, RNG, type Tensor, optimizerByName, tensor } from '../src/index.js';
import { type Surface, gradientAt } from './surfaces.js';

export type RunnerKind = 'gd' | 'sgd' | 'momentum' | 'nesterov' | 'adam';

/** Display name and colour (Okabe–Ito, colour-blind safe) of each runner. */
export const RUNNERS: Record<RunnerKind, { label: string; color: string; chartColor: string; dash: number[] }> = {
  gd: { label: 'Gradient descent', color: '#ffffff', chartColor: '#222222', dash: [] },
  sgd: { label: 'Mini-batch SGD', color: '#F0E442', chartColor: '#B8A800', dash: [2, 2] },
  momentum: { label: 'Momentum', color: '#E69F00', chartColor: '#E69F00', dash: [] },
  nesterov: { label: 'Nesterov', color: '#56B4E9', chartColor: '#56B4E9', dash: [6, 3] },
  adam: { label: 'Adam', color: '#CC79A7', chartColor: '#CC79A7', dash: [] },
};

export type RunnerStatus = 'running' | 'rising' | 'converged' | 'diverged' | 'finished';

export interface RaceOptions {
  /** Learning rate of GD, SGD, momentum and Nesterov. */
  lr: number;
  /** Adam's learning rate. */
  adamLr: number;
  /** Momentum μ (momentum and Nesterov runners). */
  momentum: number;
  /** Mini-batch size m (SGD runner; the surface must have data). */
  batch: number;
  start: [number, number];
  kinds: RunnerKind[];
  /** Steps before a runner is 'finished'. */
  maxSteps: number;
  /** Seed of the mini-batch shuffles. */
  seed: number;
}

/** One optimizer's journey. */
export class Runner {
  readonly kind: RunnerKind;
  /** Visited points, flat (w₀, b₀, w₁, b₁, …), starting with the start point. */
  readonly path: number[];
  /** Full-data loss at each visited point. */
  readonly losses: number[];
  status: RunnerStatus = 'running';
  /** Why the runner stopped or what it is doing, for people. */
  message = '';
  /** Optimizer steps taken. */
  steps = 0;
  /** Full-data gradient at the current point. */
  grad: [number, number];
  /** The last update (Δw, Δb). */
  lastStep: [number, number] = [0, 0];
  /** The last step's mini-batch gradient (SGD) or full gradient. */
  stepGrad: [number, number] = [0, 0];

  private readonly w: Tensor;
  private readonly b: Tensor;
  private readonly optimizer: NamedOptimizer;
  private readonly surface: Surface;
  private readonly rng: RNG;
  private readonly batch: number;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  private rising = 0;

  constructor(kind: RunnerKind, surface: Surface, o: RaceOptions) {
    this.kind = kind;
    this.surface = surface;
    this.w = tensor([o.start[0]], { dtype: 'float64', requiresGrad: true });
    this.b = tensor([o.start[1]], { dtype: 'float64', requiresGrad: true });
    const params: Array<[string, Tensor]> = [['w', this.w], ['b', this.b]];
    // Nesterov needs a momentum above 0 (PyTorch refuses nesterov with none); the slider may be at 0.
    const own: Record<RunnerKind, Record<string, number>> = { gd: {}, sgd: {}, momentum: { momentum: o.momentum }, nesterov: { momentum: Math.max(o.momentum, 1e-9) }, adam: {} };
    this.optimizer = optimizerByName(kind, params, { lr: kind === 'adam' ? o.adamLr : o.lr, ...own[kind] }).optimizer;
    this.rng = new RNG(o.seed);
    this.batch = kind === 'sgd' && surface.samples > 0 ? Math.max(1, Math.min(o.batch, surface.samples)) : 0;
    const g = gradientAt(surface, o.start[0], o.start[1]);
    this.path = [o.start[0], o.start[1]];
    this.losses = [g.loss];
    this.grad = g.grad;
  }

  /** Current point. */
  get point(): [number, number] {
    return [this.w.data[0], this.b.data[0]];
  }

  get loss(): number {
    return this.losses[this.losses.length - 1];
  }

  /** Completed passes over the data (SGD); steps for the others. */
  get epoch(): number {
    return this.batch > 0 ? Math.floor((this.steps * this.batch) / this.surface.samples) : this.steps;
  }

  get active(): boolean {
    return this.status === 'running' || this.status === 'rising';
  }

  /** The next mini-batch's rows: a fresh permutation each epoch, cut into batches of m. */
  private nextRows(): Int32Array {
    const n = this.surface.samples;
    if (this.cursor >= this.order.length) {
      this.order = this.rng.permutation(n);
      this.cursor = 0;
    }
    const rows = this.order.slice(this.cursor, Math.min(this.cursor + this.batch, n));
    this.cursor += this.batch;
    return rows;
  }

  /** One optimizer step: zero, loss, backward, step. */
  step(maxSteps: number): void {
    if (!this.active) return;
    const [w0, b0] = this.point;
    this.optimizer.zeroGrad();
    const rows = this.batch > 0 ? this.nextRows() : undefined;
    const loss = this.surface.loss(this.w, this.b, rows);
    loss.backward();
    this.stepGrad = [this.w.grad!.data[0], this.b.grad!.data[0]];
    this.optimizer.step();
    this.steps++;
    const [w1, b1] = this.point;
    this.lastStep = [w1 - w0, b1 - b0];
    this.path.push(w1, b1);
    const value = this.surface.value(w1, b1);
    const previous = this.loss;
    this.losses.push(value);
    const [x0, x1, y0, y1] = this.surface.bounds;
    const far = Math.abs(w1 - (x0 + x1) / 2) > 10 * (x1 - x0) || Math.abs(b1 - (y0 + y1) / 2) > 10 * (y1 - y0);
    this.grad = Number.isFinite(value) ? gradientAt(this.surface, w1, b1).grad : [NaN, NaN];
    if (!Number.isFinite(value) || far) {
      this.status = 'diverged';
      this.message = `diverged at step ${this.steps}: the loss rose to ${Number.isFinite(value) ? value.toExponential(2) : value} — the learning rate is too large`;
      return;
    }
    // A rising loss (for full-gradient runners: three steps in a row) warns of a too-large step.
    this.rising = value > previous ? this.rising + 1 : 0;
    const gradNorm = Math.hypot(this.grad[0], this.grad[1]);
    const stepNorm = Math.hypot(this.lastStep[0], this.lastStep[1]);
    if (this.batch === 0 && gradNorm < 1e-6 && stepNorm < 1e-6) {
      this.status = 'converged';
      this.message = `converged after ${this.steps} steps: the gradient vanished (|∇L| = ${gradNorm.toExponential(1)})`;
    } else if (this.steps >= maxSteps) {
      this.status = 'finished';
      this.message = `stopped after ${maxSteps} steps`;
    } else if (this.batch === 0 && this.rising >= 3) {
      this.status = 'rising';
      this.message = `the loss rose for ${this.rising} steps in a row: overshooting`;
    } else {
      this.status = 'running';
      this.message = '';
    }
  }
}

/** All runners of one race. */
export class Race {
  readonly runners: Runner[];
  readonly surface: Surface;
  readonly options: RaceOptions;

  constructor(surface: Surface, options: RaceOptions) {
    this.surface = surface;
    this.options = options;
    const kinds = options.kinds.filter((k) => k !== 'sgd' || surface.samples > 0);
    this.runners = kinds.map((k) => new Runner(k, surface, options));
  }

  /** One step of every active runner; false when none is active any more. */
  step(): boolean {
    for (const r of this.runners) r.step(this.options.maxSteps);
    return this.active;
  }

  get active(): boolean {
    return this.runners.some((r) => r.active);
  }

  /** Steps taken so far (the most of any runner). */
  get steps(): number {
    return Math.max(0, ...this.runners.map((r) => r.steps));
  }

  runner(kind: RunnerKind): Runner | undefined {
    return this.runners.find((r) => r.kind === kind);
  }
}
