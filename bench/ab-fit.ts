// fit() samples/s on the benchmark task (MNIST MLP 784-128-64-10, batch 64, SGD lr 0.1), this
// checkout against another checkout of the project (a worktree of an earlier commit), both loaded
// in this one process and run in alternating rounds, so a busy machine slows them alike. Also, in
// the same process, the short-run figure: a fresh model's 3-epoch fit after one warm-up epoch on
// 1 thread and on 2 (switched on the same backend, in alternating rounds).
//
//   node --import tsx bench/ab-fit.ts --base=PATH   A/B against the checkout at PATH, then 1 vs 2 threads
//   node --import tsx bench/ab-fit.ts               only 1 vs 2 threads
//   options: --rounds=N (default 6), --threads=N (A/B thread count, default 2)
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { loadMnist } from './task.js';

type Lib = typeof import('../src/index.js');
interface Side { name: string; lib: Lib; backend: { threads: number } }

const args = process.argv.slice(2);
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const rounds = Number(option('rounds') ?? 6);
const threads = Number(option('threads') ?? 2);
const basePath = option('base');

async function load(name: string, root: string): Promise<Side> {
  const url = (p: string): string => pathToFileURL(resolve(root, p)).href;
  const lib = (await import(url('src/index.ts'))) as Lib;
  const wasmIndex = (await import(url('src/backend/wasm/index.ts'))) as typeof import('../src/backend/wasm/index.js');
  const workers = (await import(url('node/workers.ts'))) as typeof import('../node/workers.js');
  const simd = (await import(url('node/relaxed-simd.ts'))) as typeof import('../node/relaxed-simd.js');
  const backend = await wasmIndex.initWasmBackend({ threads: 2, fma: simd.enableRelaxedSimd(), createWorker: workers.nodeWorkerFactory() });
  if (!backend) throw new Error(`${name}: the wasm backend is unavailable`);
  lib.setBackend('wasm');
  return { name, lib, backend };
}

const { train } = loadMnist();
/** Samples/s of `epochs` epochs of fit() on a fresh model (seeded: the same weights and batches every time), after `warmup` epochs of the same model. */
async function fitRate(side: Side, epochs: number, warmup = 0): Promise<number> {
  const { lib } = side;
  lib.setBackend('wasm');
  const dataset = new lib.data.Dataset(train.x, train.labels, { featureShape: [784] });
  const model = lib.nn.mlp([784, 128, 64, 10], { rng: new lib.RNG(1) });
  const optimizer = new lib.optim.SGD(model.namedParameters(), { lr: 0.1 });
  const options = { loss: 'crossEntropy', optimizer, batchSize: 64, seed: 1, dropLast: true } as const;
  if (warmup > 0) await lib.fit(model, dataset, { ...options, epochs: warmup });
  const t0 = performance.now();
  await lib.fit(model, dataset, { ...options, epochs });
  return (epochs * Math.floor(train.n / 64) * 64) / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const show = (label: string, xs: number[]): string => `${label.padEnd(28)} median ${median(xs).toFixed(0).padStart(7)} samples/s   rounds ${xs.map((x) => (x / 1000).toFixed(1)).join(' ')}k`;

const here = await load('this checkout', '.');
if (basePath) {
  const base = await load('base', basePath);
  for (const s of [here, base]) s.backend.threads = threads;
  const times: Record<string, number[]> = { [here.name]: [], [base.name]: [] };
  const ratios: number[] = [];
  for (let r = 0; r <= rounds; r++) {
    const order = r % 2 === 0 ? [here, base] : [base, here];
    const got: Record<string, number> = {};
    for (const s of order) got[s.name] = await fitRate(s, 2);
    if (r === 0) continue; // warm-up round
    for (const s of order) times[s.name].push(got[s.name]);
    ratios.push(got[here.name] / got[base.name]);
  }
  console.log(`ab-fit: fit() 2 epochs a run, ${threads} thread(s), ${rounds} rounds after one warm-up round, alternating order`);
  for (const s of [here, base]) console.log(show(s.name, times[s.name]));
  console.log(`ratio this/base: median ${median(ratios).toFixed(3)}   rounds ${ratios.map((x) => x.toFixed(3)).join(' ')}`);
}

const short: Record<number, number[]> = { 1: [], 2: [] };
for (let r = 0; r < rounds; r++) {
  for (const t of r % 2 === 0 ? [1, 2] : [2, 1]) {
    here.backend.threads = t;
    short[t].push(await fitRate(here, 3, 1));
  }
}
console.log(`short runs: a fresh model, 1 warm-up epoch, then 3 epochs timed; ${rounds} rounds, alternating order`);
console.log(show('1 thread', short[1]));
console.log(show('2 threads', short[2]));
console.log(`2 threads / 1 thread: ${(median(short[2]) / median(short[1])).toFixed(3)}`);
