// downhill's training loop, written with the library's public ops: linear, relu, logSoftmax,
// a one-hot cross-entropy, backward(), and a plain SGD update (the backend's fused sgdStep when it
// has one).
import {
  Tensor, getBackend, linear, logSoftmax, mul, noGrad, relu, sum, tensor,
} from '../../src/index.js';
import type { FloatArray } from '../../src/index.js';
import { accuracy, epochOrder, gatherBatch, initialWeights, type Task, yieldToLoop } from '../task.js';
import { RssMeter, type RunResult } from './common.js';

function forward(x: Tensor, params: Tensor[]): Tensor {
  let h = x;
  for (let l = 0; l < params.length; l += 2) {
    h = linear(h, params[l], params[l + 1]);
    if (l + 2 < params.length) h = relu(h);
  }
  return h;
}

export async function trainDownhill(task: Task, sizes: readonly number[], batch: number, epochs: number, maxBatches = Infinity): Promise<RunResult> {
  const backend = getBackend();
  const params: Tensor[] = [];
  for (const layer of initialWeights(sizes)) {
    params.push(tensor(layer.w, { shape: [layer.out, layer.in], requiresGrad: true }));
    params.push(tensor(layer.b, { shape: [layer.out], requiresGrad: true }));
  }
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
      const x = tensor(xb, { shape: [batch, 784] });
      const y = tensor(yb, { shape: [batch, 10] });
      const loss = mul(sum(mul(logSoftmax(forward(x, params)), y)), -1 / batch);
      loss.backward();
      noGrad(() => {
        for (const p of params) {
          const g = p.grad!.data as FloatArray;
          if (backend.sgdStep) backend.sgdStep(p.data as FloatArray, g, task.lr);
          else for (let i = 0; i < p.size; i++) p.data[i] -= task.lr * g[i];
          p.grad = null;
        }
      });
      samples += batch;
      if (batches % 25 === 0) finalLoss = loss.item();
      if (batches % 10 === 0) meter.sample();
      await yieldToLoop();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  meter.sample();
  const logits = noGrad(() => forward(tensor(task.test.x, { shape: [task.test.n, 784] }), params));
  return { seconds, samples, testAccuracy: accuracy(logits.data, task.test.labels), finalLoss, peakRssMiB: meter.peak };
}
