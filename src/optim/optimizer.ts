import { noGrad } from '../autograd/grad-mode.js';
import { getBackend } from '../backend/registry.js';
import type { FloatArray } from '../tensor/dtype.js';
import { shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, formatShape } from '../util/errors.js';
import { requireAtLeast, requireGreaterThan, requireInteger } from '../util/validate.js';
import { clipGradNorm, clipGradValue } from './clip.js';
import { groupsFrom, type ParamsArg } from './params.js';
import type { Schedule } from './schedules.js';

/** A fixed learning rate or a {@link Schedule} evaluated at the optimizer's step count. */
export type LearningRate = number | Schedule;

/** An option value that survives JSON. */
export type OptionValue = number | boolean | string | null | readonly number[];

/**
 * Options every optimizer takes, per param group. `clipNorm` and `clipValue` (default null: off)
 * clip the group's gradients in place at the start of `step()`: first each element to
 * [−clipValue, clipValue], then the group's global 2-norm to clipNorm, as {@link clipGradValue} and
 * {@link clipGradNorm} would. With a single group that is the usual global-norm clipping.
 */
export interface BaseConfig {
  /**
   * Learning rate: a number or a {@link Schedule} of the step count; it scales every update.
   * Required for SGD; defaults 1e-3 for Adam/AdamW and 1e-2 for RMSprop/Adagrad, as in PyTorch.
   */
  lr: LearningRate;
  /** Largest 2-norm of the group's gradients, like `clip_grad_norm_` before the step; null (default): off. */
  clipNorm: number | null;
  /** Largest |element| of the group's gradients, like `clip_grad_value_`, applied before clipNorm; null (default): off. */
  clipValue: number | null;
}

/** Per-parameter optimizer state: typed arrays of the parameter's shape and plain numbers. */
export type ParamState = { [key: string]: FloatArray | number | undefined };

/** One param group as seen from outside: its tensors, their names, resolved options, lr scale. */
export interface ParamGroupView<O> {
  /** The group's parameters, in the order given. */
  readonly params: readonly Tensor[];
  /** Their names, index for index (as given, or "0", "1", … numbered across groups). */
  readonly names: readonly string[];
  /** The group's options: the optimizer's defaults overridden by the group's own, validated. */
  readonly options: Readonly<O>;
  /** Multiplies the group's learning rate (1 unless {@link ReduceLROnPlateau} lowered it). */
  readonly lrScale: number;
}

/** What `stateDict()` returns: JSON apart from the state tensors (store those as safetensors). */
export interface OptimizerStateDict {
  /** Steps taken so far; the next step evaluates schedules at this value. */
  stepCount: number;
  /** Per group: parameter names in order, options (lr 'schedule' when it is a function), lrScale. */
  paramGroups: Array<{
    /** Names of the group's parameters, in order (the keys of `state`). */
    params: string[];
    /** The group's options, lr saved as the string 'schedule' when it is a function. */
    options: Record<string, OptionValue>;
    /** The factor on the group's learning rate. */
    lrScale: number;
  }>;
  /** Per parameter name: its state, tensors of the parameter's shape and numbers. */
  state: Record<string, Record<string, Tensor | number>>;
}

/**
 * One parameter of a group's update: its values, its gradient and its optimizer state, finished
 * and ready to read and write in place (a subclass's `updateGroup` may loop over them directly).
 */
export interface UpdateItem<S> {
  param: FloatArray;
  grad: FloatArray;
  state: S;
}

interface Group<O> {
  params: Tensor[];
  names: string[];
  options: O;
  lrScale: number;
}

/**
 * Base class of all optimizers. It only keeps the books — param groups with their options, the
 * per-parameter state, the step counter, checkpoints — and hands each parameter with a gradient to
 * the subclass's update rule, a plain function over typed arrays (`sgdUpdate`, `adamUpdate`, …).
 *
 * Parameters may be given as tensors (named "0", "1", …), `[name, tensor]` pairs (what
 * `module.namedParameters()` returns), a `Record<string, Tensor>`, or an array of groups
 * `{ params, ...options }` whose options override the defaults.
 *
 * @example
 * const opt = new SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9 });
 * for (const [x, y] of batches) {
 *   opt.zeroGrad();
 *   lossFn(model.forward(x), y).backward();
 *   opt.step();
 * }
 */
export abstract class Optimizer<O extends BaseConfig, S extends ParamState> {
  private readonly groups: Group<O>[];
  private readonly state = new Map<Tensor, S>();
  private steps = 0;

  protected constructor(
    /** The optimizer's name, used in error messages. */
    readonly name: string,
    params: ParamsArg<Partial<O>>,
    defaults: Partial<O>,
  ) {
    this.groups = groupsFrom(name, params).map(({ params: ps, names, options }) => ({
      params: ps,
      names,
      options: this.resolve({ ...defaults, ...options }),
      lrScale: 1,
    }));
  }

  /** Validates one group's options, fills in defaults, and returns the complete set. */
  protected abstract configure(options: Partial<O>): O;
  /** The state of a parameter before its first update. */
  protected abstract initState(param: Tensor, options: O): S;
  /** Applies one update to `param` in place, advancing `state`. */
  protected abstract update(param: FloatArray, grad: FloatArray, state: S, options: O, lr: number): void;
  /** The keys `state` may hold (checked when loading). */
  protected abstract stateKeys(): readonly string[];

  /**
   * Applies one update to each of a group's parameters, in place. By default {@link update} runs
   * per parameter; SGD and Adam override it to update all of them in one call to the backend's fused
   * kernel, where it has one (as PyTorch's multi-tensor optimizers do).
   */
  protected updateGroup(items: readonly UpdateItem<S>[], options: O, lr: number): void {
    for (const { param, grad, state } of items) this.update(param, grad, state, options, lr);
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.steps;
  }

  /** The param groups (read-only; use {@link setLrScale} to scale a group's learning rate). */
  get paramGroups(): readonly ParamGroupView<O>[] {
    return this.groups;
  }

  /**
   * The learning rate of group `groupIndex` at step `step`: lr (or lr(step) for a schedule) times
   * the group's lrScale. The default step is the next one `step()` takes; pass `stepCount − 1` for
   * the one just taken.
   */
  getLearningRate(groupIndex = 0, step = this.steps): number {
    const g = this.group(groupIndex);
    const lr = g.options.lr;
    const base = typeof lr === 'function' ? lr(step) : lr;
    if (!Number.isFinite(base) || base < 0) {
      throw new ValueError(`${this.name}: the learning-rate schedule of group ${groupIndex} returned ${base} at step ${step}; expected a finite number ≥ 0`);
    }
    return base * g.lrScale;
  }

  /** Sets the factor that multiplies group `groupIndex`'s learning rate. */
  setLrScale(groupIndex: number, scale: number): void {
    this.group(groupIndex).lrScale = requireAtLeast(`${this.name}: lrScale`, scale, 0);
  }

  /**
   * Replaces the learning rate (a number or a schedule of the step count) of one group, or of all
   * groups when `groupIndex` is omitted — how a training loop installs its schedule.
   */
  setLearningRate(lr: LearningRate, groupIndex?: number): void {
    if (typeof lr === 'number') requireAtLeast(`${this.name}: lr`, lr, 0);
    else if (typeof lr !== 'function') throw new ValueError(`${this.name}: lr must be a number or a schedule function, got ${typeof lr}`);
    const targets = groupIndex === undefined ? this.groups : [this.group(groupIndex)];
    for (const g of targets) g.options = { ...g.options, lr };
  }

  /** The state of `param` (undefined before its first update). */
  stateOf(param: Tensor): Readonly<S> | undefined {
    return this.state.get(param);
  }

  /** Clears every parameter's gradient (sets it to null, like PyTorch's set_to_none=True). */
  zeroGrad(): void {
    for (const g of this.groups) for (const p of g.params) p.grad = null;
  }

  /**
   * One update of every parameter that has a gradient (those whose grad is null are skipped and
   * their state is left alone). Parameters change in place, with no graph recorded.
   */
  step(): void {
    noGrad(() => {
      this.groups.forEach((g, gi) => {
        const active = g.params.filter((p) => p.grad !== null);
        if (active.length === 0) return;
        const lr = this.getLearningRate(gi);
        if (g.options.clipValue !== null) clipGradValue(active, g.options.clipValue);
        if (g.options.clipNorm !== null) clipGradNorm(active, g.options.clipNorm);
        const items: UpdateItem<S>[] = [];
        for (const p of active) {
          const grad = p.grad as Tensor;
          if (!shapesEqual(grad.shape, p.shape)) {
            throw new ShapeError(`${this.name}: gradient of shape ${formatShape(grad.shape)} for a parameter of shape ${formatShape(p.shape)}`);
          }
          let s = this.state.get(p);
          if (s === undefined) {
            s = this.initState(p, g.options);
            this.state.set(p, s);
          }
          items.push({ param: p.data as FloatArray, grad: grad.data as FloatArray, state: s });
        }
        this.updateGroup(items, g.options, lr);
      });
      this.steps++;
    });
  }

  /** A snapshot of the optimizer: copies of the state tensors, options, lr scales, step count. */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    for (const g of this.groups) {
      g.params.forEach((p, i) => {
        const s = this.state.get(p);
        if (s === undefined) return;
        const entry: Record<string, Tensor | number> = {};
        for (const [key, value] of Object.entries(s)) {
          if (typeof value === 'number') entry[key] = value;
          else if (value !== undefined) entry[key] = new Tensor(value.slice(), p.shape);
        }
        state[g.names[i]] = entry;
      });
    }
    const paramGroups = this.groups.map((g) => {
      const options: Record<string, OptionValue> = {};
      for (const [key, value] of Object.entries(g.options)) {
        options[key] = typeof value === 'function' ? 'schedule' : Array.isArray(value) ? [...(value as number[])] : (value as OptionValue);
      }
      return { params: [...g.names], options, lrScale: g.lrScale };
    });
    return { stepCount: this.steps, paramGroups, state };
  }

  /**
   * Restores a {@link stateDict} into this optimizer, whose groups must hold parameters of the
   * same names and shapes. Options saved in the dict replace the constructor's (as in PyTorch),
   * except a learning-rate schedule: functions are not saved, so a group saved with one must have
   * one here too. Everything is checked before anything changes.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    const stepCount = requireInteger(`${where}: stepCount`, dict.stepCount, 0);
    if (!Array.isArray(dict.paramGroups) || dict.paramGroups.length !== this.groups.length) {
      throw new ValueError(`${where}: the state has ${dict.paramGroups?.length} param groups but this optimizer has ${this.groups.length}`);
    }
    const options = dict.paramGroups.map((saved, gi) => {
      const g = this.groups[gi];
      if (saved.params.length !== g.names.length || saved.params.some((n, i) => n !== g.names[i])) {
        throw new ValueError(`${where}: group ${gi} holds parameters [${saved.params.join(', ')}] in the state but [${g.names.join(', ')}] here`);
      }
      const lr = saved.options.lr;
      if (lr === 'schedule' && typeof g.options.lr !== 'function') {
        throw new ValueError(`${where}: group ${gi} was saved with a learning-rate schedule; construct the optimizer with the same schedule as lr`);
      }
      const restored = { ...saved.options, lr: lr === 'schedule' ? g.options.lr : lr } as unknown as Partial<O>;
      return { options: this.resolve(restored), lrScale: requireAtLeast(`${where}: lrScale`, saved.lrScale, 0) };
    });
    const byName = new Map<string, [Tensor, O]>();
    this.groups.forEach((g, gi) => g.params.forEach((p, i) => byName.set(g.names[i], [p, options[gi].options])));
    const allowed = new Set(this.stateKeys());
    const state = new Map<Tensor, S>();
    for (const [name, saved] of Object.entries(dict.state)) {
      const found = byName.get(name);
      if (found === undefined) throw new ValueError(`${where}: the state has parameter '${name}', which this optimizer does not hold`);
      const [p, opts] = found;
      const s = this.initState(p, opts) as ParamState;
      for (const [key, value] of Object.entries(saved)) {
        if (!allowed.has(key)) throw new ValueError(`${where}: unknown state '${key}' for parameter '${name}'; ${this.name} keeps ${[...allowed].join(', ')}`);
        if (typeof value === 'number') {
          s[key] = value;
        } else if (value instanceof Tensor) {
          if (!shapesEqual(value.shape, p.shape)) {
            throw new ShapeError(`${where}: state '${key}' of parameter '${name}' has shape ${formatShape(value.shape)} but the parameter has shape ${formatShape(p.shape)}`);
          }
          const copy = getBackend().alloc(p.dtype === 'float64' ? 'float64' : 'float32', p.size);
          copy.set(value.data);
          s[key] = copy;
        } else {
          throw new ValueError(`${where}: state '${key}' of parameter '${name}' must be a tensor or a number, got ${typeof value}`);
        }
      }
      state.set(p, s as S);
    }
    this.groups.forEach((g, gi) => {
      g.options = options[gi].options;
      g.lrScale = options[gi].lrScale;
    });
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
    this.steps = stepCount;
  }

  private group(index: number): Group<O> {
    const g = this.groups[index];
    if (g === undefined) throw new ValueError(`${this.name}: group index must be an integer in [0, ${this.groups.length}), got ${index}`);
    return g;
  }

  /** configure() plus the checks every optimizer shares: lr, clipping, unknown option names. */
  private resolve(options: Partial<O>): O {
    const resolved = this.configure(options);
    for (const key of Object.keys(options)) {
      if (!(key in resolved)) throw new ValueError(`${this.name}: unknown option '${key}'; known options: ${Object.keys(resolved).join(', ')}`);
    }
    const lr = resolved.lr;
    if (typeof lr !== 'function') requireAtLeast(`${this.name}: lr`, lr, 0);
    if (resolved.clipNorm !== null) requireGreaterThan(`${this.name}: clipNorm`, resolved.clipNorm, 0);
    if (resolved.clipValue !== null) requireGreaterThan(`${this.name}: clipValue`, resolved.clipValue, 0);
    return resolved;
  }
}

/** Any optimizer, whatever its options and state (what a training loop accepts). */
export type AnyOptimizer = Optimizer<BaseConfig, ParamState>;

/** Throws unless `value` is a boolean. */
export function requireBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${name} must be true or false, got ${String(value)}`);
  return value;
}

/** The options every optimizer shares, with their defaults, from a user's options. */
export function baseConfig(name: string, options: Partial<BaseConfig>, defaultLr?: number): BaseConfig {
  const lr = options.lr ?? defaultLr;
  if (lr === undefined) throw new ValueError(`${name}: lr is required`);
  return { lr, clipNorm: options.clipNorm ?? null, clipValue: options.clipValue ?? null };
}
