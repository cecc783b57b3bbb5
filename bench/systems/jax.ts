// jax-js on its wasm device: valueAndGrad of the same loss, the SGD update inside one jit'd step.
import { blockUntilReady, defaultDevice, init, jit, nn, numpy as np, tree, valueAndGrad } from '@jax-js/jax';
import { accuracy, epochOrder, gatherBatch, initialWeights, type Task, transposed, yieldToLoop } from '../task.js';
import { RssMeter, type RunResult } from './common.js';

let ready = false;

export async function useJax(): Promise<void> {
  if (!ready) {
    await init('wasm');
    defaultDevice('wasm');
    ready = true;
  }
}

type Params = np.Array[];

function forward(p: Params, x: np.Array): np.Array {
  let h = x;
  for (let l = 0; l < p.length; l += 2) {
    h = np.matmul(h, p[l]).add(p[l + 1]);
    if (l + 2 < p.length) h = nn.relu(h);
  }
  return h;
}

export async function trainJax(task: Task, sizes: readonly number[], batch: number, epochs: number, maxBatches = Infinity): Promise<RunResult> {
  await useJax();
  let params: Params = [];
  for (const layer of initialWeights(sizes)) {
    params.push(np.array(transposed(layer.w, layer.out, layer.in), { shape: [layer.in, layer.out] }));
    params.push(np.array(layer.b, { shape: [layer.out] }));
  }
  const lr = task.lr;
  const lossFn = (p: Params, x: np.Array, y: np.Array): np.Array => nn.logSoftmax(forward(p, x)).mul(y).sum().mul(-1 / batch);
  const step = jit((p: Params, x: np.Array, y: np.Array) => {
    const [loss, g] = valueAndGrad(lossFn)(tree.ref(p), x, y);
    const next = tree.map((pi: np.Array, gi: np.Array) => pi.sub(gi.mul(lr)), p, g as Params);
    return [loss, next] as [np.Array, Params];
  });
  const xb = new Float32Array(batch * 784);
  const yb = new Float32Array(batch * 10);
  const meter = new RssMeter();
  let samples = 0;
  let finalLoss = NaN;
  let batches = 0;
  const t0 = performance.now();
  for (let e = 0; e < epochs && batches < maxBatches; e++) {
    const order = epochOrder(task.train.n, e);
    for (let s = 0; s + batch <= order.length && batches < maxBatches; s += batch, batches++) {
      gatherBatch(task.train, order.slice(s, s + batch), xb, yb);
      const x = np.array(xb, { shape: [batch, 784] });
      const y = np.array(yb, { shape: [batch, 10] });
      const [loss, next] = step(params, x, y) as [np.Array, Params];
      params = next;
      if (batches % 25 === 0) finalLoss = (await loss.data())[0];
      else loss.dispose();
      samples += batch;
      if (batches % 10 === 0) meter.sample();
      await yieldToLoop();
    }
  }
  // Training time includes waiting for the last step's results.
  await blockUntilReady(params);
  const seconds = (performance.now() - t0) / 1000;
  meter.sample();
  const logits = forward(tree.ref(params), np.array(task.test.x, { shape: [task.test.n, 784] }));
  const acc = accuracy(await logits.data(), task.test.labels);
  tree.dispose(params);
  step.dispose?.();
  return { seconds, samples, testAccuracy: acc, finalLoss, peakRssMiB: meter.peak };
}
