// TF.js (tfjs-core with the CPU or WASM backend): the same MLP, loss and SGD. tfjs-core alone ships
// no gradient functions (they come with the full @tensorflow/tfjs package, and its ESM build does not
// load under Node), so the backward pass is written out with tf ops: the same math autodiff would do.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { accuracy, epochOrder, gatherBatch, initialWeights, type Task, transposed, yieldToLoop } from '../task.js';
import { RssMeter, type RunResult } from './common.js';

let wasmPathsSet = false;

/** Switches TF.js to 'cpu' or 'wasm' (its .wasm files loaded from node_modules). */
export async function useTf(backend: 'cpu' | 'wasm'): Promise<string> {
  if (backend === 'wasm' && !wasmPathsSet) {
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    // The package's entry lives in dist/ (or a subfolder of it); the .wasm files sit in dist/.
    let dir = dirname(entry);
    while (!dir.endsWith('dist')) dir = dirname(dir);
    setWasmPaths(join(dir, '/'));
    wasmPathsSet = true;
  }
  await tf.setBackend(backend);
  await tf.ready();
  return backend === 'wasm' ? String(getThreadsCount()) : '1';
}

export async function trainTf(task: Task, sizes: readonly number[], batch: number, epochs: number, maxBatches = Infinity): Promise<RunResult> {
  const vars: tf.Variable[] = [];
  for (const layer of initialWeights(sizes)) {
    vars.push(tf.variable(tf.tensor2d(transposed(layer.w, layer.out, layer.in), [layer.in, layer.out])));
    vars.push(tf.variable(tf.tensor1d(layer.b)));
  }
  const forward = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x;
    for (let l = 0; l < vars.length; l += 2) {
      h = tf.add(tf.matMul(h, vars[l] as tf.Tensor2D), vars[l + 1]);
      if (l + 2 < vars.length) h = tf.relu(h);
    }
    return h;
  };
  const xb = new Float32Array(batch * 784);
  const yb = new Float32Array(batch * 10);
  const meter = new RssMeter();
  let samples = 0;
  let finalLoss = NaN;
  let batches = 0;
  const depth = vars.length / 2;
  const t0 = performance.now();
  for (let e = 0; e < epochs && batches < maxBatches; e++) {
    const order = epochOrder(task.train.n, e);
    for (let s = 0; s + batch <= order.length && batches < maxBatches; s += batch, batches++) {
      gatherBatch(task.train, order.slice(s, s + batch), xb, yb);
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(xb, [batch, 784]);
        const y = tf.tensor2d(yb, [batch, 10]);
        // Forward, keeping each layer's input and pre-activation.
        const inputs: tf.Tensor2D[] = [];
        const pre: tf.Tensor2D[] = [];
        let h: tf.Tensor2D = x;
        for (let l = 0; l < depth; l++) {
          inputs.push(h);
          const z = tf.add(tf.matMul(h, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]) as tf.Tensor2D;
          pre.push(z);
          h = l + 1 < depth ? tf.relu(z) : z;
        }
        const logp = tf.logSoftmax(h);
        const lossValue = tf.mul(tf.sum(tf.mul(logp, y)), -1 / batch);
        // Backward: ∂L/∂z = (softmax − y)/B at the top, then through each layer.
        let dz = tf.div(tf.sub(tf.exp(logp), y), batch) as tf.Tensor2D;
        const updates: tf.Tensor[] = [];
        for (let l = depth - 1; l >= 0; l--) {
          const w = vars[2 * l] as tf.Tensor2D;
          updates[2 * l] = tf.matMul(inputs[l], dz, true, false);
          updates[2 * l + 1] = tf.sum(dz, 0);
          if (l > 0) dz = tf.mul(tf.matMul(dz, w, false, true), tf.step(pre[l - 1])) as tf.Tensor2D;
        }
        vars.forEach((v, i) => v.assign(tf.sub(v, tf.mul(updates[i], task.lr))));
        return lossValue;
      });
      if (batches % 25 === 0) finalLoss = loss.dataSync()[0];
      loss.dispose();
      samples += batch;
      if (batches % 10 === 0) meter.sample();
      await yieldToLoop();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  meter.sample();
  const logits = tf.tidy(() => forward(tf.tensor2d(task.test.x, [task.test.n, 784])));
  const acc = accuracy(logits.dataSync(), task.test.labels);
  logits.dispose();
  for (const v of vars) v.dispose();
  return { seconds, samples, testAccuracy: acc, finalLoss, peakRssMiB: meter.peak };
}
