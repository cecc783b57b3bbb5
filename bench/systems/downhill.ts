// downhill's training loop, written as a user would with the public API: linear, relu,
// crossEntropyLoss on the class labels, backward(), and the SGD optimizer (step, zeroGrad), each
// step in tidy() so its memory is reused at once (as the TF.js loop uses tf.tidy). The backend's
// fused kernels (dense layer, softmax cross-entropy, SGD update) run where it has them.
import { SGD, Tensor, crossEntropyLoss, linear, noGrad, relu, tensor, tidy } from '../../src/index.js';
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
  const params: Tensor[] = [];
  for (const layer of initialWeights(sizes)) {
    params.push(tensor(layer.w, { shape: [layer.out, layer.in], requiresGrad: true }));
    params.push(tensor(layer.b, { shape: [layer.out], requiresGrad: true }));
  }
  const xb = new Float32Array(batch * 784);
  const yb = new Float32Array(batch * 10);
  const labels = new Int32Array(batch);
  const opt = new SGD(params, { lr: task.lr });
  const meter = new RssMeter();
  let samples = 0;
  let finalLoss = NaN;
  let batches = 0;
  const t0 = performance.now();
  for (let e = 0; e < epochs && batches < maxBatches; e++) {
    const order = epochOrder(task.train.n, e);
    for (let s = 0; s + batch <= order.length && batches < maxBatches; s += batch, batches++) {
      const idx = order.slice(s, s + batch);
      gatherBatch(task.train, idx, xb, yb);
      for (let i = 0; i < batch; i++) labels[i] = task.train.labels[idx[i]];
      const lossValue = tidy(() => {
        const x = tensor(xb, { shape: [batch, 784] });
        const loss = crossEntropyLoss(forward(x, params), labels);
        loss.backward();
        opt.step();
        // Zeroed here rather than before backward, so the gradients' memory goes back with the step's.
        opt.zeroGrad();
        return batches % 25 === 0 ? loss.item() : NaN;
      });
      if (batches % 25 === 0) finalLoss = lossValue;
      samples += batch;
      if (batches % 10 === 0) meter.sample();
      await yieldToLoop();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  meter.sample();
  const logits = noGrad(() => forward(tensor(task.test.x, { shape: [task.test.n, 784] }), params));
  return { seconds, samples, testAccuracy: accuracy(logits.data, task.test.labels), finalLoss, peakRssMiB: meter.peak };
}
