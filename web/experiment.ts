/**
 * A training experiment from the playground's settings: the data, its split and scaling, the
 * model, the optimizer, the loss and the `fit` options — built only from the library's public API.
 * Pure (no DOM, no worker): the worker and the Node tests build exactly the same thing.
 *
 * Seeds, all derived from the one `seed` setting so a link reproduces a run:
 *   data = seed, split = seed + 1, initial weights = RNG(seed + 2), fit's shuffling = seed + 3.
 */
import {
  type Dataset, type FitOptions, type LossFunction, type NamedOptimizer, RNG, type Sequential,
  StandardScaler, type StoppingRule, type Tensor, type Schedule, type CsvEncoding,
  cosineAnnealingLR, data, earlyStopping, exponentialLR, inverseScalingLR, lossByName, mlp, oneHot, parseCsv, stepLR,
  optimizerByName, perEpoch, targetLoss, trainValTestSplit, type LearningRate,
} from '../src/index.js';
import type { TrainSettings } from './state.js';

export type Task = 'classification' | 'regression';

/** The optimizer as `fit` drives it, plus what a checkpoint records. */
export type PlaygroundOptimizer = NamedOptimizer;

export interface Experiment {
  task: Task;
  /** The whole dataset in its original units (for plotting). */
  full: Dataset;
  /** Row indices of `full` in each split. */
  indices: { train: Int32Array; val: Int32Array; test: Int32Array };
  /** The splits as the model sees them (standardized when the setting is on). */
  train: Dataset;
  val: Dataset | null;
  test: Dataset | null;
  /** Feature scaler fitted on the training split, or null. */
  scaler: StandardScaler | null;
  /** Regression target scaler fitted on the training split, or null. */
  targetScaler: StandardScaler | null;
  /** Which feature columns the plot shows: one (a 1-D plot) or two. */
  plotColumns: number[];
  /** Training means of every feature (original units): the value of the columns not plotted. */
  featureMeans: number[];
  model: Sequential;
  optimizer: PlaygroundOptimizer;
  /** Optimizer class name and its options, as JSON for a checkpoint. */
  optimizerSpec: { name: string; options: Record<string, number | boolean | number[]> };
  loss: LossFunction;
  /** The loss actually used (cross-entropy falls back to ½MSE for regression). */
  lossName: string;
  /** Everything `fit` needs besides callbacks and the abort signal. */
  fitOptions: FitOptions;
  /** How CSV columns map to the features (for generated sets, their feature names), saved in
   * checkpoints so that the CLI's `predict` and `eval` read new rows for the model. */
  csvEncoding: CsvEncoding;
  /** Things the user should know (a fallback, a clamp). */
  notes: string[];
}

/** The dataset for the settings, in original units. */
export function makeDataset(s: TrainSettings, csvText?: string): { dataset: Dataset; encoding: CsvEncoding } {
  if (s.dataset === 'csv') {
    if (csvText === undefined || csvText.trim() === '') throw new Error('No CSV file loaded: drop a .csv file on the page or choose one with the file button.');
    const target = s.csvTarget || lastColumn(csvText);
    const features = s.csvAll || !s.csvX || !s.csvY ? undefined : [s.csvX, s.csvY];
    const parsed = parseCsv(csvText, { fileName: 'csv', target, missing: 'mean', features });
    return { dataset: parsed.dataset, encoding: parsed.encoding };
  }
  const dataset = generatedDataset(s, s.dataset);
  return { dataset, encoding: data.datasetCsvEncoding(dataset) };
}

/** One of the generated datasets, in original units. */
function generatedDataset(s: TrainSettings, name: Exclude<TrainSettings['dataset'], 'csv'>): Dataset {
  const base = { n: s.n, noise: s.noise, seed: s.seed };
  switch (name) {
    case 'moons': return data.twoMoons(base);
    case 'circles': return data.circles(base);
    case 'spirals': return data.spirals({ ...base, classes: s.classes });
    case 'xor': return data.xor(base);
    // The blobs' spread is 5 × noise, so the default noise 0.2 gives the library's default σ = 1.
    case 'blobs': return data.gaussianBlobs({ ...base, noise: 5 * s.noise, classes: s.classes });
    case 'sine': return data.regression1d(base);
    case 'plane': return data.linearRegression(base).dataset;
  }
}

/** The header's last column (the default target). */
export function csvHeader(csvText: string): string[] {
  const first = csvText.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t', '|'].map((d) => [d, first.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  return first.split(delimiter).map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
}

function lastColumn(csvText: string): string {
  const h = csvHeader(csvText);
  return h[h.length - 1] ?? '';
}

function makeOptimizer(s: TrainSettings, model: Sequential, lr: LearningRate): { optimizer: PlaygroundOptimizer; spec: Experiment['optimizerSpec'] } {
  // Each name's own settings; the registry adds what the name fixes (nesterov: true) and checks them.
  const own: Record<TrainSettings['optimizer'], Record<string, number | boolean | number[]>> = {
    gd: {}, sgd: {}, adagrad: {},
    momentum: { momentum: s.momentum },
    nesterov: { momentum: s.momentum },
    adam: { betas: [s.beta1, s.beta2] },
    adamw: { betas: [s.beta1, s.beta2], weightDecay: s.weightDecay },
    rmsprop: { alpha: s.alpha },
  };
  const made = optimizerByName(s.optimizer, model.namedParameters(), { lr, ...own[s.optimizer] });
  // The checkpoint records the base rate; a schedule is rebuilt from the settings.
  return { optimizer: made.optimizer, spec: { name: made.className, options: { ...made.options, lr: s.lr } as Experiment['optimizerSpec']['options'] } };
}

/** The learning-rate schedule over epochs (fit steps it once per epoch), or undefined for a constant rate. */
export function makeSchedule(s: TrainSettings): Schedule | undefined {
  switch (s.schedule) {
    case 'constant': return undefined;
    case 'step': return stepLR(s.lr, { stepSize: s.stepSize, gamma: s.gamma });
    // ×γ every k epochs, smoothly: γ^(1/k) per epoch.
    case 'exponential': return exponentialLR(s.lr, { gamma: s.gamma ** (1 / s.stepSize) });
    case 'cosine': return cosineAnnealingLR(s.lr, { tMax: s.maxEpochs });
    case 'inverse': return inverseScalingLR(s.lr, { decay: 1 / s.stepSize, power: 1 });
  }
}

/** The loss function and its name; class labels meet squared-error losses as one-hot rows. */
function makeLoss(s: TrainSettings, task: Task, numClasses: number, notes: string[]): { loss: LossFunction; name: string } {
  if (task === 'regression') {
    if (s.loss === 'crossEntropy') {
      notes.push('Cross-entropy needs classes; this is regression, so the lecture’s MSE 1/(2n)Σ(ŷ−y)² is used.');
      return { loss: lossByName('halfMse'), name: 'halfMse' };
    }
    return { loss: lossByName(s.loss), name: s.loss };
  }
  if (s.loss === 'crossEntropy') return { loss: lossByName('crossEntropy'), name: 'crossEntropy' };
  const inner = lossByName(s.loss);
  const loss: LossFunction = (outputs: Tensor, labels: Tensor) => inner(outputs, oneHot(labels, numClasses, outputs.dtype === 'float64' ? 'float64' : 'float32'));
  return { loss, name: `${s.loss} on one-hot targets` };
}

/** Builds the whole experiment. Throws an Error with a readable message when the settings cannot work. */
export function buildExperiment(s: TrainSettings, csvText?: string): Experiment {
  const notes: string[] = [];
  const { dataset: full, encoding } = makeDataset(s, csvText);
  const task: Task = full.task;
  let valFrac = s.valFrac;
  let testFrac = s.testFrac;
  if (valFrac + testFrac > 0.8) {
    notes.push(`Validation + test shares ${valFrac + testFrac} leave too little to train on; using 0.2 each.`);
    valFrac = 0.2;
    testFrac = 0.2;
  }
  const split = trainValTestSplit(full, { val: valFrac, test: testFrac, seed: s.seed + 1 });

  let scaler: StandardScaler | null = null;
  let targetScaler: StandardScaler | null = null;
  const scaleSet = (d: Dataset): Dataset => {
    let out = scaler ? d.withFeatures(scaler.transform(d.x)) : d;
    if (targetScaler) out = out.withTargets(targetScaler.transform(d.y));
    return out;
  };
  if (s.standardize) {
    scaler = new StandardScaler().fit(split.train.x);
    if (task === 'regression') targetScaler = new StandardScaler().fit(split.train.y);
  }
  const train = scaleSet(split.train);
  const val = split.val.length > 0 ? scaleSet(split.val) : null;
  const test = split.test.length > 0 ? scaleSet(split.test) : null;

  const d = full.numFeatures;
  const featureMeans = Array.from({ length: d }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < split.train.length; i++) sum += split.train.x.data[i * d + j];
    return sum / split.train.length;
  });
  let plotColumns = d === 1 ? [0] : [0, 1];
  if (s.dataset === 'csv' && d > 1) {
    const names = full.featureNames;
    const x = names.indexOf(s.csvX);
    const y = names.indexOf(s.csvY);
    plotColumns = [x >= 0 ? x : 0, y >= 0 && y !== (x >= 0 ? x : 0) ? y : x === 1 ? 0 : 1];
  }

  const outputs = full.outputSize;
  const model = mlp([d, ...s.hidden, outputs], { activation: s.activation, rng: new RNG(s.seed + 2) });
  const { loss, name: lossName } = makeLoss(s, task, full.numClasses, notes);

  const fullBatch = s.fullBatch || s.optimizer === 'gd';
  if (!fullBatch && s.batch > train.length) notes.push(`Batch size ${s.batch} is more than the ${train.length} training samples: every step uses all of them (gradient descent).`);
  const stopping: StoppingRule[] = [];
  if (s.patience > 0) stopping.push(earlyStopping({ monitor: val ? 'valLoss' : 'loss', patience: s.patience, restoreBestWeights: true }));
  if (s.targetLoss > 0) stopping.push(targetLoss(s.targetLoss));
  const schedule = makeSchedule(s);
  const batchSize = fullBatch ? train.length : Math.min(s.batch, train.length);
  // The learning rate is given once, to the optimizer: an epoch schedule over its steps.
  const { optimizer, spec } = makeOptimizer(s, model, schedule ? perEpoch(schedule, Math.ceil(train.length / batchSize)) : s.lr);
  const fitOptions: FitOptions = {
    loss,
    optimizer,
    batchSize: fullBatch ? 'full' : Math.min(s.batch, train.length),
    epochs: s.maxEpochs,
    metrics: [task === 'classification' ? 'accuracy' : 'r2'],
    l2: s.l2,
    stopping,
    seed: s.seed + 3,
    ...(val ? { validationData: val } : {}),
  };
  return {
    task, full, indices: split.indices, train, val, test, scaler, targetScaler, plotColumns, featureMeans,
    model, optimizer, optimizerSpec: spec, loss, lossName, fitOptions, csvEncoding: encoding, notes,
  };
}
