// Memory of a loop a PyTorch user would write (not a test): forward, loss, zeroGrad, backward, step,
// with no tidy() and no await, for 100,000 steps on the wasm backend as `downhill/node` starts it.
// Finalizers, which give tensors' WebAssembly memory back, normally run only when the event loop
// turns; here it never does, so this checks that the heap reclaims memory anyway and stays flat.
//
//   npm run bench:memory-sync                       MLP 784-128-64-10, batch 64, SGD (all cores)
//   npm run bench:memory-sync -- --loop=readme      the README's ten-line linear-regression loop
//   options: --steps=N (default 100000), --threads=N, --no-collector (shows the early failure and its advice)
//
// Prints the wasm heap's reserved and live bytes and RSS every tenth of the run; exits 1 when the
// heap's reserved memory grows over the second half of the run (it only grows, so growth is what
// leaks; in the first steps it rises to its working size: live tensors plus what waits for the
// next reclaim, at most two of the heap's 64 MiB pressure steps).
import { RNG, SGD, type Tensor, crossEntropyLoss, getBackend, nn, randn, tensor, useBackend, WasmBackend } from '../src/index.js';
import { useNodeBackend } from '../node/index.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const steps = Number(option('steps') ?? 100_000);
const loop = option('loop') ?? 'mlp';
const threads = option('threads') === undefined ? undefined : Number(option('threads'));
if (args.includes('--no-collector')) await useBackend('wasm', { threads: 1 });
else await useNodeBackend('wasm', threads === undefined ? {} : { threads });
const backend = getBackend();
if (!(backend instanceof WasmBackend)) throw new Error('the wasm backend did not start');
const MiB = 2 ** 20;

const rng = new RNG(3);
let step: () => number;
if (loop === 'mlp') {
  const model = nn.mlp([784, 128, 64, 10], { rng });
  const optimizer = new SGD(model.namedParameters(), { lr: 0.05 });
  const x = randn([64, 784], { rng });
  const y = Int32Array.from({ length: 64 }, (_, i) => i % 10);
  step = () => {
    const loss = crossEntropyLoss(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    return loss.item();
  };
} else if (loop === 'readme') {
  const X = randn([200, 2], { rng });
  const y = X.matmul(tensor([[2], [-3]])).add(0.5);
  const w = tensor([[0], [0]], { requiresGrad: true });
  const b = tensor([0], { requiresGrad: true });
  const optimizer = new SGD([w, b] as Tensor[], { lr: 0.5 });
  step = () => {
    const loss = X.matmul(w).add(b).sub(y).square().sum().div(2 * 200);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    return loss.item();
  };
} else throw new Error(`--loop must be mlp or readme, got ${loop}`);

const every = Math.max(1, Math.floor(steps / 10));
const rows: Array<{ step: number; loss: number; reserved: number; live: number; rss: number }> = [];
const started = performance.now();
for (let s = 1; s <= steps; s++) {
  const loss = step();
  if (s % every === 0) rows.push({ step: s, loss, reserved: backend.heap.reservedBytes, live: backend.heap.liveBytes, rss: process.memoryUsage.rss() });
}
const seconds = (performance.now() - started) / 1000;
console.log(`memory-sync-loop: ${loop}, ${steps.toLocaleString('en-US')} steps with no tidy() and no await, ${backend.threads} thread(s), in ${seconds.toFixed(1)} s (${(1e6 * seconds / steps).toFixed(0)} µs a step)`);
console.log(`${'step'.padStart(8)} ${'loss'.padStart(11)} ${'wasm reserved MiB'.padStart(18)} ${'wasm live MiB'.padStart(14)} ${'RSS MiB'.padStart(9)}`);
for (const r of rows) {
  console.log(`${String(r.step).padStart(8)} ${r.loss.toExponential(3).padStart(11)} ${(r.reserved / MiB).toFixed(1).padStart(18)} ${(r.live / MiB).toFixed(1).padStart(14)} ${(r.rss / MiB).toFixed(1).padStart(9)}`);
}
const middle = rows[Math.floor(rows.length / 2) - 1];
const growth = (rows[rows.length - 1].reserved - middle.reserved) / MiB;
console.log(growth <= 0
  ? `verdict: flat (the wasm heap held at ${(middle.reserved / MiB).toFixed(1)} MiB from step ${middle.step} to the end)`
  : `verdict: GROWS by ${growth.toFixed(1)} MiB from step ${middle.step} to the end`);
if (growth > 0) process.exitCode = 1;
