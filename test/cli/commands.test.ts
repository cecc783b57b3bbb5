// The datasets listing, help with examples, the version, and the loss chart's axis.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { renderLossChart, useLogScale } from '../../cli/loss-chart.js';
import type { EpochRecord } from '../../src/index.js';
import { runCli, show, tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('commands');
after(cleanup);

test('datasets lists every bundled set with a description', async () => {
  const r = await runCli(['datasets'], dir);
  assert.equal(r.code, 0, show(r));
  for (const name of ['mnist', 'iris', 'linear', 'xor', 'moons', 'circles', 'spirals', 'blobs']) {
    assert.match(r.stdout, new RegExp(`^${name} +(classification|regression) +\\S`, 'm'));
  }
});

test('train --help documents the options with examples', async () => {
  const r = await runCli(['train', '--help'], dir);
  assert.equal(r.code, 0, show(r));
  for (const flag of ['--target', '--layers', '--optimizer', '--batch-size', '--schedule', '--patience', '--resume', '--config', 'Examples:', 'downhill train iris']) {
    assert.ok(r.stdout.includes(flag), flag);
  }
});

test('the loss chart is an SVG with a log axis when the losses span more than two decades', async () => {
  const record = (epoch: number, loss: number, valLoss: number): EpochRecord => ({ epoch, loss, valLoss, penalty: 0, metrics: {}, lr: 0.1, step: epoch, durationMs: 1, samplesPerSec: 1 });
  const steep = Array.from({ length: 8 }, (_, i) => record(i + 1, 10 ** -i, 2 * 10 ** -i));
  assert.equal(useLogScale(steep.map((r) => r.loss)), true);
  assert.equal(useLogScale([1, 0.5, 0.2]), false);
  const svg = await renderLossChart(steep, 'steep');
  assert.ok(svg?.startsWith('<svg'), 'echarts (a dev dependency) draws the chart');
  assert.match(svg!, /loss \(log scale\)/);
  assert.match(svg!, /validation loss/);
  // Tick labels as people write them (ECharts computes 10^-4 as 0.00009999999999999999).
  const ticks = [...svg!.matchAll(/>([^<>]*\d[^<>]*)<\/text>/g)].map((m) => m[1]);
  for (const t of ['0.0001', '0.001', '0.01', '0.1', '1']) assert.ok(ticks.includes(t), `tick ${t} in ${ticks.join(' ')}`);
  assert.ok(ticks.every((t) => !/\d{8,}/.test(t)), ticks.join(' '));
});
