import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Adam, RNG, SGD, StandardScaler, data, decodeCheckpoint, fit, mlp, trainValTestSplit, type Dataset, type LossName,
} from '../../src/index.js';
import { type Command, type TrainEvent, createHandler } from '../../web/protocol.js';
import { defaultState, trainSettings, type TrainSettings } from '../../web/state.js';

/** A handler whose events are collected; `until` waits for an event matching a predicate. */
function harness() {
  const events: TrainEvent[] = [];
  const waiters: Array<{ pred: (e: TrainEvent) => boolean; resolve: (e: TrainEvent) => void }> = [];
  const handler = createHandler((e) => {
    events.push(e);
    for (const w of [...waiters]) {
      if (w.pred(e)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  }, { boundaryEveryMs: 0, gridSize: 16 });
  const send = (c: Command) => handler.handle(c);
  const until = <T extends TrainEvent>(pred: (e: TrainEvent) => e is T, timeoutMs = 20000) => new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
    waiters.push({ pred, resolve: (e) => { clearTimeout(timer); resolve(e as T); } });
  });
  return { events, handler, send, until };
}

const settings = (patch: Partial<TrainSettings> = {}): TrainSettings => ({ ...trainSettings(defaultState()), pace: 0, ...patch });
const isStatus = (s: string) => (e: TrainEvent): e is Extract<TrainEvent, { type: 'status' }> => e.type === 'status' && e.status === s;
const isStopped = (e: TrainEvent): e is Extract<TrainEvent, { type: 'stopped' }> => e.type === 'stopped';

test('configure sends the data to plot, the epoch-0 metrics and a decision map; then idles', async () => {
  const h = harness();
  await h.send({ type: 'configure', settings: settings({ n: 100 }) });
  const types = h.events.map((e) => e.type);
  assert.deepEqual(types, ['ready', 'epoch', 'boundary', 'status']);
  const ready = h.events[0] as Extract<TrainEvent, { type: 'ready' }>;
  assert.equal(ready.task, 'classification');
  assert.equal(ready.points.length, 200);
  assert.equal(ready.counts.train + ready.counts.val + ready.counts.test, 100);
  assert.equal(ready.split.filter((s) => s === 2).length, ready.counts.test);
  const boundary = h.events[2] as Extract<TrainEvent, { type: 'boundary' }>;
  assert.equal(boundary.values.length, 16 * 16 * 2);
  for (let c = 0; c < 16 * 16; c++) assert.ok(Math.abs(boundary.values[2 * c] + boundary.values[2 * c + 1] - 1) < 1e-5, 'probabilities sum to 1');
  h.handler.session?.cancel();
});

test('step batch runs one optimizer step; step epoch finishes the epoch; both then pause', async () => {
  const h = harness();
  await h.send({ type: 'configure', settings: settings({ n: 100, batch: 10 }) });
  const paused = h.until(isStatus('paused'));
  await h.send({ type: 'step', unit: 'batch' });
  await paused;
  const progress = h.events.filter((e) => e.type === 'progress').at(-1) as Extract<TrainEvent, { type: 'progress' }>;
  assert.equal(progress.step, 1);
  assert.equal(progress.batch, 1);
  assert.equal(progress.numBatches, 6, '60 training samples in batches of 10');

  const epochDone = h.until((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch' && e.epoch === 1);
  const pausedAgain = h.until(isStatus('paused'));
  await h.send({ type: 'step', unit: 'epoch' });
  const epoch1 = await epochDone;
  await pausedAgain;
  assert.equal(epoch1.step, 6, 'the rest of epoch 1: 5 more steps');
  assert.equal(h.handler.session!.history.length, 1);
  h.handler.session?.cancel();
});

test('start trains until a stopping rule fires and reports why', async () => {
  const h = harness();
  await h.send({ type: 'configure', settings: settings({ n: 100, maxEpochs: 5 }) });
  const stopped = h.until(isStopped);
  await h.send({ type: 'start' });
  const s = await stopped;
  assert.equal(s.rule, 'maxEpochs');
  assert.match(s.message, /maximum of 5 epochs/);
  const epochs = h.events.filter((e) => e.type === 'epoch').map((e) => (e as { epoch: number }).epoch);
  assert.deepEqual(epochs, [0, 1, 2, 3, 4, 5]);
});

test('when a run stops, the engine is described again just before the stop (its shared-job count has moved)', async () => {
  const events: TrainEvent[] = [];
  let described = 0;
  const describeEngine = () => ({ type: 'engine' as const, name: 'js' as const, threads: 1, build: null, note: null, sharedJobs: ++described });
  let stopped: () => void = () => {};
  const done = new Promise<void>((resolve) => { stopped = resolve; });
  const handler = createHandler((e) => {
    events.push(e);
    if (e.type === 'stopped') stopped();
  }, { boundaryEveryMs: 0, gridSize: 4, describeEngine });
  await handler.handle({ type: 'configure', settings: settings({ n: 40, maxEpochs: 2 }) });
  assert.equal(described, 0, 'not before a run stops');
  await handler.handle({ type: 'start' });
  await done;
  assert.equal(described, 1);
  assert.deepEqual(events.slice(-2).map((e) => e.type), ['engine', 'stopped']);
  assert.equal((events.at(-2) as Extract<TrainEvent, { type: 'engine' }>).sharedJobs, 1);
});

test('pause holds training, start resumes it, and the numbers equal an uninterrupted run', async () => {
  const a = harness();
  await a.send({ type: 'configure', settings: settings({ n: 200, maxEpochs: 12, batch: 8 }) });
  const pausedA = a.until(isStatus('paused'));
  await a.send({ type: 'start' });
  await a.send({ type: 'pause' });
  await pausedA;
  const stoppedA = a.until(isStopped);
  await a.send({ type: 'step', unit: 'batch' });
  await a.send({ type: 'start' });
  await stoppedA;

  const b = harness();
  await b.send({ type: 'configure', settings: settings({ n: 200, maxEpochs: 12, batch: 8 }) });
  const stoppedB = b.until(isStopped);
  await b.send({ type: 'start' });
  await stoppedB;
  assert.deepEqual(a.handler.session!.history.map((r) => r.loss), b.handler.session!.history.map((r) => r.loss));
});

/**
 * The same experiment built by hand from the library, as experiment.ts documents it: data seed s,
 * split seed s + 1, weights RNG(s + 2), fit seed s + 3, features standardized on the train split.
 */
async function directFit(s: TrainSettings, dataset: Dataset, makeOptimizer: (model: ReturnType<typeof mlp>) => SGD | Adam, loss: LossName) {
  const split = trainValTestSplit(dataset, { val: s.valFrac, test: s.testFrac, seed: s.seed + 1 });
  const scaler = new StandardScaler().fit(split.train.x);
  const train = split.train.withFeatures(scaler.transform(split.train.x));
  const val = split.val.withFeatures(scaler.transform(split.val.x));
  const model = mlp([2, ...s.hidden, dataset.numClasses], { activation: s.activation, rng: new RNG(s.seed + 2) });
  return fit(model, train, {
    loss, optimizer: makeOptimizer(model), batchSize: s.batch, epochs: s.maxEpochs, metrics: ['accuracy'],
    validationData: val, seed: s.seed + 3,
  });
}

test('same seed and settings: the protocol handler gives the same losses as fit called directly (Adam, moons)', async () => {
  const s = settings({ n: 300, maxEpochs: 15, seed: 7 });
  const h = harness();
  await h.send({ type: 'configure', settings: s });
  const stopped = h.until(isStopped);
  await h.send({ type: 'start' });
  await stopped;
  const viaProtocol = h.events.filter((e) => e.type === 'epoch' && e.epoch > 0) as Array<Extract<TrainEvent, { type: 'epoch' }>>;

  const direct = await directFit(s, data.twoMoons({ n: s.n, noise: s.noise, seed: s.seed }), (m) => new Adam(m.namedParameters(), { lr: s.lr, betas: [s.beta1, s.beta2] }), 'crossEntropy');
  assert.equal(viaProtocol.length, 15);
  assert.deepEqual(viaProtocol.map((e) => e.loss), direct.epochs.map((r) => r.loss));
  assert.deepEqual(viaProtocol.map((e) => e.valLoss), direct.epochs.map((r) => r.valLoss));
  assert.deepEqual(viaProtocol.map((e) => e.score.train), direct.epochs.map((r) => r.metrics.accuracy));
  assert.ok(viaProtocol.at(-1)!.loss < viaProtocol[0].loss, 'the loss went down');
});

test('same numbers as fit with momentum SGD on spirals, 1,000 points, 2×8 tanh', async () => {
  const s = settings({ dataset: 'spirals', n: 1000, maxEpochs: 4, seed: 3, optimizer: 'momentum', lr: 0.05, momentum: 0.9, batch: 32, classes: 3 });
  const h = harness();
  await h.send({ type: 'configure', settings: s });
  const stopped = h.until(isStopped);
  await h.send({ type: 'start' });
  await stopped;
  const viaProtocol = h.handler.session!.history.map((r) => r.loss);
  const direct = await directFit(s, data.spirals({ n: s.n, noise: s.noise, seed: s.seed, classes: 3 }), (m) => new SGD(m.namedParameters(), { lr: s.lr, momentum: s.momentum }), 'crossEntropy');
  assert.deepEqual(viaProtocol, direct.epochs.map((r) => r.loss));
});

test('early stopping and a target loss come from the settings and explain themselves', async () => {
  const h = harness();
  await h.send({ type: 'configure', settings: settings({ n: 200, targetLoss: 0.3, maxEpochs: 500 }) });
  const stopped = h.until(isStopped);
  await h.send({ type: 'start' });
  const s = await stopped;
  assert.equal(s.rule, 'targetLoss');
  assert.match(s.message, /reached the target 0\.3/);
});

test('regression: cross-entropy falls back to the lecture MSE with a note; R² is reported', async () => {
  const h = harness();
  await h.send({ type: 'configure', settings: settings({ dataset: 'sine', n: 100, maxEpochs: 30, lr: 0.03 }) });
  const ready = h.events[0] as Extract<TrainEvent, { type: 'ready' }>;
  assert.equal(ready.task, 'regression');
  assert.equal(ready.dims, 1);
  assert.equal(ready.lossName, 'halfMse');
  assert.match(ready.notes.join(' '), /Cross-entropy needs classes/);
  const stopped = h.until(isStopped);
  await h.send({ type: 'start' });
  await stopped;
  const last = h.events.filter((e) => e.type === 'epoch').at(-1) as Extract<TrainEvent, { type: 'epoch' }>;
  assert.equal(last.scoreName, 'r2');
  assert.ok(last.score.test! > 0.5, `test R² ${last.score.test}`);
  const boundary = h.events.filter((e) => e.type === 'boundary').at(-1) as Extract<TrainEvent, { type: 'boundary' }>;
  assert.equal(boundary.values.length, 200, 'a curve of 200 points');
});

test('CSV data: the chosen columns are plotted, errors are reported as events', async () => {
  const rows = ['a,b,c,label'];
  const rng = new RNG(0);
  for (let i = 0; i < 60; i++) {
    const a = rng.normal(), b = rng.normal(), c = rng.normal();
    rows.push(`${a},${b},${c},${a + c > 0 ? 'yes' : 'no'}`);
  }
  const h = harness();
  await h.send({ type: 'configure', settings: settings({ dataset: 'csv', csvTarget: 'label', csvX: 'a', csvY: 'c' }), csvText: rows.join('\n') });
  const ready = h.events[0] as Extract<TrainEvent, { type: 'ready' }>;
  assert.equal(ready.type, 'ready');
  assert.deepEqual(ready.axisNames, ['a', 'c']);
  assert.deepEqual(ready.classNames, ['no', 'yes']);
  h.handler.session?.cancel();

  const bad = harness();
  await bad.send({ type: 'configure', settings: settings({ dataset: 'csv', csvTarget: 'nope' }), csvText: rows.join('\n') });
  const error = bad.events.find((e) => e.type === 'error') as Extract<TrainEvent, { type: 'error' }>;
  assert.match(error.message, /unknown target column 'nope'/);
});

test('export gives a checkpoint the library reads back; import restores the weights', async () => {
  const h = harness();
  await h.send({ type: 'configure', settings: settings({ n: 100, maxEpochs: 3 }) });
  const stopped = h.until(isStopped);
  await h.send({ type: 'start' });
  await stopped;
  await h.send({ type: 'export', info: { playground: 'n=100&maxEpochs=3' } });
  const ckpt = h.events.find((e) => e.type === 'checkpoint') as Extract<TrainEvent, { type: 'checkpoint' }>;
  const decoded = decodeCheckpoint(ckpt.bytes);
  assert.deepEqual(decoded.modelSpec, h.handler.session!.exp.model.toSpec());
  assert.deepEqual(Object.keys(decoded.weights).sort(), ['layers.0.bias', 'layers.0.weight', 'layers.2.bias', 'layers.2.weight', 'layers.4.bias', 'layers.4.weight']);
  const pre = decoded.preprocessing as { task: string; featureNames: string[]; classNames: string[]; scaler: { type: string } };
  assert.equal(pre.task, 'classification');
  assert.deepEqual(pre.featureNames, ['x1', 'x2']);
  assert.deepEqual(pre.classNames, ['0', '1']);
  assert.equal(pre.scaler.type, 'standard');
  assert.equal((decoded.info as { playground: string }).playground, 'n=100&maxEpochs=3');
  const trained = h.events.filter((e) => e.type === 'epoch').at(-1) as Extract<TrainEvent, { type: 'epoch' }>;

  await h.send({ type: 'reset' });
  const fresh = h.events.filter((e) => e.type === 'epoch').at(-1) as Extract<TrainEvent, { type: 'epoch' }>;
  assert.notEqual(fresh.loss, trained.loss);
  await h.send({ type: 'import', bytes: ckpt.bytes, fileName: ckpt.fileName });
  const imported = h.events.filter((e) => e.type === 'epoch').at(-1) as Extract<TrainEvent, { type: 'epoch' }>;
  assert.equal(imported.testLoss, trained.testLoss);

  await h.send({ type: 'configure', settings: settings({ n: 100, hidden: [4] }) });
  await h.send({ type: 'import', bytes: ckpt.bytes, fileName: 'model.safetensors' });
  const err = h.events.at(-1) as Extract<TrainEvent, { type: 'error' }>;
  assert.equal(err.type, 'error');
  assert.match(err.message, /differs from the current model/);
  h.handler.session?.cancel();
});

test('the engine starts before the first command is handled; an engine command rebuilds the experiment on it', async () => {
  const events: TrainEvent[] = [];
  const asked: string[] = [];
  // A stand-in for the worker's engine.ts: slow to start, and it stays on js (the Node test's backend).
  const startEngine = async (choice: 'auto' | 'js') => {
    asked.push(choice);
    await new Promise((resolve) => setTimeout(resolve, 30));
    return { type: 'engine' as const, name: 'js' as const, threads: 1, build: null, note: choice === 'auto' ? 'no wasm in this test' : null, sharedJobs: 0 };
  };
  const handler = createHandler((e) => events.push(e), { gridSize: 4, startEngine });
  // Sent without awaiting, as the worker does: the configure must wait for the engine.
  void handler.handle({ type: 'configure', settings: settings({ n: 40 }) });
  await handler.handle({ type: 'step', unit: 'batch' });
  assert.deepEqual(asked, ['auto']);
  assert.deepEqual(events.slice(0, 2).map((e) => e.type), ['engine', 'ready']);
  events.length = 0;
  await handler.handle({ type: 'engine', choice: 'js' });
  assert.deepEqual(asked, ['auto', 'js']);
  assert.deepEqual(events.slice(0, 2).map((e) => e.type), ['engine', 'ready'], 'rebuilt from epoch 0 on the new engine');
  assert.equal(handler.session?.status, 'idle');
  handler.session?.cancel();

  // Without a starter (Node), engine commands are ignored and the caller's backend is used.
  const plain: TrainEvent[] = [];
  const h2 = createHandler((e) => plain.push(e), { gridSize: 4 });
  await h2.handle({ type: 'engine', choice: 'auto' });
  assert.deepEqual(plain, []);
});
