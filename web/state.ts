/**
 * The playground's whole state: ONE flat, serialisable object, described by a declarative table
 * of settings (type, default, range, label, caption). Everything else — the URL, the controls, the
 * worker's configuration — is derived from this table, so an experiment is exactly its settings.
 *
 * Pure: no DOM, no library imports; Node tests import it directly.
 */

interface SettingBase {
  /** The control's label. */
  label: string;
  /** Which panel the control lives in. */
  group: 'app' | 'data' | 'model' | 'train' | 'stop' | 'descent';
  /** A short caption tying the setting to the lecture's ideas. */
  help?: string;
}

export interface NumberSpec extends SettingBase {
  type: 'number';
  default: number;
  min: number;
  max: number;
  /** Slider resolution (linear) or 'log' for a logarithmic slider. */
  step: number | 'log';
}

export interface IntSpec extends SettingBase {
  type: 'int';
  default: number;
  min: number;
  max: number;
}

export interface BoolSpec extends SettingBase {
  type: 'bool';
  default: boolean;
}

export interface EnumSpec<T extends string = string> extends SettingBase {
  type: 'enum';
  default: T;
  options: readonly T[];
  /** Display names of the options (default: the value). */
  optionLabels?: Readonly<Partial<Record<T, string>>>;
}

export interface IntListSpec extends SettingBase {
  type: 'intList';
  default: readonly number[];
  /** Range of each element. */
  min: number;
  max: number;
  maxLength: number;
}

export interface StringSpec extends SettingBase {
  type: 'string';
  default: string;
  maxLength: number;
}

export type SettingSpec = NumberSpec | IntSpec | BoolSpec | EnumSpec | IntListSpec | StringSpec;

const num = (s: Omit<NumberSpec, 'type'>): NumberSpec => ({ type: 'number', ...s });
const int = (s: Omit<IntSpec, 'type'>): IntSpec => ({ type: 'int', ...s });
const bool = (s: Omit<BoolSpec, 'type'>): BoolSpec => ({ type: 'bool', ...s });
const str = (s: Omit<StringSpec, 'type'>): StringSpec => ({ type: 'string', ...s });
const intList = (s: Omit<IntListSpec, 'type'>): IntListSpec => ({ type: 'intList', ...s });
function choice<const T extends string>(options: readonly T[], s: Omit<EnumSpec<T>, 'type' | 'options'>): EnumSpec<T> {
  return { type: 'enum', options, ...s };
}

export const DATASETS = ['moons', 'circles', 'spirals', 'xor', 'blobs', 'sine', 'plane', 'csv'] as const;
export const OPTIMIZERS = ['gd', 'sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
export const SURFACES = ['linreg', 'bowl', 'ravine', 'rosenbrock', 'saddle'] as const;

/** The settings table. Order is the order of the controls and of the URL's parameters. */
export const SETTINGS = {
  view: choice(['descent', 'train'], { default: 'descent', label: 'View', group: 'app', optionLabels: { descent: 'Descent', train: 'Train' } }),
  // URL only (no control): engine=js trains on the reference backend even where wasm runs.
  engine: choice(['auto', 'js'], { default: 'auto', label: 'Engine', group: 'app', optionLabels: { auto: 'wasm where the page allows it, else js', js: 'js (reference)' } }),

  // --- Train view: data ---
  dataset: choice(DATASETS, {
    default: 'moons', label: 'Dataset', group: 'data',
    optionLabels: { moons: 'Two moons', circles: 'Circles', spirals: 'Spirals', xor: 'XOR', blobs: 'Gaussian blobs', sine: '1-D regression (noisy sine)', plane: '2-D regression (noisy plane)', csv: 'Your CSV file' },
  }),
  n: int({ default: 300, min: 20, max: 5000, label: 'Samples', group: 'data' }),
  noise: num({ default: 0.2, min: 0, max: 2, step: 0.01, label: 'Noise', group: 'data' }),
  classes: int({ default: 3, min: 2, max: 6, label: 'Classes (spirals, blobs)', group: 'data' }),
  valFrac: num({ default: 0.2, min: 0, max: 0.5, step: 0.05, label: 'Validation share', group: 'data', help: 'Held out to watch for over-fitting (early stopping looks at it).' }),
  testFrac: num({ default: 0.2, min: 0, max: 0.5, step: 0.05, label: 'Test share', group: 'data', help: 'Never trained on: its accuracy is the honest score.' }),
  seed: int({ default: 1, min: 0, max: 999999, label: 'Seed', group: 'data', help: 'Same seed and settings, same numbers — in the browser and in Node.' }),
  standardize: bool({ default: true, label: 'Standardize features', group: 'data' }),
  csvTarget: str({ default: '', maxLength: 100, label: 'Target column', group: 'data' }),
  csvX: str({ default: '', maxLength: 100, label: 'Plot: horizontal feature', group: 'data' }),
  csvY: str({ default: '', maxLength: 100, label: 'Plot: vertical feature', group: 'data' }),
  csvAll: bool({ default: true, label: 'Use all feature columns (not only the two plotted)', group: 'data' }),

  // --- Train view: model ---
  hidden: intList({ default: [8, 8], min: 1, max: 64, maxLength: 4, label: 'Hidden layers (widths)', group: 'model', help: 'e.g. "8,8": two hidden layers of 8 units; empty: a linear model.' }),
  activation: choice(['tanh', 'relu', 'leakyRelu', 'sigmoid', 'softplus', 'identity'], { default: 'tanh', label: 'Activation', group: 'model' }),
  loss: choice(['crossEntropy', 'halfMse', 'mse', 'mae', 'huber'], {
    default: 'crossEntropy', label: 'Loss', group: 'model',
    optionLabels: { crossEntropy: 'Cross-entropy (classes)', halfMse: 'Lecture MSE 1/(2n)Σ(ŷ−y)²', mse: 'MSE (1/n)Σ(ŷ−y)²', mae: 'Mean absolute error', huber: 'Huber' },
  }),
  l2: num({ default: 0, min: 0, max: 0.1, step: 0.0001, label: 'L2 penalty λ', group: 'model', help: 'Adds λΣw² to the loss: smaller weights, smoother boundary.' }),

  // --- Train view: training ---
  optimizer: choice(OPTIMIZERS, {
    default: 'adam', label: 'Optimizer', group: 'train',
    optionLabels: { gd: 'Gradient descent (full batch)', sgd: 'SGD', momentum: 'SGD + momentum', nesterov: 'SGD + Nesterov', adam: 'Adam', adamw: 'AdamW', rmsprop: 'RMSprop', adagrad: 'Adagrad' },
  }),
  lr: num({ default: 0.03, min: 1e-5, max: 10, step: 'log', label: 'Learning rate α', group: 'train', help: 'The step size in v ← v − α∇L(v): too small crawls, too large overshoots.' }),
  momentum: num({ default: 0.9, min: 0, max: 0.999, step: 0.01, label: 'Momentum μ', group: 'train' }),
  beta1: num({ default: 0.9, min: 0, max: 0.999, step: 0.001, label: 'Adam β₁', group: 'train' }),
  beta2: num({ default: 0.999, min: 0, max: 0.9999, step: 0.0001, label: 'Adam β₂', group: 'train' }),
  weightDecay: num({ default: 0.01, min: 0, max: 1, step: 0.001, label: 'Weight decay (AdamW)', group: 'train' }),
  alpha: num({ default: 0.99, min: 0, max: 0.999, step: 0.001, label: 'RMSprop α', group: 'train' }),
  schedule: choice(['constant', 'step', 'exponential', 'cosine', 'inverse'], {
    default: 'constant', label: 'Learning-rate schedule', group: 'train',
    optionLabels: { constant: 'Constant', step: 'Step: ×γ every k epochs', exponential: 'Exponential: ×γ per k epochs, smoothly', cosine: 'Cosine to 0 at the last epoch', inverse: 'Inverse: α/(1 + epoch/k)' },
  }),
  gamma: num({ default: 0.5, min: 0.01, max: 1, step: 0.01, label: 'Schedule γ', group: 'train' }),
  stepSize: int({ default: 50, min: 1, max: 5000, label: 'Schedule k (epochs)', group: 'train' }),
  batch: int({ default: 16, min: 1, max: 5000, label: 'Batch size m', group: 'train', help: 'Each step uses m samples; an epoch covers all of them once. m = n is gradient descent.' }),
  fullBatch: bool({ default: false, label: 'Full batch (gradient descent)', group: 'train' }),

  // --- Train view: stopping ---
  maxEpochs: int({ default: 300, min: 1, max: 100000, label: 'Max epochs', group: 'stop' }),
  patience: int({ default: 0, min: 0, max: 10000, label: 'Early stopping patience (0: off)', group: 'stop', help: 'Stop when the validation loss has not improved for this many epochs; keep the best weights.' }),
  targetLoss: num({ default: 0, min: 0, max: 10, step: 0.001, label: 'Target loss (0: off)', group: 'stop' }),
  pace: int({ default: 20, min: 0, max: 1000, label: 'Slow down: ms per epoch', group: 'stop', help: '0 trains as fast as it can; more lets you watch each epoch.' }),

  // --- Descent view ---
  surface: choice(SURFACES, {
    default: 'ravine', label: 'Loss surface', group: 'descent',
    optionLabels: { linreg: 'Linear regression ŷ = w·x + b', bowl: 'Quadratic bowl', ravine: 'Elongated ravine', rosenbrock: 'Rosenbrock banana', saddle: 'Saddle' },
  }),
  dLr: num({ default: 0.018, min: 1e-4, max: 10, step: 'log', label: 'Learning rate α', group: 'descent', help: 'Too small: the ball crawls. Larger: it overshoots and zig-zags. Too large: the loss rises and it diverges.' }),
  dAdamLr: num({ default: 0.1, min: 1e-4, max: 10, step: 'log', label: 'Adam learning rate', group: 'descent', help: 'Adam scales each coordinate by its gradient history, so its α is a step length.' }),
  dMomentum: num({ default: 0.9, min: 0, max: 0.99, step: 0.01, label: 'Momentum μ', group: 'descent', help: 'The ball keeps a fraction μ of its previous velocity.' }),
  dBatch: int({ default: 4, min: 1, max: 200, label: 'Mini-batch size m (SGD)', group: 'descent', help: 'Smaller batches give noisier gradient estimates: a jittery path.' }),
  dPoints: int({ default: 40, min: 4, max: 200, label: 'Data points n (linear regression)', group: 'descent' }),
  dNoise: num({ default: 0.5, min: 0, max: 3, step: 0.05, label: 'Data noise (linear regression)', group: 'descent' }),
  dSeed: int({ default: 0, min: 0, max: 999999, label: 'Seed', group: 'descent' }),
  dStartW: num({ default: -2.5, min: -100, max: 100, step: 0.01, label: 'Start w', group: 'descent', help: 'Click the map to choose where the ball starts.' }),
  dStartB: num({ default: 1.2, min: -100, max: 100, step: 0.01, label: 'Start b', group: 'descent' }),
  dSteps: int({ default: 300, min: 1, max: 10000, label: 'Steps', group: 'descent' }),
  dSpeed: int({ default: 30, min: 1, max: 600, label: 'Steps per second', group: 'descent' }),
  dGD: bool({ default: true, label: 'Gradient descent', group: 'descent' }),
  dSGD: bool({ default: false, label: 'Mini-batch SGD', group: 'descent' }),
  dMom: bool({ default: true, label: 'Momentum', group: 'descent' }),
  dNest: bool({ default: false, label: 'Nesterov', group: 'descent' }),
  dAdam: bool({ default: true, label: 'Adam', group: 'descent' }),
} as const;

export type Settings = typeof SETTINGS;
export type SettingKey = keyof Settings;

/** The value type a spec describes. */
export type ValueOf<S> = S extends EnumSpec<infer T> ? T
  : S extends BoolSpec ? boolean
  : S extends IntListSpec ? number[]
  : S extends StringSpec ? string
  : number;

/** The playground's state: one value per setting. */
export type State = { [K in SettingKey]: ValueOf<Settings[K]> };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** A fresh state with every default. */
export function defaultState(): State {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const d = SETTINGS[key].default;
    out[key] = Array.isArray(d) ? [...d] : d;
  }
  return out as State;
}

/** The result of checking one value: the value to use and, when it was changed, why. */
export interface Checked<T> {
  value: T;
  /** Set when the input was rejected (default used) or clamped. */
  problem?: string;
}

function fmt(v: number): string {
  return String(v);
}

function clampNumber(spec: NumberSpec | IntSpec, key: string, v: number): Checked<number> {
  if (v < spec.min) return { value: spec.min, problem: `${key} ${fmt(v)} is below the minimum ${fmt(spec.min)}; clamped to ${fmt(spec.min)}` };
  if (v > spec.max) return { value: spec.max, problem: `${key} ${fmt(v)} is above the maximum ${fmt(spec.max)}; clamped to ${fmt(spec.max)}` };
  return { value: v };
}

/**
 * Checks a raw value for setting `key`: a string (from a URL or an input element) or a value of
 * the setting's type. Out-of-range numbers are clamped; unparseable values and unknown options
 * fall back to the default. Either way `problem` says what happened.
 */
export function checkSetting<K extends SettingKey>(key: K, raw: unknown): Checked<State[K]> {
  const spec = SETTINGS[key] as SettingSpec;
  const fallback = (why: string): Checked<State[K]> => {
    const d = spec.default;
    return { value: (Array.isArray(d) ? [...d] : d) as State[K], problem: `${key}: ${why}; using the default ${JSON.stringify(d)}` };
  };
  switch (spec.type) {
    case 'number':
    case 'int': {
      const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(v)) return fallback(`${JSON.stringify(raw)} is not a finite number`);
      if (spec.type === 'int' && !Number.isInteger(v)) {
        const r = clampNumber(spec, key, Math.round(v));
        return { value: r.value as State[K], problem: `${key} ${fmt(v)} is not a whole number; rounded to ${fmt(r.value)}` };
      }
      return clampNumber(spec, key, v) as Checked<State[K]>;
    }
    case 'bool': {
      if (typeof raw === 'boolean') return { value: raw as State[K] };
      if (raw === '1' || raw === 'true') return { value: true as State[K] };
      if (raw === '0' || raw === 'false') return { value: false as State[K] };
      return fallback(`${JSON.stringify(raw)} is not a boolean (use 1/0 or true/false)`);
    }
    case 'enum': {
      if (typeof raw === 'string' && spec.options.includes(raw)) return { value: raw as State[K] };
      return fallback(`${JSON.stringify(raw)} is not one of ${spec.options.join(', ')}`);
    }
    case 'string': {
      if (typeof raw !== 'string') return fallback(`${JSON.stringify(raw)} is not text`);
      if (raw.length > spec.maxLength) return { value: raw.slice(0, spec.maxLength) as State[K], problem: `${key} is longer than ${spec.maxLength} characters; cut` };
      return { value: raw as State[K] };
    }
    case 'intList': {
      let items: unknown[];
      if (typeof raw === 'string') items = raw.trim() === '' ? [] : raw.split(/[\s,;x×]+/).filter((s) => s !== '').map(Number);
      else if (Array.isArray(raw)) items = raw;
      else return fallback(`${JSON.stringify(raw)} is not a list of whole numbers`);
      if (!items.every((v) => typeof v === 'number' && Number.isInteger(v))) return fallback(`${JSON.stringify(raw)} is not a list of whole numbers`);
      const problems: string[] = [];
      let list = (items as number[]).map((v) => {
        const c = Math.min(spec.max, Math.max(spec.min, v));
        if (c !== v) problems.push(`${v} clamped to ${c}`);
        return c;
      });
      if (list.length > spec.maxLength) {
        problems.push(`only the first ${spec.maxLength} kept`);
        list = list.slice(0, spec.maxLength);
      }
      return problems.length > 0 ? { value: list as State[K], problem: `${key}: ${problems.join('; ')} (each in [${spec.min}, ${spec.max}], at most ${spec.maxLength})` } : { value: list as State[K] };
    }
  }
}

/** Whether two values of a setting are equal (lists element by element). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/** A copy of `state` with `patch` applied, every value checked; problems are collected. */
export function updateState(state: State, patch: Partial<Record<SettingKey, unknown>>): { state: State; problems: string[] } {
  const next = { ...state } as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(patch)) {
    if (!(key in SETTINGS)) {
      problems.push(`unknown setting '${key}' ignored`);
      continue;
    }
    const r = checkSetting(key as SettingKey, raw);
    next[key] = r.value;
    if (r.problem) problems.push(r.problem);
  }
  return { state: next as State, problems };
}

/** Settings the train view's worker needs (everything but the app and descent groups). */
export function isTrainSetting(key: SettingKey): boolean {
  const g = SETTINGS[key].group;
  return g === 'data' || g === 'model' || g === 'train' || g === 'stop';
}

/** Settings that are not part of a training experiment: the app's and the descent view's. */
export const NON_TRAIN_KEYS = [
  'view', 'engine', 'surface', 'dLr', 'dAdamLr', 'dMomentum', 'dBatch', 'dPoints', 'dNoise', 'dSeed',
  'dStartW', 'dStartB', 'dSteps', 'dSpeed', 'dGD', 'dSGD', 'dMom', 'dNest', 'dAdam',
] as const satisfies readonly SettingKey[];
export type NonTrainKey = (typeof NON_TRAIN_KEYS)[number];

/** The subset of the state that defines a training experiment. */
export type TrainSettings = Omit<State, NonTrainKey>;

/** The training experiment's settings, picked out of the state. */
export function trainSettings(state: State): TrainSettings {
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (isTrainSetting(key)) out[key] = state[key];
  return out as TrainSettings;
}
