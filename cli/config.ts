// `train` options → a validated, fully resolved TrainConfig. Values come from the command line, then
// from `--config file.json` (same keys, camelCase or kebab-case), then from defaults that depend on
// the data (the MNIST preset, the task's loss). The resolved config is what config.json holds, and
// config.json is itself a valid `--config` file.
import { readFileSync } from 'node:fs';
import { CliError } from './errors.js';
import { type ScheduleSpec, parseSchedule } from './schedule.js';
import { type Origin, asBoolean, asChoice, asClassWeight, asColumns, asLayers, asNumber, asString, fail, originOf } from './option-values.js';

export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const ACTIVATIONS = ['relu', 'leakyRelu', 'tanh', 'sigmoid', 'softplus', 'identity'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const CLASSIFICATION_LOSSES = ['crossEntropy', 'bce'] as const;
export const REGRESSION_LOSSES = ['mse', 'halfMse', 'mae', 'huber'] as const;
/** A loss the command line offers (each one of the library's `LossName`s). */
export type CliLoss = (typeof CLASSIFICATION_LOSSES)[number] | (typeof REGRESSION_LOSSES)[number];
export const TASKS = ['auto', 'regression', 'classification'] as const;
export const SCALERS = ['standard', 'minmax', 'none'] as const;
export type ScalerName = (typeof SCALERS)[number];
export const MISSING = ['error', 'drop', 'mean', 'zero'] as const;
export type Missing = (typeof MISSING)[number];
export const DECIMALS = ['auto', '.', ','] as const;
export type Decimal = (typeof DECIMALS)[number];
/** `auto` takes the WebAssembly SIMD backend where the runtime has it, the TypeScript one otherwise. */
/** 'wasm-simd': the wasm backend's portable kernels (no fused multiply-add: the same bits on every machine). */
export const BACKENDS = ['auto', 'wasm', 'wasm-simd', 'js'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** Everything that determines a training run (saved as config.json; reproducible from it). */
export interface TrainConfig {
  /** A CSV file path or a bundled dataset name. */
  data: string;
  /** The CSV target column (null for bundled datasets). */
  target: string | null;
  task: 'regression' | 'classification';
  /** Hidden layer sizes (empty: a linear / logistic model). */
  layers: number[];
  activation: Activation;
  loss: CliLoss;
  optimizer: OptimizerName;
  lr: number;
  /** SGD/RMSprop momentum (null for optimizers without one). */
  momentum: number | null;
  batchSize: number | 'full';
  epochs: number;
  valSplit: number;
  testSplit: number;
  l2: number;
  weightDecay: number;
  schedule: string;
  /** Early-stopping patience in epochs (null: off). */
  patience: number | null;
  seed: number;
  scaler: ScalerName;
  missing: Missing;
  /** CSV feature columns to use (null: every column that type detection keeps). */
  features?: string[] | null;
  /** CSV columns to leave out. */
  drop?: string[];
  /** CSV columns to one-hot encode whatever their values. */
  categorical?: string[];
  /** CSV columns to read as numbers whatever type detection says. */
  numeric?: string[];
  /** The CSV's decimal separator ('auto': ',' in ;-separated files with decimal commas). */
  decimal?: Decimal;
  /** Class weights in the loss: 'none', 'balanced', or explicit (`2,1,1` in class order, or `rain=2,sun=1`). */
  classWeight?: string;
  backend: BackendName;
  /** Threads for the wasm backend's matrix products (null: every core). Results do not depend on it. */
  threads: number | null;
}

/** Options as given (command line and config file), validated one by one; undefined = not given. */
export interface TrainOptions {
  data?: string;
  target?: string;
  task?: (typeof TASKS)[number];
  layers?: number[];
  activation?: Activation;
  loss?: CliLoss;
  optimizer?: OptimizerName;
  lr?: number;
  momentum?: number;
  batchSize?: number | 'full';
  epochs?: number;
  valSplit?: number;
  testSplit?: number;
  l2?: number;
  weightDecay?: number;
  schedule?: string;
  patience?: number | null;
  seed?: number;
  scaler?: ScalerName;
  missing?: Missing;
  features?: string[];
  drop?: string[];
  categorical?: string[];
  numeric?: string[];
  decimal?: Decimal;
  classWeight?: string;
  backend?: BackendName;
  threads?: number;
  out?: string;
  quiet?: boolean;
  resume?: string;
}

const KEYS: ReadonlyArray<keyof TrainOptions> = [
  'data', 'target', 'task', 'layers', 'activation', 'loss', 'optimizer', 'lr', 'momentum', 'batchSize', 'epochs', 'valSplit',
  'testSplit', 'l2', 'weightDecay', 'schedule', 'patience', 'seed', 'scaler', 'missing', 'features', 'drop', 'categorical', 'numeric',
  'decimal', 'classWeight', 'backend', 'threads', 'out', 'quiet', 'resume',
];
/** Keys a resumed run may change: how long it runs and where its output goes. */
export const RESUMABLE_KEYS: ReadonlyArray<keyof TrainOptions> = ['epochs', 'out', 'quiet', 'backend', 'threads', 'resume', 'data'];

const camel = (key: string): string => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Validates one option value (from the command line or a config file). */
function validateOption(key: keyof TrainOptions, value: unknown, o: Origin): TrainOptions[keyof TrainOptions] {
  switch (key) {
    case 'data': case 'target': case 'out': case 'resume': return asString(value, o);
    case 'task': return asChoice(value, o, TASKS);
    case 'layers': return asLayers(value, o);
    case 'activation': return asChoice(value, o, ACTIVATIONS);
    case 'loss': return asChoice(value, o, [...CLASSIFICATION_LOSSES, ...REGRESSION_LOSSES]);
    case 'optimizer': return asChoice(value, o, OPTIMIZERS);
    case 'lr': return asNumber(value, o, 0, { exclusiveMin: true });
    case 'momentum': return asNumber(value, o, 0, { max: 1, exclusiveMax: true });
    case 'batchSize': {
      if (value === 'full') return 'full';
      const m = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isInteger(m) || m < 1) fail(o, `must be an integer ≥ 1 or 'full', got ${JSON.stringify(value)}`);
      return m;
    }
    case 'epochs': return asNumber(value, o, 1, { integer: true });
    case 'valSplit': return asNumber(value, o, 0, { max: 1, exclusiveMax: true });
    case 'testSplit': return asNumber(value, o, 0, { max: 1, exclusiveMax: true });
    case 'l2': return asNumber(value, o, 0);
    case 'weightDecay': return asNumber(value, o, 0);
    case 'schedule': {
      const text = asString(value, o);
      parseSchedule(text, o.label, o.where);
      return text;
    }
    case 'patience': return value === null || value === 'none' || value === 'off' ? null : asNumber(value, o, 1, { integer: true });
    case 'seed': return asNumber(value, o, 0, { integer: true, max: 2 ** 32 - 1 });
    case 'scaler': return asChoice(value, o, SCALERS);
    case 'missing': return asChoice(value, o, MISSING);
    case 'features': case 'drop': case 'categorical': case 'numeric': return asColumns(value, o);
    case 'decimal': return asChoice(value, o, DECIMALS);
    case 'classWeight': return asClassWeight(value, o);
    case 'backend': return asChoice(value, o, BACKENDS);
    case 'threads': return asNumber(value, o, 1, { integer: true, max: 64 });
    case 'quiet': return asBoolean(value, o);
  }
}

/** Validates the command line's options (commander gives strings; undefined when not given). */
export function optionsFromFlags(flags: Record<string, unknown>): TrainOptions {
  const out: Record<string, unknown> = {};
  for (const key of KEYS) {
    if (flags[key] === undefined) continue;
    out[key] = validateOption(key, flags[key], originOf(key));
  }
  return out as TrainOptions;
}

/** Reads and validates a `--config` JSON file; unknown keys are an error. */
export function optionsFromFile(file: string): TrainOptions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(`cannot read the config file: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}`, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`the config file is not valid JSON: ${(e as Error).message}`, file);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CliError('the config file must hold a JSON object of options, e.g. {"epochs": 20}', file);
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of Object.entries(json)) {
    const key = camel(rawKey) as keyof TrainOptions;
    if (!KEYS.includes(key)) throw new CliError(`unknown option '${rawKey}' in the config file; known: ${KEYS.join(', ')}`, file);
    // null is "not set" (config.json writes it for a target or momentum that does not apply), except for patience (off).
    if (value === null && key !== 'patience') continue;
    out[key] = validateOption(key, value, originOf(rawKey, file));
  }
  return out as TrainOptions;
}

/** Command-line options override the config file's. */
export function mergeOptions(file: TrainOptions, flags: TrainOptions): TrainOptions {
  const merged: Record<string, unknown> = { ...file };
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) merged[k] = v;
  return merged as TrainOptions;
}

/** Default learning rate of each optimizer for standardised tabular data. */
const DEFAULT_LR: Record<OptimizerName, number> = { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adam: 0.01, adamw: 0.01, rmsprop: 0.005, adagrad: 0.1 };

/** The defaults that depend on the data: MNIST gets a preset tuned to train fast on a CPU. */
function presetFor(data: string): Partial<TrainConfig> {
  if (data.trim().toLowerCase() === 'mnist') {
    return { layers: [128, 64], optimizer: 'momentum', lr: 0.05, momentum: 0.9, batchSize: 32, epochs: 12, valSplit: 0, schedule: 'cosine', scaler: 'none' };
  }
  return {};
}

/** The split a run will use (before the data is loaded: the defaults depend only on its name). */
export function splitOf(o: TrainOptions, data: string): Pick<TrainConfig, 'valSplit' | 'testSplit' | 'seed'> {
  return { valSplit: o.valSplit ?? presetFor(data).valSplit ?? 0.1, testSplit: o.testSplit ?? 0.2, seed: o.seed ?? 0 };
}

/** The CSV column options of a run, with their defaults. */
export function columnsOf(o: Partial<Pick<TrainConfig, 'features' | 'drop' | 'categorical' | 'numeric' | 'decimal'>>): Required<Pick<TrainConfig, 'features' | 'drop' | 'categorical' | 'numeric' | 'decimal'>> {
  return { features: o.features ?? null, drop: o.drop ?? [], categorical: o.categorical ?? [], numeric: o.numeric ?? [], decimal: o.decimal ?? 'auto' };
}

/**
 * Fills in every value not given, once the task is known. Throws for combinations that cannot work
 * (a regression loss on a classification task, --momentum for Adam).
 */
export function resolveConfig(o: TrainOptions, data: { name: string; task: 'regression' | 'classification'; target: string | null }): TrainConfig {
  const preset = presetFor(data.name);
  const optimizer = o.optimizer ?? preset.optimizer ?? 'momentum';
  const classification = data.task === 'classification';
  const loss = o.loss ?? (classification ? 'crossEntropy' : 'mse');
  const allowed: readonly string[] = classification ? CLASSIFICATION_LOSSES : REGRESSION_LOSSES;
  if (!allowed.includes(loss)) throw new CliError(`--loss ${loss} does not fit a ${data.task} task; use one of ${allowed.join(', ')}`);
  const hasMomentum = optimizer === 'sgd' || optimizer === 'momentum' || optimizer === 'nesterov' || optimizer === 'rmsprop';
  if (o.momentum !== undefined && !hasMomentum) throw new CliError(`--momentum does not apply to the ${optimizer} optimizer (only sgd, momentum, nesterov, rmsprop)`);
  if (optimizer === 'nesterov' && o.momentum === 0) throw new CliError('--momentum must be > 0 for the nesterov optimizer');
  const momentum = hasMomentum ? o.momentum ?? (optimizer === 'momentum' || optimizer === 'nesterov' ? preset.momentum ?? 0.9 : 0) : null;
  return {
    data: o.data ?? data.name,
    target: data.target,
    task: data.task,
    layers: o.layers ?? preset.layers ?? [32, 32],
    activation: o.activation ?? 'relu',
    loss,
    optimizer,
    lr: o.lr ?? (o.optimizer === undefined ? preset.lr : undefined) ?? DEFAULT_LR[optimizer],
    momentum,
    batchSize: o.batchSize ?? preset.batchSize ?? 32,
    epochs: o.epochs ?? preset.epochs ?? 100,
    valSplit: splitOf(o, data.name).valSplit,
    testSplit: splitOf(o, data.name).testSplit,
    l2: o.l2 ?? 0,
    weightDecay: o.weightDecay ?? (optimizer === 'adamw' ? 0.01 : 0),
    schedule: o.schedule ?? preset.schedule ?? 'constant',
    patience: o.patience ?? null,
    seed: o.seed ?? 0,
    scaler: o.scaler ?? preset.scaler ?? 'standard',
    missing: o.missing ?? 'error',
    ...columnsOf(o),
    classWeight: o.classWeight ?? 'none',
    backend: o.backend ?? 'auto',
    threads: o.threads ?? null,
  };
}

/** The parsed schedule of a resolved config. */
export function scheduleOf(config: TrainConfig): ScheduleSpec {
  return parseSchedule(config.schedule);
}

/** Checks a resolved config read back from a checkpoint or config.json (it passed validation once). */
export function configFromJson(json: unknown, where: string): TrainConfig {
  if (typeof json !== 'object' || json === null) throw new CliError('the saved run configuration is missing', where);
  const c = json as Record<string, unknown>;
  for (const key of ['data', 'task', 'layers', 'loss', 'optimizer', 'lr', 'batchSize', 'epochs', 'valSplit', 'testSplit', 'seed', 'scaler']) {
    if (c[key] === undefined) throw new CliError(`the saved run configuration has no '${key}'`, where);
  }
  return json as TrainConfig;
}
