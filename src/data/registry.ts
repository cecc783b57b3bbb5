import { ValueError } from '../util/errors.js';
import type { Dataset, Task } from './dataset.js';
import { iris } from './iris.js';
import { mnistDigits } from './mnist.js';
import type { RandomSource } from './sampler.js';
import { circles, gaussianBlobs, linearRegression, regression1d, spirals, twoMoons, xor } from './synthetic.js';

/** Options understood by {@link datasetByName}; each dataset uses the ones that apply to it. */
export interface DatasetByNameOptions extends RandomSource {
  /** Samples (synthetic sets) or digits (mnist, as `count`). */
  n?: number;
  /** Noise level of synthetic sets. */
  noise?: number;
  /** Number of classes (spirals, blobs). */
  classes?: number;
}

/** One entry of {@link listDatasets}. */
export interface DatasetDescription {
  /** The name to pass to `datasetByName`, e.g. `'iris'`. */
  name: string;
  /** Whether the dataset is for regression or classification. */
  task: Task;
  /** One line: what the samples are, how many, and their features. */
  description: string;
  /** Option names that apply to this dataset. */
  options: readonly string[];
}

interface Entry extends DatasetDescription {
  load(options: DatasetByNameOptions): Dataset | Promise<Dataset>;
}

const synth = ['n', 'noise', 'seed'] as const;

const ENTRIES: readonly Entry[] = [
  { name: 'iris', task: 'classification', description: "Fisher's Iris flowers: 150 samples, 4 measurements (cm), 3 species", options: [], load: () => iris() },
  { name: 'mnist', task: 'classification', description: 'Handwritten digits: 10,000 real 28×28 MNIST images (784 features in [0, 1]), labels 0–9', options: ['n'], load: (o) => mnistDigits({ count: o.n }) },
  { name: 'linear', task: 'regression', description: 'Linear model y = 2·x₁ − 3.4·x₂ + 4.2 + Gaussian noise (default n = 1000, noise = 0.01)', options: synth, load: (o) => linearRegression(o).dataset },
  { name: 'sine', task: 'regression', description: 'Noisy sine y = sin x + noise, x in [−π, π], 1 feature (default n = 100)', options: synth, load: (o) => regression1d(o) },
  { name: 'xor', task: 'classification', description: 'XOR quadrants in [−1, 1]², 2 classes, not linearly separable (default n = 200)', options: synth, load: (o) => xor(o) },
  { name: 'moons', task: 'classification', description: 'Two interleaving half circles, 2 classes (default n = 200)', options: synth, load: (o) => twoMoons(o) },
  { name: 'circles', task: 'classification', description: 'Two concentric circles, 2 classes (default n = 200)', options: synth, load: (o) => circles(o) },
  { name: 'spirals', task: 'classification', description: 'Interleaved spiral arms, one class per arm (default 3 arms, n = 300)', options: [...synth, 'classes'], load: (o) => spirals(o) },
  { name: 'blobs', task: 'classification', description: 'Gaussian blobs around centres on a circle, one class each (default 3, n = 300)', options: [...synth, 'classes'], load: (o) => gaussianBlobs(o) },
];

/** The bundled and synthetic datasets: name, task, a one-line description, applicable options. */
export function listDatasets(): DatasetDescription[] {
  return ENTRIES.map(({ name, task, description, options }) => ({ name, task, description, options }));
}

/**
 * A bundled or synthetic dataset by name (see {@link listDatasets}). Asynchronous because `mnist`
 * loads its data on demand; the others resolve at once.
 *
 * @example
 * const ds = await datasetByName('moons', { n: 500, noise: 0.2, seed: 1 });
 */
export async function datasetByName(name: string, options: DatasetByNameOptions = {}): Promise<Dataset> {
  const entry = ENTRIES.find((e) => e.name === name.trim().toLowerCase());
  if (!entry) throw new ValueError(`unknown dataset ${JSON.stringify(name)}; available: ${ENTRIES.map((e) => e.name).join(', ')}`);
  return entry.load(options);
}
