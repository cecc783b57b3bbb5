// Do two threads pay from the start? Fresh processes, alternating 1 and 2 threads round after round:
// each trains a fresh model on the benchmark task (MNIST MLP 784-128-64-10, batch 64, SGD lr 0.1)
// with fit() for one untimed warm-up epoch, then times 3 epochs, and also reports the first
// (warm-up) epoch's samples/s on its own — what a short run like `npm start`'s first epoch sees.
//
//   node --import tsx bench/threads-short.ts [--rounds=N]   (default 6)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const child = args.includes('--child');
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

if (child) {
  const { RNG, data, fit, nn, optim } = await import('../src/index.js');
  const { useNodeBackend } = await import('../node/index.js');
  const { loadMnist } = await import('./task.js');
  const threads = Number(option('threads'));
  await useNodeBackend('wasm', { threads });
  const { train } = loadMnist();
  const dataset = new data.Dataset(train.x, train.labels, { featureShape: [784] });
  const model = nn.mlp([784, 128, 64, 10], { rng: new RNG(1) });
  const optimizer = new optim.SGD(model.namedParameters(), { lr: 0.1 });
  const options = { loss: 'crossEntropy', optimizer, batchSize: 64, seed: 1, dropLast: true } as const;
  const samples = Math.floor(train.n / 64) * 64;
  let t0 = performance.now();
  await fit(model, dataset, { ...options, epochs: 1 });
  const first = samples / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  await fit(model, dataset, { ...options, epochs: 3 });
  const three = (3 * samples) / ((performance.now() - t0) / 1000);
  console.log(JSON.stringify({ first, three }));
  process.exit(0);
}

const rounds = Number(option('rounds') ?? 6);
const results: Record<number, Array<{ first: number; three: number }>> = { 1: [], 2: [] };
for (let r = 0; r < rounds; r++) {
  for (const threads of r % 2 === 0 ? [1, 2] : [2, 1]) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', `--threads=${threads}`], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`child failed: ${out.stderr}`);
    results[threads].push(JSON.parse(out.stdout.trim().split('\n').pop()!));
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`threads-short: ${rounds} rounds of fresh processes, alternating; samples/s`);
for (const t of [1, 2]) {
  const rs = results[t];
  console.log(`${t} thread(s): first epoch median ${median(rs.map((x) => x.first)).toFixed(0)} (${rs.map((x) => (x.first / 1000).toFixed(1)).join(' ')}k); 3 epochs after it median ${median(rs.map((x) => x.three)).toFixed(0)} (${rs.map((x) => (x.three / 1000).toFixed(1)).join(' ')}k)`);
}
const ratio = (k: 'first' | 'three'): string => (median(results[2].map((x) => x[k])) / median(results[1].map((x) => x[k]))).toFixed(3);
console.log(`2 threads / 1 thread: first epoch ${ratio('first')}, 3 epochs after a warm-up epoch ${ratio('three')}`);
