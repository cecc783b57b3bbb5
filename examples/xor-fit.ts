// An MLP learns XOR with the fit loop: mini-batch SGD with momentum, stopped when the loss is small.
import { Dataset, RNG, SGD, fit, mlp, targetLoss, accuracy, predict } from '../src/index.js';


const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const data = new Dataset(x, new Int32Array([0, 1, 1, 0]));
const model = mlp([2, 8, 2], { activation: 'tanh', rng: new RNG(1) });
const history = await fit(model, data, {
  loss: 'crossEntropy',
  optimizer: new SGD(model.namedParameters(), { lr: 0.5, momentum: 0.9 }),
  batchSize: 'full',                 // every sample in each step: plain gradient descent
  epochs: 500,
  stopping: [targetLoss(0.01)],
});
console.log(history.stopReason.message, '— accuracy', accuracy(predict(model, data.x), data.y));
