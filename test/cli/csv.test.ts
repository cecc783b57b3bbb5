// End to end on CSV files the test writes: a regression with a categorical column, a
// classification with string labels, and --config merged with command-line flags.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RNG } from '../../src/index.js';
import { runCli, show, tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('csv');
after(cleanup);

/** Flat prices: 3 per m² in paris, 2 in lyon, 2.5 in nice, + 5 per room − 0.8 per year of age, + noise. */
function housesCsv(n: number, rng: RNG, withPrice = true): { text: string; prices: number[] } {
  const perM2: Record<string, number> = { paris: 3, lyon: 2, nice: 2.5 };
  const cities = Object.keys(perM2);
  const lines = [withPrice ? 'size,rooms,city,age,price' : 'size,rooms,city,age'];
  const prices: number[] = [];
  for (let i = 0; i < n; i++) {
    const size = Math.round(rng.uniformRange(30, 200));
    const rooms = 1 + rng.int(6);
    const city = cities[rng.int(3)];
    const age = Math.round(rng.uniformRange(0, 80));
    const price = Math.round(size * perM2[city] + 5 * rooms - 0.8 * age + 5 * rng.normal());
    prices.push(price);
    lines.push(`${size},${rooms},${city},${age}${withPrice ? `,${price}` : ''}`);
  }
  return { text: `${lines.join('\n')}\n`, prices };
}

before(() => {
  writeFileSync(join(dir, 'houses.csv'), housesCsv(300, new RNG(1)).text);
  // Classification: the label is which side of a line the point lies on, plus a categorical column.
  const rng = new RNG(2);
  const lines = ['x1,x2,colour,label'];
  for (let i = 0; i < 240; i++) {
    const x1 = rng.uniformRange(-1, 1);
    const x2 = rng.uniformRange(-1, 1);
    const colour = ['red', 'green'][rng.int(2)];
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${colour},${x1 + 0.5 * x2 > 0 ? 'high' : 'low'}`);
  }
  writeFileSync(join(dir, 'points.csv'), `${lines.join('\n')}\n`);
});

test('regression with a categorical column: test R² ≥ 0.9; eval and predict agree', async () => {
  const r = await runCli(['train', 'houses.csv', '--target', 'price', '--epochs', '40', '--out', 'houses', '--quiet'], dir);
  assert.equal(r.code, 0, show(r));
  assert.doesNotMatch(r.stdout, /^epoch /m, 'quiet prints no epoch lines');
  assert.match(r.stdout, /test \(60 samples\): mse [\d.e+-]+ {2}rmse [\d.e+-]+ {2}mae [\d.e+-]+ {2}r2 0\.\d{4}/);
  const summary = JSON.parse(readFileSync(join(dir, 'houses', 'summary.json'), 'utf8'));
  assert.ok(summary.test.r2 >= 0.9, `test R² ${summary.test.r2}`);
  const config = JSON.parse(readFileSync(join(dir, 'houses', 'config.json'), 'utf8'));
  assert.equal(config.task, 'regression');
  assert.equal(config.loss, 'mse');
  assert.equal(config.target, 'price');

  const ev = await runCli(['eval', 'houses', '--json'], dir);
  assert.equal(ev.code, 0, show(ev));
  assert.equal(JSON.parse(ev.stdout).metrics.r2, summary.test.r2);

  // New houses without the price column.
  const fresh = housesCsv(50, new RNG(99), false);
  writeFileSync(join(dir, 'new-houses.csv'), fresh.text);
  const p = await runCli(['predict', 'houses', 'new-houses.csv', '-o', 'priced.csv'], dir);
  assert.equal(p.code, 0, show(p));
  const lines = readFileSync(join(dir, 'priced.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'size,rooms,city,age,prediction');
  assert.equal(lines.length, 51);
  const predicted = lines.slice(1).map((l) => Number(l.split(',')[4]));
  const mean = fresh.prices.reduce((a, b) => a + b, 0) / fresh.prices.length;
  const ssRes = fresh.prices.reduce((s, y, i) => s + (y - predicted[i]) ** 2, 0);
  const ssTot = fresh.prices.reduce((s, y) => s + (y - mean) ** 2, 0);
  assert.ok(1 - ssRes / ssTot >= 0.9, `R² on new houses ${1 - ssRes / ssTot}`);
  // The input's cells are copied through unchanged.
  assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(',')), fresh.text.trim().split('\n').slice(1));
});

test('classification with string labels: auto task, test accuracy ≥ 0.9, per-class probability columns', async () => {
  const r = await runCli(['train', 'points.csv', '--epochs', '40', '--out', 'points', '--seed', '3'], dir);
  assert.equal(r.code, 0, show(r));
  const summary = JSON.parse(readFileSync(join(dir, 'points', 'summary.json'), 'utf8'));
  assert.ok(summary.test.accuracy >= 0.9, `test accuracy ${summary.test.accuracy}`);
  const config = JSON.parse(readFileSync(join(dir, 'points', 'config.json'), 'utf8'));
  assert.equal(config.task, 'classification');
  assert.equal(config.target, 'label', 'the last column is the default target');

  const p = await runCli(['predict', 'points', 'points.csv'], dir);
  assert.equal(p.code, 0, show(p));
  const lines = p.stdout.trim().split('\n');
  assert.equal(lines[0], 'x1,x2,colour,label,prediction,probability_high,probability_low');
  assert.equal(lines.length, 241);
  const rows = lines.slice(1).map((l) => l.split(','));
  assert.ok(rows.every((c) => Math.abs(Number(c[5]) + Number(c[6]) - 1) < 1e-5));
  const agree = rows.filter((c) => c[3] === c[4]).length / rows.length;
  assert.ok(agree >= 0.9, `training-file agreement ${agree}`);

  // Given the training file itself, eval scores its held-out test rows only (found by the file's SHA-256).
  const ev = await runCli(['eval', 'points', 'points.csv'], dir);
  assert.equal(ev.code, 0, show(ev));
  assert.match(ev.stdout, /^held-out test split of points\.csv \(48 samples\): accuracy (0\.9\d{3}|1\.0000)/);
  assert.match(ev.stderr, /^downhill: note: points\.csv is the data the run was trained on \(the same SHA-256\): scoring its held-out test split only/);
  assert.equal(ev.stdout, (await runCli(['eval', 'points'], dir)).stdout);
});

test('--config supplies options; command-line flags override it; config.json is itself a valid --config', async () => {
  writeFileSync(join(dir, 'opts.json'), JSON.stringify({ epochs: 5, layers: '8', 'batch-size': 16, optimizer: 'adam', lr: 0.01, seed: 4 }));
  const r = await runCli(['train', 'iris', '--config', 'opts.json', '--epochs', '3', '--out', 'cfg', '-q'], dir);
  assert.equal(r.code, 0, show(r));
  const config = JSON.parse(readFileSync(join(dir, 'cfg', 'config.json'), 'utf8'));
  assert.equal(config.epochs, 3);
  assert.deepEqual(config.layers, [8]);
  assert.equal(config.batchSize, 16);
  assert.equal(config.optimizer, 'adam');
  assert.equal(config.momentum, null);
  assert.equal(readFileSync(join(dir, 'cfg', 'metrics.csv'), 'utf8').trim().split('\n').length, 4);

  const again = await runCli(['train', '--config', join('cfg', 'config.json'), '--out', 'cfg2', '-q'], dir);
  assert.equal(again.code, 0, show(again));
  assert.equal(readFileSync(join(dir, 'cfg2', 'metrics.csv'), 'utf8'), readFileSync(join(dir, 'cfg', 'metrics.csv'), 'utf8'));
});
