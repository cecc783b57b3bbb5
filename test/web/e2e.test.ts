// End-to-end: the built playground in real headless Chromium. Builds web/ with Vite into a
// temporary folder, serves it on 127.0.0.1 (a random free port) with the cross-origin isolation
// headers, and drives it with playwright-core (helpers in browser.ts). Screenshots and the measured
// frame rate go to test/web/artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { data, decodeCheckpoint } from '../../src/index.js';
import { runCli } from '../cli/helpers.js';
import { type Playground, artifacts, startPlayground } from './browser.js';

let playground: Playground;
const report: Record<string, unknown> = {};

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  playground = await startPlayground();
});

after(async () => {
  await playground?.close();
  writeFileSync(join(artifacts, 'report.json'), JSON.stringify(report, null, 2));
});

/** A fresh page of the isolated playground at `query`, failing the test on any page error or console error. */
const open = (query: string): Promise<{ page: Page; errors: string[] }> => playground.open(playground.base + query);

const rowAttr = (page: Page, kind: string, attr: string) => page.getAttribute(`#descent-row-${kind}`, attr);

test('the descent view loads on the ravine with GD, momentum and Adam racing', async () => {
  const { page, errors } = await open('');
  await page.waitForSelector('#descent-row-adam');
  assert.equal(await page.getAttribute('#tab-descent', 'aria-selected'), 'true');
  assert.deepEqual(await page.$$eval('#descent-legend tbody tr', (rows) => rows.map((r) => r.getAttribute('data-kind'))), ['gd', 'momentum', 'adam']);
  await page.waitForFunction(() => Number(document.querySelector('#descent-row-gd')?.getAttribute('data-steps')) >= 120, null, { timeout: 20000 });
  await page.locator('#descent-canvas').hover({ position: { x: 380, y: 150 } });
  await page.screenshot({ path: join(artifacts, 'descent-ravine.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('descent: GD on the bowl reaches the minimum', async () => {
  const { page, errors } = await open('?surface=bowl&dLr=0.1&dStartW=-2.4&dStartB=1.8&dMom=0&dAdam=0&dSpeed=600');
  await page.waitForSelector('#descent-row-gd[data-status="converged"]', { timeout: 20000 });
  const distance = Number(await rowAttr(page, 'gd', 'data-distance'));
  assert.ok(distance < 1e-5, `GD ended ${distance} from the minimum`);
  assert.match((await page.textContent('#descent-row-gd .status'))!, /converged after \d+ steps/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('descent: a too-large learning rate is flagged as diverging', async () => {
  const { page, errors } = await open('?surface=bowl&dStartW=-2.4&dStartB=1.8&dMom=0&dAdam=0&dSpeed=10');
  // Drag the learning rate up with the keyboard-usable number field: 0.1 → 2.5.
  await page.fill('#ctl-dLr', '2.5');
  await page.press('#ctl-dLr', 'Enter');
  await page.waitForSelector('#descent-row-gd[data-status="diverged"]', { timeout: 20000 });
  assert.match((await page.textContent('#descent-row-gd .status'))!, /diverged at step \d+/);
  assert.match((await page.textContent('#descent-hint'))!, /above 2\/λmax/);
  assert.match(page.url(), /dLr=2\.5/);
  await page.screenshot({ path: join(artifacts, 'descent-diverged.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('descent: mini-batch SGD on the linear-regression surface', async () => {
  const { page, errors } = await open('?surface=linreg&dLr=0.3&dAdamLr=0.2&dStartW=-1.5&dStartB=2.5&dSGD=1&dBatch=2&dMom=0&dAdam=1&dSpeed=120&dSteps=200');
  await page.waitForFunction(() => Number(document.querySelector('#descent-row-sgd')?.getAttribute('data-steps')) >= 200, null, { timeout: 20000 });
  assert.match((await page.textContent('#descent-row-sgd .steps'))!, /epoch 10/);
  await page.screenshot({ path: join(artifacts, 'descent-linreg-sgd.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('reloading the URL reproduces the same state', async () => {
  const { page, errors } = await open('');
  await page.selectOption('#ctl-surface', 'rosenbrock');
  await page.check('#ctl-dNest');
  await page.fill('#ctl-dMomentum', '0.8');
  await page.press('#ctl-dMomentum', 'Enter');
  await page.click('#tab-train');
  await page.selectOption('#ctl-dataset', 'spirals');
  await page.fill('#ctl-hidden', '16, 16');
  await page.press('#ctl-hidden', 'Enter');
  await page.selectOption('#ctl-optimizer', 'nesterov');
  const url = page.url();
  for (const part of ['surface=rosenbrock', 'dNest=1', 'dMomentum=0.8', 'view=train', 'dataset=spirals', 'hidden=16%2C16', 'optimizer=nesterov']) assert.ok(url.includes(part), `${part} in ${url}`);
  const read = () => page.evaluate(() => {
    const v = (id: string) => {
      const e = document.getElementById(id) as HTMLInputElement | HTMLSelectElement;
      return e instanceof HTMLInputElement && e.type === 'checkbox' ? String(e.checked) : e.value;
    };
    return { surface: v('ctl-surface'), dLr: v('ctl-dLr'), nest: v('ctl-dNest'), mom: v('ctl-dMomentum'), dataset: v('ctl-dataset'), hidden: v('ctl-hidden'), optimizer: v('ctl-optimizer'), tab: document.getElementById('tab-train')!.getAttribute('aria-selected') };
  });
  const before = await read();
  assert.deepEqual(before, { surface: 'rosenbrock', dLr: '0.0015', nest: 'true', mom: '0.8', dataset: 'spirals', hidden: '16, 16', optimizer: 'nesterov', tab: 'true' });
  await page.reload();
  await page.waitForSelector('#ctl-optimizer');
  assert.deepEqual(await read(), before);
  assert.equal(page.url(), url);
  assert.deepEqual(errors, []);
  await page.close();
});

/**
 * Waits until training has stopped and its last epoch is on screen: the stop reason shows as its
 * event arrives, the scores on the next animation frame (read them earlier and they may be the
 * previous epoch's).
 */
async function waitForStop(page: Page): Promise<void> {
  await page.waitForSelector('#train-stop-reason[data-rule]', { timeout: 60000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

test('train view: two moons trains in the worker and the test accuracy rises; export a checkpoint', async () => {
  const { page, errors } = await open('?view=train&maxEpochs=80&pace=10');
  await page.waitForSelector('#train-test-score');
  const initial = Number(await page.getAttribute('#train-test-score', 'data-value'));
  await page.click('#train-step-batch');
  await page.waitForFunction(() => document.querySelector('#view-train')?.getAttribute('data-status') === 'paused');
  // The counters follow on the next animation frame; a paused view shows them without the throttle.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  assert.equal(await page.textContent('#train-step'), '1');
  await page.click('#train-play');
  await waitForStop(page);
  assert.match((await page.textContent('#train-stop-reason'))!, /reached the maximum of 80 epochs/);
  const final = Number(await page.getAttribute('#train-test-score', 'data-value'));
  report.trainMoonsTestAccuracy = { initial, final };
  assert.ok(final >= 0.85, `test accuracy ${final}`);
  assert.ok(final > initial, `test accuracy rose from ${initial} to ${final}`);
  assert.equal(await page.$$eval('#train-confusion td', (cells) => cells.length), 4);
  await page.screenshot({ path: join(artifacts, 'train-moons.png'), fullPage: true });

  const download = page.waitForEvent('download');
  await page.click('#train-export');
  const file = await download;
  const path = join(artifacts, 'moons.safetensors');
  await file.saveAs(path);
  const ckpt = decodeCheckpoint(new Uint8Array(readFileSync(path)), 'moons.safetensors');
  assert.deepEqual((ckpt.preprocessing as { classNames: string[] }).classNames, ['0', '1']);
  assert.equal((ckpt.modelSpec as { type: string }).type, 'Sequential');
  assert.match((ckpt.info as { playground: string }).playground, /view=train/);

  // The CLI reads the export: `eval` on the page's moons (default n 300, noise 0.2, seed 1) as a
  // CSV, `predict` on the same rows without their labels.
  const moons = data.twoMoons({ n: 300, noise: 0.2, seed: 1 });
  const rows = Array.from({ length: moons.length }, (_, i) => [moons.x.data[2 * i], moons.x.data[2 * i + 1]]);
  const labels = Array.from(moons.y.data, (v) => moons.classNames[v]);
  writeFileSync(join(artifacts, 'moons.csv'), ['x1,x2,label', ...rows.map(([a, b], i) => `${a},${b},${labels[i]}`)].join('\n'));
  writeFileSync(join(artifacts, 'moons-inputs.csv'), ['x1,x2', ...rows.map(([a, b]) => `${a},${b}`)].join('\n'));
  const evaluated = await runCli(['eval', path, 'moons.csv', '--json', '--backend', 'js'], artifacts);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const cliAccuracy = (JSON.parse(evaluated.stdout) as { metrics: { accuracy: number } }).metrics.accuracy;
  assert.ok(cliAccuracy >= 0.85, `downhill eval accuracy ${cliAccuracy}`);
  const predicted = await runCli(['predict', path, 'moons-inputs.csv', '--backend', 'js'], artifacts);
  assert.equal(predicted.code, 0, predicted.stderr);
  const lines = predicted.stdout.trim().split('\n');
  assert.deepEqual(lines[0].split(','), ['x1', 'x2', 'prediction', 'probability_0', 'probability_1']);
  const right = lines.slice(1).filter((line, i) => line.split(',')[2] === labels[i]).length;
  assert.equal(lines.length - 1, moons.length);
  assert.equal(right / moons.length, cliAccuracy, 'predict agrees with eval');

  // Back to the initial weights, then import the checkpoint: the trained scores return.
  await page.click('#train-reset');
  await page.waitForFunction((v) => document.querySelector('#train-test-score')?.getAttribute('data-value') !== String(v), final);
  await page.setInputFiles('#train-import', path);
  await page.waitForFunction((v) => document.querySelector('#train-test-score')?.getAttribute('data-value') === String(v), final, { timeout: 20000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('train view: your own CSV, by file input and by drag and drop', async () => {
  const { page, errors } = await open('?view=train&pace=0&maxEpochs=40');
  await page.waitForSelector('#train-test-score');
  // Two classes separated by a + c > 0; b is noise.
  const rows = ['a,b,c,label'];
  for (let i = 0; i < 200; i++) {
    const a = Math.sin(i * 1.7) * 2, b = Math.cos(i * 0.3), c = Math.sin(i * 0.37 + 1) * 2;
    rows.push(`${a.toFixed(3)},${b.toFixed(3)},${c.toFixed(3)},${a + c > 0 ? 'yes' : 'no'}`);
  }
  await page.setInputFiles('#train-csv', { name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.waitForFunction(() => (document.getElementById('ctl-csvTarget') as HTMLSelectElement | null)?.value === 'label');
  assert.equal(await page.inputValue('#ctl-dataset'), 'csv');
  await page.selectOption('#ctl-csvY', 'c');
  await page.waitForFunction(() => document.querySelector('#train-confusion th:nth-child(2)')?.textContent === 'no');
  assert.match(page.url(), /dataset=csv/);
  assert.match(page.url(), /csvTarget=label/);
  await page.click('#train-play');
  await waitForStop(page);
  const accuracy = Number(await page.getAttribute('#train-test-score', 'data-value'));
  assert.ok(accuracy >= 0.85, `CSV test accuracy ${accuracy}`);
  await page.screenshot({ path: join(artifacts, 'train-csv-classes.png'), fullPage: true });

  // A regression CSV dropped on the view: y = sin(x) + a little noise.
  const sine = ['x,y'];
  for (let i = 0; i < 150; i++) {
    const x = -3 + (6 * i) / 149;
    sine.push(`${x.toFixed(4)},${(Math.sin(x) + 0.1 * Math.sin(i * 12.9898)).toFixed(4)}`);
  }
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'sine.csv', { type: 'text/csv' }));
    document.getElementById('view-train')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, sine.join('\n'));
  await page.waitForFunction(() => (document.getElementById('ctl-csvTarget') as HTMLSelectElement | null)?.value === 'y');
  await page.waitForFunction(() => /R²/.test(document.getElementById('train-scores')?.textContent ?? ''));
  await page.fill('#ctl-maxEpochs', '150');
  await page.press('#ctl-maxEpochs', 'Enter');
  await page.waitForFunction(() => document.querySelector('#view-train')?.getAttribute('data-status') === 'idle');
  await page.click('#train-play');
  await waitForStop(page);
  const r2 = Number(await page.getAttribute('#train-test-score', 'data-value'));
  assert.ok(r2 > 0.8, `test R² ${r2}`);
  await page.screenshot({ path: join(artifacts, 'train-csv-regression.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});

test('train view: redraws stay smooth while a 2×8 network trains on 1,000 points (frame rate reported)', async () => {
  const { page, errors } = await open('?view=train&dataset=spirals&n=1000&hidden=8,8&maxEpochs=100000&pace=0&batch=16');
  await page.waitForSelector('#train-test-score');
  await page.click('#train-play');
  await page.waitForFunction(() => Number(document.querySelector('#train-epoch')?.textContent) >= 2, null, { timeout: 30000 });
  const epochBefore = Number(await page.textContent('#train-epoch'));
  // Pointer input during the measurement: moves over the plot, each handled on the main thread.
  const measure = page.evaluate(() => new Promise<{ fps: number; frames: number; worstFrameMs: number; inputDelayMs: number[] }>((resolve) => {
    const delays: number[] = [];
    const canvas = document.getElementById('train-canvas')!;
    canvas.addEventListener('pointermove', (e) => delays.push(performance.now() - e.timeStamp));
    let frames = 0;
    let worst = 0;
    const start = performance.now();
    let last = start;
    const tick = (now: number) => {
      frames++;
      worst = Math.max(worst, now - last);
      last = now;
      if (now - start < 2000) requestAnimationFrame(tick);
      else resolve({ fps: (frames * 1000) / (now - start), frames, worstFrameMs: worst, inputDelayMs: delays });
    };
    requestAnimationFrame(tick);
  }));
  const box = (await page.locator('#train-canvas').boundingBox())!;
  for (let i = 0; i < 40; i++) {
    await page.mouse.move(box.x + 50 + (i * 9) % 380, box.y + 60 + (i * 7) % 380);
    await page.waitForTimeout(40);
  }
  const m = await measure;
  const epochAfter = Number(await page.textContent('#train-epoch'));
  const delays = m.inputDelayMs.sort((a, b) => a - b);
  report.frameRateWhileTraining = {
    fps: Number(m.fps.toFixed(1)), frames: m.frames, worstFrameMs: Number(m.worstFrameMs.toFixed(1)),
    pointerEvents: delays.length, medianInputDelayMs: Number((delays[Math.floor(delays.length / 2)] ?? NaN).toFixed(1)), maxInputDelayMs: Number((delays[delays.length - 1] ?? NaN).toFixed(1)),
    epochsDuringMeasurement: epochAfter - epochBefore,
  };
  console.log('frame rate while training:', report.frameRateWhileTraining);
  assert.ok(epochAfter > epochBefore, 'training ran during the measurement');
  assert.ok(m.fps >= 30, `frame rate ${m.fps.toFixed(1)} fps while training (should be ≥ 30)`);
  await page.screenshot({ path: join(artifacts, 'train-spirals-running.png'), fullPage: true });
  await page.click('#train-play');
  assert.deepEqual(errors, []);
  await page.close();
});
