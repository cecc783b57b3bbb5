// End to end on Iris: train → run folder → eval → predict, and an independent check of the
// checkpoint's weights against the probabilities `predict` writes.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { iris } from '../../src/index.js';
import { runCli, show, tempFolder } from './helpers.js';
import { readSafetensors } from './safetensors-reader.js';

const { dir, cleanup } = tempFolder('iris');
const run = join(dir, 'run');
let summary: { epochs: number; test: { accuracy: number; loss: number; samples: number }; stopReason: { rule: string } };

before(async () => {
  const r = await runCli(['train', 'iris', '--epochs', '60', '--out', 'run'], dir);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /run folder: run/);
  assert.match(r.stdout, /stopped after epoch 60: reached the maximum of 60 epochs/);
  // Not a terminal: one plain line per epoch with the loss and metrics.
  assert.match(r.stdout, /^epoch 1\/60 {2}loss \d\.\d+ {2}val_loss \d\.\d+ {2}accuracy \d\.\d{4} {2}val_accuracy \d\.\d{4} {2}lr 0\.05 {2}[\d,]+ samples\/s/m);
  assert.equal(r.stdout.match(/^epoch \d+\/60 /gm)?.length, 60);
  assert.equal(r.stderr, '');
  summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
});
after(cleanup);

test('reaches at least 90% held-out test accuracy', () => {
  assert.equal(summary.test.samples, 30);
  assert.ok(summary.test.accuracy >= 0.9, `test accuracy ${summary.test.accuracy}`);
  assert.equal(summary.stopReason.rule, 'maxEpochs');
});

test('the run folder holds config, metrics, events, chart, checkpoint and summary', () => {
  const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
  assert.equal(config.data, 'iris');
  assert.equal(config.task, 'classification');
  assert.equal(config.loss, 'crossEntropy');
  assert.deepEqual(config.layers, [32, 32]);
  assert.equal(config.testSplit, 0.2);

  const metrics = readFileSync(join(run, 'metrics.csv'), 'utf8').trim().split('\n');
  assert.equal(metrics[0], 'epoch,loss,val_loss,accuracy,val_accuracy,lr,step');
  assert.equal(metrics.length, 1 + 60);
  metrics.slice(1).forEach((line, i) => {
    const cells = line.split(',');
    assert.equal(cells.length, 7);
    assert.equal(Number(cells[0]), i + 1);
    assert.ok(cells.slice(1).every((c) => Number.isFinite(Number(c))), line);
  });

  const events = readFileSync(join(run, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events.length, 60);
  assert.deepEqual(events.map((e) => e.epoch), Array.from({ length: 60 }, (_, i) => i + 1));
  assert.ok(events.every((e) => e.event === 'epoch' && typeof e.loss === 'number' && typeof e.valLoss === 'number'));

  const svg = readFileSync(join(run, 'loss.svg'), 'utf8');
  assert.ok(svg.startsWith('<svg'), svg.slice(0, 40));
  assert.match(svg, /validation loss/);
});

test('eval rebuilds the held-out test split and reproduces the test metrics', async () => {
  const r = await runCli(['eval', 'run', '--json'], dir);
  assert.equal(r.code, 0, show(r));
  const out = JSON.parse(r.stdout);
  assert.equal(out.samples, 30);
  assert.equal(out.metrics.accuracy, summary.test.accuracy);
  assert.equal(out.metrics.loss, summary.test.loss);
  const text = await runCli(['eval', join('run', 'checkpoint.safetensors')], dir);
  assert.equal(text.code, 0, show(text));
  assert.match(text.stdout, /held-out test split of iris \(30 samples\): accuracy \d\.\d{4}/);
});

test("predict writes the input's columns, the class and per-class probabilities; they match an independent forward pass", async () => {
  const data = iris();
  const rows = [0, 1, 2, 60, 70, 80, 120, 130, 140, 149];
  const header = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
  const inputs = rows.map((i) => Array.from(data.x.data.subarray(i * 4, i * 4 + 4)));
  // No target column: predict does not need one.
  writeFileSync(join(dir, 'flowers.csv'), [header.join(','), ...inputs.map((r) => r.map((v) => Number(v.toFixed(1))).join(','))].join('\n') + '\n');
  const r = await runCli(['predict', 'run', 'flowers.csv', '-o', 'predicted.csv'], dir);
  assert.equal(r.code, 0, show(r));
  const lines = readFileSync(join(dir, 'predicted.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], [...header, 'prediction', 'probability_setosa', 'probability_versicolor', 'probability_virginica'].join(','));
  assert.equal(lines.length, 1 + rows.length);
  const predicted = lines.slice(1).map((l) => l.split(','));

  // The checkpoint, read without the library: weights, scaler and architecture.
  const file = readSafetensors(join(run, 'checkpoint.safetensors'));
  const meta = JSON.parse(file.metadata.downhill);
  const scaler = meta.preprocessing.scaler as { type: string; mean: number[]; scale: number[] };
  assert.equal(scaler.type, 'standard');
  const layers = meta.modelSpec.layers as Array<{ type: string; inFeatures?: number; outFeatures?: number }>;
  assert.deepEqual(layers.map((l) => l.type), ['Linear', 'ReLU', 'Linear', 'ReLU', 'Linear']);

  let correct = 0;
  predicted.forEach((cells, k) => {
    const x = cells.slice(0, 4).map(Number);
    assert.deepEqual(x, inputs[k].map((v) => Number(v.toFixed(1))));
    let h = x.map((v, j) => (v - scaler.mean[j]) / scaler.scale[j]);
    layers.forEach((layer, i) => {
      if (layer.type === 'ReLU') {
        h = h.map((v) => Math.max(0, v));
        return;
      }
      const w = file.tensors.get(`model.layers.${i}.weight`)!;
      const b = file.tensors.get(`model.layers.${i}.bias`)!;
      const [out, inn] = w.shape;
      assert.equal(inn, h.length);
      h = Array.from({ length: out }, (_, o) => h.reduce((s, v, j) => s + w.data[o * inn + j] * v, b.data[o]));
    });
    const m = Math.max(...h);
    const e = h.map((v) => Math.exp(v - m));
    const p = e.map((v) => v / e.reduce((a, c) => a + c, 0));
    const written = cells.slice(5).map(Number);
    p.forEach((v, j) => assert.ok(Math.abs(v - written[j]) < 1e-5, `row ${k} class ${j}: independent ${v}, predict ${written[j]}`));
    const best = p.indexOf(Math.max(...p));
    assert.equal(cells[4], ['setosa', 'versicolor', 'virginica'][best]);
    if (best === data.y.data[rows[k]]) correct++;
  });
  assert.ok(correct >= 8, `${correct}/10 of the sample flowers classified correctly`);
});

test('predict writes to stdout without -o', async () => {
  const r = await runCli(['predict', join('run', 'checkpoint.safetensors'), 'flowers.csv'], dir);
  assert.equal(r.code, 0, show(r));
  assert.equal(r.stdout.trim().split('\n').length, 11);
});
