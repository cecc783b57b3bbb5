import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RNG, SGD, Adam, fit, mlp, earlyStopping, maxSteps, targetLoss, tolerance, timeBudget, tensor, randn, halfMseLoss, noGrad,
  linear, encodeCheckpoint, decodeCheckpoint, moduleFromSpec, perEpoch, type EpochRecord, type Tensor, type TrainingState,
} from '../../src/index.js';
import { Dataset } from '../../src/data/dataset.js';

/** y = 2x₁ − 3x₂ + 0.5 + noise, float64, the lecture's linear regression. */
function regressionData(n: number, seed: number): Dataset {
  const rng = new RNG(seed);
  const x = randn([n, 2], { rng, dtype: 'float64' });
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 2 * x.data[2 * i] - 3 * x.data[2 * i + 1] + 0.5 + 0.1 * rng.normal();
  return new Dataset(x, tensor(y, { shape: [n, 1] }), { task: 'regression' });
}

/** A training state as a fresh process gets it back: through the bytes of a checkpoint. */
function throughCheckpoint(state: TrainingState): TrainingState {
  return decodeCheckpoint(encodeCheckpoint({ modelSpec: { type: 'none' }, weights: {}, training: state })).training!;
}

function blobs(n: number, seed: number, spread = 1): Dataset {
  const rng = new RNG(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    x[2 * i] = [0, 3, -3][c] + spread * rng.normal();
    x[2 * i + 1] = [3, -2, -2][c] + spread * rng.normal();
  }
  return new Dataset(tensor(x, { shape: [n, 2] }), y, { task: 'classification' });
}

test('batch = n reproduces full-batch gradient descent exactly', async () => {
  const data = regressionData(64, 1);
  const model = mlp([2, 1], { rng: new RNG(3), dtype: 'float64' });
  // The same initial weights, trained by hand with plain GD on the whole set.
  const [w0, b0] = model.namedParameters().map(([, p]) => Float64Array.from(p.data));
  const w = tensor(w0, { shape: [1, 2], requiresGrad: true });
  const b = tensor(b0, { shape: [1], requiresGrad: true });
  const lr = 0.1;
  for (let epoch = 0; epoch < 5; epoch++) {
    w.grad = null;
    b.grad = null;
    halfMseLoss(linear(data.x, w, b), data.y).backward();
    noGrad(() => {
      for (const p of [w, b]) for (let i = 0; i < p.size; i++) p.data[i] -= lr * p.grad!.data[i];
    });
  }
  const history = await fit(model, data, { loss: 'halfMse', optimizer: new SGD(model.namedParameters(), { lr }), batchSize: 'full', epochs: 5 });
  assert.equal(history.epochs.length, 5);
  assert.equal(history.epochs[4].step, 5, 'one step per epoch');
  const [[, fw], [, fb]] = model.namedParameters();
  assert.deepEqual(Array.from(fw.data), Array.from(w.data));
  assert.deepEqual(Array.from(fb.data), Array.from(b.data));
  assert.equal(history.stopReason.rule, 'maxEpochs');
});

test('mini-batch SGD fits the linear model and the history reports each epoch', async () => {
  const data = regressionData(200, 2);
  const model = mlp([2, 1], { rng: new RNG(0), dtype: 'float64' });
  const history = await fit(model, data, { loss: 'halfMse', optimizer: new SGD(model.namedParameters(), { lr: 0.1 }), batchSize: 16, epochs: 30, seed: 4 });
  const [[, w], [, b]] = model.namedParameters();
  assert.ok(Math.abs(w.data[0] - 2) < 0.05 && Math.abs(w.data[1] + 3) < 0.05 && Math.abs(b.data[0] - 0.5) < 0.05, `w=${w.data} b=${b.data}`);
  const first = history.epochs[0];
  const last = history.epochs.at(-1)!;
  assert.ok(last.loss < first.loss / 10);
  assert.equal(last.step, 30 * Math.ceil(200 / 16));
  assert.ok(last.samplesPerSec > 0 && last.durationMs >= 0 && last.lr === 0.1);
});

test('lr = 100 on MSE stops with the divergence reason and finite weights', async () => {
  const data = regressionData(100, 5);
  const model = mlp([2, 8, 1], { rng: new RNG(1), dtype: 'float32' });
  const history = await fit(model, data, { loss: 'mse', optimizer: new SGD(model.namedParameters(), { lr: 100 }), batchSize: 10, epochs: 50 });
  assert.equal(history.stopReason.rule, 'divergence');
  assert.match(history.stopReason.message, /learning rate|diverg/);
  for (const [, p] of model.namedParameters()) for (const v of p.data) assert.ok(Number.isFinite(v));
  assert.ok(history.epochs.length < 50);
});

test('early stopping restores the best epoch weights, also when max epochs ends training', async () => {
  for (const epochs of [6, 40]) {
    // Overlapping classes and few training points: the validation loss turns up as the model overfits.
    const train = blobs(24, 7, 3);
    const val = blobs(90, 8, 3);
    const model = mlp([2, 64, 64, 3], { activation: 'relu', rng: new RNG(2) });
    const snapshots = new Map<number, number[]>();
    const history = await fit(model, train, {
      loss: 'crossEntropy', optimizer: new Adam(model.namedParameters(), { lr: 0.05 }), batchSize: 4, epochs, validationData: val, seed: 1,
      stopping: [earlyStopping({ monitor: 'valLoss', patience: epochs === 6 ? 100 : 3, restoreBestWeights: true })],
      callbacks: [{ onEpochEnd: (r) => { snapshots.set(r.epoch, model.namedParameters().flatMap(([, p]) => Array.from(p.data))); } }],
    });
    const best = history.epochs.reduce((a, r) => (r.valLoss! < a.valLoss! ? r : a));
    assert.equal(history.restoredEpoch, best.epoch);
    assert.deepEqual(model.namedParameters().flatMap(([, p]) => Array.from(p.data)), snapshots.get(best.epoch));
    assert.equal(history.stopReason.rule, epochs === 6 ? 'maxEpochs' : 'earlyStopping');
    assert.ok(best.epoch < history.epochs.length, 'the test needs a run whose best epoch is not the last');
  }
});

test('stopping rules report why they stopped', async () => {
  const data = regressionData(64, 9);
  const make = () => mlp([2, 1], { rng: new RNG(0), dtype: 'float64' });
  let m = make();
  let h = await fit(m, data, { loss: 'halfMse', optimizer: new SGD(m.namedParameters(), { lr: 0.05 }), batchSize: 8, epochs: 100, stopping: [maxSteps(20)] });
  assert.equal(h.stopReason.rule, 'maxSteps');
  assert.equal(h.epochs.at(-1)!.step, 20);
  assert.deepEqual(h.epochs.map((r) => r.partial ?? false), [false, false, true]);
  m = make();
  h = await fit(m, data, { loss: 'halfMse', optimizer: new SGD(m.namedParameters(), { lr: 0.1 }), batchSize: 8, epochs: 100, stopping: [targetLoss(0.05)] });
  assert.equal(h.stopReason.rule, 'targetLoss');
  assert.ok(h.epochs.at(-1)!.loss <= 0.05 && h.epochs.length < 100);
  m = make();
  h = await fit(m, data, { loss: 'halfMse', optimizer: new SGD(m.namedParameters(), { lr: 0.1 }), batchSize: 8, epochs: 500, stopping: [tolerance({ tol: 1e-3, patience: 3 })] });
  assert.equal(h.stopReason.rule, 'tolerance');
  assert.ok(h.epochs.length < 500);
  m = make();
  h = await fit(m, data, { loss: 'halfMse', optimizer: new SGD(m.namedParameters(), { lr: 0.1 }), batchSize: 1, epochs: 100000, stopping: [timeBudget(200)] });
  assert.equal(h.stopReason.rule, 'timeBudget');
  const controller = new AbortController();
  m = make();
  h = await fit(m, data, {
    loss: 'halfMse', optimizer: new SGD(m.namedParameters(), { lr: 0.1 }), batchSize: 8, epochs: 100, signal: controller.signal,
    callbacks: [{ onBatchEnd: (b) => { if (b.step === 13) controller.abort('user pressed stop'); } }],
  });
  assert.equal(h.stopReason.rule, 'abort');
  assert.match(h.stopReason.message, /user pressed stop/);
  // Step 13 of 8 batches per epoch is epoch 2's fifth batch: that record covers part of an epoch.
  assert.deepEqual(h.epochs.map((r) => r.partial ?? false), [false, true]);
});

test('the same seed gives bit-identical training; a resumed run matches an uninterrupted one', async () => {
  const data = blobs(120, 3);
  const run = async (resumeAt?: number): Promise<{ weights: number[]; history: EpochRecord[] }> => {
    const model = mlp([2, 8, 3], { activation: 'tanh', rng: new RNG(11) });
    const optimizer = new SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9 });
    const common = { loss: 'crossEntropy' as const, batchSize: 16, seed: 5, validationSplit: 0.2, metrics: ['accuracy'] as const };
    if (resumeAt === undefined) {
      const h = await fit(model, data, { ...common, optimizer, epochs: 8 });
      return { weights: model.namedParameters().flatMap(([, p]) => Array.from(p.data)), history: h.epochs };
    }
    let saved: { state: TrainingState; weights: Record<string, Float32Array>; opt: ReturnType<SGD['stateDict']> } | undefined;
    await fit(model, data, {
      ...common, optimizer, epochs: resumeAt,
      callbacks: [{ onEpochEnd: (_r, _h, state) => {
        saved = { state, weights: Object.fromEntries(model.namedParameters().map(([n, p]) => [n, Float32Array.from(p.data)])), opt: optimizer.stateDict() };
      } }],
    });
    // A fresh process: new model and optimizer, state loaded from the epoch-k snapshot.
    const model2 = mlp([2, 8, 3], { activation: 'tanh', rng: new RNG(999) });
    for (const [n, p] of model2.namedParameters()) p.data.set(saved!.weights[n]);
    const optimizer2 = new SGD(model2.namedParameters(), { lr: 0.1, momentum: 0.9 });
    optimizer2.loadStateDict(saved!.opt);
    const h = await fit(model2, data, { ...common, optimizer: optimizer2, epochs: 8, resume: throughCheckpoint(saved!.state) });
    return { weights: model2.namedParameters().flatMap(([, p]) => Array.from(p.data)), history: h.epochs };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.weights, b.weights, 'same seed, same weights');
  const c = await run(3);
  assert.deepEqual(c.weights, a.weights, 'resumed run matches bit for bit');
  assert.deepEqual(c.history.map((r) => r.loss), a.history.map((r) => r.loss));
  assert.deepEqual(c.history.map((r) => r.valMetrics), a.history.map((r) => r.valMetrics));
});

test('restore-best-weights survives a resume: the kept weights travel in the training state and the checkpoint', async () => {
  // The overfitting setup above: the best validation epoch comes early, before the resume point.
  const train = blobs(24, 7, 3);
  const val = blobs(90, 8, 3);
  const epochs = 12;
  const resumeAt = 10;
  const options = (model: ReturnType<typeof mlp>, optimizer: Adam) => ({
    loss: 'crossEntropy' as const, optimizer, batchSize: 4, validationData: val, seed: 1,
    stopping: [earlyStopping({ monitor: 'valLoss', patience: 100, restoreBestWeights: true })],
  });
  const weightsOf = (model: ReturnType<typeof mlp>): number[] => model.namedParameters().flatMap(([, p]) => Array.from(p.data));

  const full = mlp([2, 64, 64, 3], { activation: 'relu', rng: new RNG(2) });
  const history = await fit(full, train, { ...options(full, new Adam(full.namedParameters(), { lr: 0.05 })), epochs });
  assert.ok(history.restoredEpoch! < resumeAt, `the test needs the best epoch (${history.restoredEpoch}) before the resume point`);

  const first = mlp([2, 64, 64, 3], { activation: 'relu', rng: new RNG(2) });
  const optimizer = new Adam(first.namedParameters(), { lr: 0.05 });
  let bytes: Uint8Array | undefined;
  await fit(first, train, {
    ...options(first, optimizer), epochs: resumeAt,
    callbacks: [{ onEpochEnd: (_r, _h, state) => {
      bytes = encodeCheckpoint({ modelSpec: first.toSpec(), weights: first.stateDict(), optimizer: { name: 'adam', options: {}, state: optimizer.stateDict() }, training: state });
    } }],
  });
  // The last checkpoint was written before fit put the best weights back: it holds epoch 10's.
  const checkpoint = decodeCheckpoint(bytes!);
  assert.ok(checkpoint.training!.ruleWeights?.earlyStopping, 'the best weights are in the checkpoint');
  const resumed = moduleFromSpec(checkpoint.modelSpec) as ReturnType<typeof mlp>;
  resumed.loadStateDict(checkpoint.weights);
  const optimizer2 = new Adam(resumed.namedParameters(), { lr: 0.05 });
  optimizer2.loadStateDict(checkpoint.optimizer!.state);
  const h2 = await fit(resumed, train, { ...options(resumed, optimizer2), epochs, resume: checkpoint.training });
  assert.equal(h2.restoredEpoch, history.restoredEpoch);
  assert.deepEqual(weightsOf(resumed), weightsOf(full), 'the resumed run ends on the same restored weights, bit for bit');
});

test('steps run in tidy() by default: the same history and weights as without, and step tensors do not outlive their step', async () => {
  const run = async (tidySteps: boolean): Promise<{ losses: number[]; weights: number[]; leaked: boolean }> => {
    const model = mlp([2, 8, 3], { activation: 'relu', rng: new RNG(5) });
    let last: { isReleased: boolean } | null = null;
    const forward = model.forward.bind(model);
    model.forward = (x) => {
      const out = forward(x);
      last = out;
      return out;
    };
    const history = await fit(model, blobs(60, 2), {
      loss: 'crossEntropy', optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), batchSize: 16, epochs: 3, metrics: ['accuracy'], tidySteps,
    });
    return {
      losses: history.epochs.flatMap((e) => [e.loss, e.metrics.accuracy]),
      weights: model.parameters().flatMap((p) => Array.from(p.data)),
      leaked: !(last as unknown as { isReleased: boolean }).isReleased,
    };
  };
  const scoped = await run(true);
  const plain = await run(false);
  assert.deepEqual(scoped.losses, plain.losses);
  assert.deepEqual(scoped.weights, plain.weights);
  assert.equal(scoped.leaked, false, 'the last step\'s outputs were released');
  assert.equal(plain.leaked, true, 'without tidySteps they stay usable');
});

test('the learning rate is given once, to the optimizer: fit refuses a schedule option; perEpoch counts epochs over the steps', async () => {
  const ds = new Dataset(tensor([[0], [1], [2], [3]]), tensor([[0], [1], [2], [3]]));
  const p = tensor([[0.5]], { requiresGrad: true });
  const model = { forward: (x: Tensor) => x.matmul(p), namedParameters: () => [['w', p]] as const, train() {} };
  const seen: number[] = [];
  const optimizer = new SGD([p], { lr: perEpoch((e) => 0.1 / (e + 1), 2) });
  await assert.rejects(fit(model as never, ds, { loss: 'mse', optimizer, schedule: () => 1 } as never), /the schedule is the optimizer's lr/);
  await fit(model as never, ds, { loss: 'mse', optimizer, batchSize: 2, epochs: 3, shuffle: false, callbacks: [{ onBatchEnd: (b) => void seen.push(b.lr) }] });
  assert.deepEqual(seen.map((x) => +x.toFixed(6)), [0.1, 0.1, 0.05, 0.05, 0.033333, 0.033333]);
});
