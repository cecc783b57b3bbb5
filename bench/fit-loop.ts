// Samples/s of the library's own training paths on the benchmark task (MNIST MLP 784-128-64-10,
// batch 64, SGD lr 0.1), where bench/run.ts times a hand-written loop over raw tensors: `fit()`
// without and with a metric, and a `for … of DataLoader` loop over `nn.mlp` in tidy(). The three
// run in turn, round after round, in one process (the first round is not counted), so a busy
// shared machine slows them alike; each prints its rounds and their median.
//
//   node --import tsx bench/fit-loop.ts                 all cores
//   node --import tsx bench/fit-loop.ts --threads=1
//   options: --rounds=N (default 6)
import { RNG, crossEntropyLoss, data, fit, nn, optim, setBackend, tidy } from '../src/index.js';
import { initWasmBackend } from '../src/backend/wasm/index.js';
import { coreCount, nodeWorkerFactory } from '../node/workers.js';
import { enableRelaxedSimd } from '../node/relaxed-simd.js';
import { loadMnist } from './task.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const threads = Number(option('threads') ?? coreCount());
const rounds = Number(option('rounds') ?? 6);

const fma = enableRelaxedSimd();
const wasm = await initWasmBackend({ threads, fma, createWorker: threads > 1 ? nodeWorkerFactory() : undefined });
if (!wasm) throw new Error('the wasm backend is unavailable here');
setBackend('wasm');

const { train } = loadMnist();
const dataset = new data.Dataset(train.x, train.labels, { featureShape: [784] });
const model = nn.mlp([784, 128, 64, 10], { rng: new RNG(1) });
const optimizer = new optim.SGD(model.namedParameters(), { lr: 0.1 });
const loader = new data.DataLoader(dataset, { batchSize: 64, seed: 1, dropLast: true });
const epochs = 2;
const samples = epochs * loader.numBatches * 64;

const loops: Record<string, () => Promise<void>> = {
  'fit': async () => void await fit(model, dataset, { loss: 'crossEntropy', optimizer, batchSize: 64, epochs, seed: 1, dropLast: true }),
  'fit + accuracy': async () => void await fit(model, dataset, { loss: 'crossEntropy', optimizer, batchSize: 64, epochs, seed: 1, dropLast: true, metrics: ['accuracy'] }),
  'DataLoader loop': async () => {
    for (let e = 0; e < epochs; e++) {
      for (const batch of loader) {
        tidy(() => {
          const loss = crossEntropyLoss(model.forward(batch.x), batch.y);
          loss.item();
          loss.backward();
          optimizer.step();
          optimizer.zeroGrad();
        });
      }
    }
  },
};

const results = new Map<string, number[]>();
for (let round = 0; round <= rounds; round++) {
  for (const [name, run] of Object.entries(loops)) {
    const t0 = performance.now();
    await run();
    if (round > 0) results.set(name, [...(results.get(name) ?? []), samples / ((performance.now() - t0) / 1000)]);
  }
}
console.log(`fit-loop: ${threads} thread(s), ${epochs} epochs of ${loader.numBatches} batches of 64 per run, ${rounds} rounds`);
for (const [name, sps] of results) {
  const median = [...sps].sort((a, b) => a - b)[sps.length >> 1];
  console.log(`  ${name.padEnd(16)} median ${median.toFixed(0).padStart(6)} samples/s  (rounds ${sps.map((v) => v.toFixed(0)).join(', ')})`);
}
process.exit(0);
