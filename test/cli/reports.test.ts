// Honest reports on an imbalanced three-class target (80% / 15% / 5%): per-class precision,
// recall, F1 and support, macro and weighted averages, the confusion matrix and the majority
// baseline — in the closing lines, summary.json, eval and eval --json, and confusion.svg — and
// --class-weight balanced, whose weights follow scikit-learn's n / (k · n_c) on the training split.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { tickLabel } from '../../cli/loss-chart.js';
import { RNG } from '../../src/index.js';
import { runCli, show, tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('reports');
after(cleanup);

/** Three Gaussian blobs in 2-D with 80% / 15% / 5% of the rows. */
function imbalancedCsv(n: number, rng: RNG): string {
  const centres: Record<string, [number, number]> = { common: [0, 0], rare: [2.2, 2.2], scarce: [-2.2, 2.2] };
  const lines = ['x1,x2,kind'];
  for (let i = 0; i < n; i++) {
    const u = rng.uniform();
    const kind = u < 0.8 ? 'common' : u < 0.95 ? 'rare' : 'scarce';
    const [cx, cy] = centres[kind];
    lines.push(`${(cx + 0.8 * rng.normal()).toFixed(3)},${(cy + 0.8 * rng.normal()).toFixed(3)},${kind}`);
  }
  return `${lines.join('\n')}\n`;
}

interface ClassRow { name: string; precision: number; recall: number; f1: number; support: number }
interface TestReport {
  accuracy: number; macro_f1: number; weighted_f1: number; loss: number; samples: number;
  baseline: { predicts: string; from: string; metrics: { accuracy: number; macro_f1: number } };
  classes: ClassRow[]; averages: { macro: { f1: number }; weighted: { f1: number } }; confusionMatrix: number[][];
}

before(async () => {
  writeFileSync(join(dir, 'kinds.csv'), imbalancedCsv(600, new RNG(21)));
});

test('the closing lines, summary.json, eval and eval --json carry the same per-class report, matrix and baseline', async () => {
  const r = await runCli(['train', 'kinds.csv', '--epochs', '30', '--out', 'plain', '--seed', '3', '-q'], dir);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stderr, /^downhill: warning: the target is imbalanced: class 'scarce' has \d+ of 600 rows \(\d\.\d%\); --class-weight balanced weighs the classes equally in the loss$/m);
  const summary = JSON.parse(readFileSync(join(dir, 'plain', 'summary.json'), 'utf8'));
  const t = summary.test as TestReport;
  assert.equal(t.samples, 120);
  assert.deepEqual(t.classes.map((c) => c.name), ['common', 'rare', 'scarce']);
  // The matrix agrees with the supports and the accuracy; the supports add up to the test split.
  assert.deepEqual(t.confusionMatrix.map((row) => row.reduce((a, b) => a + b, 0)), t.classes.map((c) => c.support));
  assert.equal(t.classes.reduce((s, c) => s + c.support, 0), 120);
  assert.equal(t.accuracy, t.confusionMatrix.reduce((s, row, i) => s + row[i], 0) / 120);
  t.classes.forEach((c, i) => {
    const predicted = t.confusionMatrix.reduce((s, row) => s + row[i], 0);
    assert.equal(c.recall, t.confusionMatrix[i][i] / c.support, `recall of ${c.name}`);
    assert.equal(c.precision, predicted > 0 ? t.confusionMatrix[i][i] / predicted : 0, `precision of ${c.name}`);
  });
  assert.ok(Math.abs(t.macro_f1 - t.classes.reduce((s, c) => s + c.f1, 0) / 3) < 1e-12);
  // The majority baseline: always 'common', the training split's most frequent class.
  assert.equal(t.baseline.predicts, "always 'common'");
  assert.equal(t.baseline.from, 'training split');
  assert.equal(t.baseline.metrics.accuracy, t.classes[0].support / 120);
  assert.ok(t.accuracy > t.baseline.metrics.accuracy + 0.1, `accuracy ${t.accuracy} vs baseline ${t.baseline.metrics.accuracy}`);
  assert.ok(t.macro_f1 > t.baseline.metrics.macro_f1 + 0.4, `macro F1 ${t.macro_f1} vs baseline ${t.baseline.metrics.macro_f1}`);

  const fmt = (v: number): string => v.toFixed(4);
  assert.match(r.stdout, new RegExp(`^test \\(120 samples\\): accuracy ${fmt(t.accuracy)} {2}macro_f1 ${fmt(t.macro_f1)} {2}weighted_f1 ${fmt(t.weighted_f1)} {2}loss `, 'm'));
  assert.match(r.stdout, new RegExp(`^ {2}baseline \\(always 'common', the training split's most frequent class\\): accuracy ${fmt(t.baseline.metrics.accuracy)} {2}macro_f1 `, 'm'));
  const scarce = t.classes[2];
  assert.match(r.stdout, new RegExp(`^ {2}scarce +${fmt(scarce.precision)} +${fmt(scarce.recall)} +${fmt(scarce.f1)} +${scarce.support}$`, 'm'));
  assert.match(r.stdout, /^ {2}macro avg +\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +120$/m);
  assert.match(r.stdout, /^ {2}confusion matrix \(rows: true class, columns: predicted class\):\n {4} +common +rare +scarce\n {4}common +\d+ +\d+ +\d+$/m);

  const ev = await runCli(['eval', 'plain'], dir);
  assert.equal(ev.code, 0, show(ev));
  assert.ok(ev.stdout.startsWith(`held-out test split of kinds.csv (120 samples): accuracy ${fmt(t.accuracy)}  macro_f1 ${fmt(t.macro_f1)}`), ev.stdout);
  const json = await runCli(['eval', 'plain', '--json'], dir);
  assert.equal(json.code, 0, show(json));
  const e = JSON.parse(json.stdout);
  assert.equal(e.data, 'held-out test split of kinds.csv');
  assert.deepEqual(e.metrics, { accuracy: t.accuracy, macro_f1: t.macro_f1, weighted_f1: t.weighted_f1, loss: t.loss });
  assert.deepEqual(e.classes, t.classes);
  assert.deepEqual(e.confusionMatrix, t.confusionMatrix);
  assert.deepEqual(e.baseline, t.baseline);

  const svg = readFileSync(join(dir, 'plain', 'confusion.svg'), 'utf8');
  assert.ok(svg.startsWith('<svg'));
  for (const row of t.confusionMatrix) for (const v of row) assert.ok(svg.includes(`>${v}</text>`), `count ${v} in the chart`);
  for (const name of ['common', 'rare', 'scarce', 'predicted class', 'true class']) assert.ok(svg.includes(`>${name}</text>`), name);
});

test('--class-weight balanced: weights n / (k · n_c) of the training split in the loss; the scarce class is found', async () => {
  const r = await runCli(['train', 'kinds.csv', '--epochs', '30', '--out', 'balanced', '--seed', '3', '--class-weight', 'balanced', '-q'], dir);
  assert.equal(r.code, 0, show(r));
  assert.doesNotMatch(r.stderr, /imbalanced/, 'no advice to do what was done');
  const summary = JSON.parse(readFileSync(join(dir, 'balanced', 'summary.json'), 'utf8'));
  const weights = summary.classWeights as number[];
  const text = readFileSync(join(dir, 'kinds.csv'), 'utf8');
  assert.equal(JSON.parse(readFileSync(join(dir, 'balanced', 'config.json'), 'utf8')).classWeight, 'balanced');
  // Balanced weights make every class weigh the same in total: w_c · n_c = n / k for each class.
  const n = summary.samples.train;
  assert.equal(weights.length, 3);
  assert.ok(weights[2] > weights[1] && weights[1] > weights[0], `${weights}`);
  const counts = weights.map((w) => n / (3 * w));
  assert.ok(counts.every((c) => Math.abs(c - Math.round(c)) < 1e-9), `counts ${counts}`);
  assert.equal(counts.reduce((a, b) => a + b, 0), n);
  assert.ok(text.split('\n').filter((l) => l.endsWith(',scarce')).length > Math.round(counts[2]), 'the counts are the training split’s, not the file’s');
  const t = summary.test as TestReport;
  assert.ok(t.classes[2].recall >= 0.6, `recall of the scarce class ${t.classes[2].recall}`);
  assert.ok(t.macro_f1 > t.baseline.metrics.macro_f1 + 0.4);

  const bad = await runCli(['train', 'kinds.csv', '--class-weight', '1,2'], dir);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'downhill: error: --class-weight lists 2 weights but the target has 3 classes (common, rare, scarce, in that order)\n');
  const unknown = await runCli(['train', 'kinds.csv', '--class-weight', 'rare=3,other=2'], dir);
  assert.equal(unknown.stderr, "downhill: error: --class-weight names the class 'other', which the target does not have (classes: common, rare, scarce)\n");
});

test('log-axis ticks read as people write them', () => {
  assert.equal(tickLabel(0.00009999999999999999), '0.0001');
  assert.equal(tickLabel(0.30000000000000004), '0.3');
  assert.equal(tickLabel(1e-7), '1e-7');
  assert.equal(tickLabel(1000), '1000');
});
