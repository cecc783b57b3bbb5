// Same seed, same settings ⇒ the same numbers in Node and in the playground, on each backend.
// Node trains through the playground's own protocol handler (web/protocol.ts, the code the
// training worker runs); Chromium trains in the built playground's worker, picked by the page's
// URL, and the model is exported as a checkpoint. Weights, optimizer state and the per-epoch
// history must agree bit for bit: js in Node with js in Chromium, wasm (one thread) in Node with
// wasm in Chromium (one thread per core there: the engine's products sum in a fixed order, so the
// thread count must not change a bit). The page reports which engine it ran on; the test checks
// it, so it cannot end up comparing js with js.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tensor, WasmBackend, decodeCheckpoint, getBackend, useBackend } from '../../src/index.js';
import { enableRelaxedSimd } from '../../node/relaxed-simd.js';
import { type TrainEvent, createHandler } from '../../web/protocol.js';
import { trainSettings } from '../../web/state.js';
import { stateFromQuery } from '../../web/url.js';
import { type Playground, startPlayground } from './browser.js';

/** The brief's case: two moons, a 2×8 tanh network, mini-batch SGD, a few epochs. */
const MOONS = 'view=train&dataset=moons&n=200&hidden=8%2C8&activation=tanh&optimizer=sgd&lr=0.1&batch=16&maxEpochs=6&pace=0&seed=3';
/**
 * Full-batch Adam on 600 training samples through 32-wide layers: its products are large enough
 * (≥ 2¹⁸ multiply-adds, more than one column panel) for the wasm engine to share them among threads.
 */
const SPIRALS = 'view=train&dataset=spirals&n=1000&hidden=32%2C32&activation=tanh&optimizer=adam&lr=0.01&fullBatch=1&maxEpochs=8&pace=0&seed=5';

/** What a run must reproduce exactly: tensors as Float32 bit patterns, the rest as numbers. */
type Fingerprint = Record<string, unknown>;

/** Wall-clock fields, which differ from run to run. */
const TIMES = new Set(['durationMs', 'samplesPerSec', 'elapsedMs']);

function canonical(value: unknown): unknown {
  if (value instanceof Tensor) return { shape: value.shape, bits: Array.from(new Uint32Array(Float32Array.from(value.data).buffer)) };
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!TIMES.has(k)) out[k] = canonical(v);
    return out;
  }
  return value;
}

function fingerprint(bytes: Uint8Array): Fingerprint {
  const c = decodeCheckpoint(bytes, 'run.safetensors');
  assert.ok(c.training, 'the checkpoint holds the training state (history)');
  return canonical({ weights: c.weights, optimizer: c.optimizer?.state, training: c.training }) as Fingerprint;
}

/** The wasm kernels' build Node trains with (the page must report the same one). */
let nodeBuild = '';

/** Trains `query`'s experiment in Node on `backend` through the worker's handler; its checkpoint. */
async function nodeRun(query: string, backend: 'js' | 'wasm'): Promise<Fingerprint> {
  // A backend of its own, started with the defaults the page uses (not one a test preload set up).
  assert.equal(await useBackend(backend, { name: backend === 'wasm' ? 'wasm-parity' : undefined }), backend);
  const active = getBackend();
  if (active instanceof WasmBackend) nodeBuild = active.build;
  try {
    const settings = trainSettings(stateFromQuery(query).state);
    const events: TrainEvent[] = [];
    let stopped!: () => void;
    const done = new Promise<void>((resolve) => (stopped = resolve));
    const handler = createHandler((e) => {
      events.push(e);
      if (e.type === 'stopped' || e.type === 'error') stopped();
    });
    await handler.handle({ type: 'configure', settings });
    await handler.handle({ type: 'start' });
    await done;
    await handler.handle({ type: 'export' });
    const errors = events.filter((e) => e.type === 'error');
    assert.deepEqual(errors, [], 'the Node run trains without errors');
    const checkpoint = events.find((e): e is Extract<TrainEvent, { type: 'checkpoint' }> => e.type === 'checkpoint');
    assert.ok(checkpoint, 'the handler exported a checkpoint');
    return fingerprint(checkpoint.bytes);
  } finally {
    await useBackend('js');
  }
}

interface BrowserRun {
  engine: string;
  threads: number;
  /** Products and optimizer steps the page's engine shared among threads (as of the stop). */
  sharedJobs: number;
  build: string;
  label: string;
  note: string;
  run: Fingerprint;
}

/** Opens the built playground at `url`, trains until it stops, exports the model. */
async function browserRun(url: string): Promise<BrowserRun> {
  const { page, errors } = await playground.open(url);
  // The engine starts before the first experiment is built; both can take a while on a busy machine.
  await page.waitForSelector('#engine:not([data-engine=""])', { timeout: 120000 });
  await page.waitForFunction(() => document.querySelector('#view-train')?.getAttribute('data-status') === 'idle', null, { timeout: 120000 });
  await page.click('#train-play');
  await page.waitForSelector('#train-stop-reason[data-rule]', { timeout: 240000 });
  assert.equal(await page.getAttribute('#train-stop-reason', 'data-rule'), 'maxEpochs');
  const download = page.waitForEvent('download', { timeout: 60000 });
  await page.click('#train-export');
  const bytes = new Uint8Array(readFileSync(await (await download).path()));
  const engine = (await page.getAttribute('#engine', 'data-engine')) ?? '';
  const threads = Number(await page.getAttribute('#engine', 'data-threads'));
  const sharedJobs = Number(await page.getAttribute('#engine', 'data-shared-jobs'));
  const build = (await page.getAttribute('#engine', 'data-build')) ?? '';
  const label = (await page.textContent('#engine')) ?? '';
  const note = (await page.getAttribute('#engine', 'title')) ?? '';
  assert.deepEqual(errors, []);
  await page.close();
  return { engine, threads, sharedJobs, build, label, note, run: fingerprint(bytes) };
}

/** How many of two runs' weight values differ (for the report: wasm and js need not agree). */
function differingWeights(a: Fingerprint, b: Fingerprint): number {
  const wa = a.weights as Record<string, { bits: number[] }>;
  const wb = b.weights as Record<string, { bits: number[] }>;
  let n = 0;
  for (const key of Object.keys(wa)) wa[key].bits.forEach((bits, i) => (n += bits === wb[key].bits[i] ? 0 : 1));
  return n;
}

let playground: Playground;
const node: Record<string, Fingerprint> = {};

before(async () => {
  // Chromium runs relaxed SIMD unasked; Node 20 needs it switched on, so both take the fused build.
  enableRelaxedSimd();
  playground = await startPlayground();
  for (const [name, query] of [['moons', MOONS], ['spirals', SPIRALS]] as const) {
    node[`${name}/js`] = await nodeRun(query, 'js');
    node[`${name}/wasm`] = await nodeRun(query, 'wasm');
  }
  assert.equal(getBackend().name, 'js', 'the test process is back on js');
});

after(async () => {
  await playground?.close();
});

test('Node: the wasm and js runs are different computations (so the comparisons below mean something)', () => {
  const moons = differingWeights(node['moons/js'], node['moons/wasm']);
  const spirals = differingWeights(node['spirals/js'], node['spirals/wasm']);
  console.log(`weights that differ between js and wasm in Node: moons ${moons}, spirals ${spirals}`);
  // Equal would be allowed in principle, but then the engine check below is all that tells them apart.
  assert.ok(Array.isArray((node['moons/js'].training as { history: unknown[] }).history));
  assert.equal((node['moons/js'].training as { history: unknown[] }).history.length, 6);
  assert.equal((node['spirals/wasm'].training as { history: unknown[] }).history.length, 8);
});

for (const [name, query] of [['moons', MOONS], ['spirals', SPIRALS]] as const) {
  test(`${name}: the js engine in Chromium computes exactly what js computes in Node`, async () => {
    const r = await browserRun(`${playground.base}?${query}&engine=js`);
    assert.equal(r.engine, 'js', `the page ran on ${r.label}`);
    assert.equal(r.label, 'engine: js');
    assert.deepStrictEqual(r.run, node[`${name}/js`]);
  });

  test(`${name}: the wasm engine in Chromium computes exactly what wasm (one thread) computes in Node`, async () => {
    const r = await browserRun(`${playground.base}?${query}`);
    assert.equal(r.engine, 'wasm', `the isolated page should run on wasm, but ran on ${r.label} (${r.note})`);
    assert.match(r.label, /^engine: wasm \(\d+ threads?(, FMA)?\)$/);
    assert.equal(r.build, nodeBuild, `the page ran the ${r.build} kernels, Node the ${nodeBuild} ones`);
    console.log(`${name}: Chromium ran on ${r.label}${r.note && !r.note.startsWith('WebAssembly') ? ` (${r.note})` : ''}, ${r.sharedJobs} jobs shared among threads; Node on wasm (${nodeBuild}) with 1 thread`);
    // Spirals' products are large enough to share: with threads there, the bits below come from shared products.
    if (name === 'spirals' && r.threads > 1) assert.ok(r.sharedJobs > 0, `no product was shared among the page's ${r.threads} threads`);
    assert.deepStrictEqual(r.run, node[`${name}/wasm`]);
  });
}

test('without the isolation headers the page falls back to the js engine, with the same numbers', async () => {
  const r = await browserRun(`${playground.plainBase}?${MOONS}`);
  assert.equal(r.engine, 'js', `the plain page ran on ${r.label}`);
  assert.match(r.note, /SharedArrayBuffer/);
  assert.deepStrictEqual(r.run, node['moons/js']);
});
