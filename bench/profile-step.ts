// Where one training step of the benchmark task goes: times forward, loss, backward and the
// optimizer step separately (downhill on the wasm backend), and the kernels' share of the step.
// With threads, a shared product or update may still run when its call returns; the caller joins
// it when something next reads, so joining is a line of its own, and a phase holds the joins that
// fall in it (the forward phase, the previous step's last weight gradient and its update).
// Run it under `node --cpu-prof` for a per-function profile of the same loop.
//
//   node --import tsx bench/profile-step.ts                  1 thread, 400 steps
//   node --import tsx bench/profile-step.ts --threads=2 --steps=1000
//   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/profile-step.ts
//   options: --simd  the portable kernels (default: fused multiply-add where the runtime has it)
//            --no-tidy  steps not run in tidy(): their memory waits for the garbage collector
//            --fused  hidden layers as linearRelu (one kernel) instead of linear then relu
import { cpus } from 'node:os';
import { SGD, Tensor, crossEntropyLoss, linear, linearRelu, relu, setBackend, tensor, tidy } from '../src/index.js';
import { initWasmBackend } from '../src/backend/wasm/index.js';
import { nodeWorkerFactory } from '../node/workers.js';
import { enableRelaxedSimd } from '../node/relaxed-simd.js';
import { epochOrder, gatherBatch, initialWeights, loadMnist, yieldToLoop } from './task.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const steps = Number(option('steps') ?? 400);
const threads = Number(option('threads') ?? 1);
const batch = Number(option('batch') ?? 64);
const useTidy = !args.includes('--no-tidy');
const fused = args.includes('--fused');
const sizes = [784, 128, 64, 10];

const fma = !args.includes('--simd') && enableRelaxedSimd();
const wasm = await initWasmBackend({ threads, fma, createWorker: threads > 1 ? nodeWorkerFactory() : undefined });
if (!wasm) throw new Error('the wasm backend is unavailable here');
setBackend('wasm');

const { train } = loadMnist();
const params: Tensor[] = [];
for (const layer of initialWeights(sizes)) {
  params.push(tensor(layer.w, { shape: [layer.out, layer.in], requiresGrad: true }));
  params.push(tensor(layer.b, { shape: [layer.out], requiresGrad: true }));
}
const opt = new SGD(params, { lr: 0.1 });
const xb = new Float32Array(batch * 784);
const yb = new Float32Array(batch * 10);
const labels = new Int32Array(batch);

// With threads, products and optimizer steps may be left to the workers and joined later, by
// whatever reads next (tensor/pending.ts): the time spent joining is counted apart, not in the
// kernel or op that happened to trigger it.
let joinMs = 0;
let joins = 0;
if (wasm.pool) {
  const pool = wasm.pool;
  const join = pool.join.bind(pool);
  pool.join = () => {
    const t0 = performance.now();
    join();
    joinMs += performance.now() - t0;
    joins++;
  };
}

// Wraps every kernel of the backend to time it (the wrapper itself costs ~0.1 µs a call).
const kernelTime = new Map<string, { ms: number; calls: number }>();
const target = wasm as unknown as Record<string, unknown>;
let depth = 0; // kernels calling kernels (matmul → matmulFused) count once, as the outer one
for (const name of ['unary', 'binary', 'accumulate', 'matmul', 'matmulFused', 'reduce', 'argReduce', 'stridedCopy', 'gatherRows', 'scatterAddRows', 'select', 'sgdStep', 'adamStep', 'softmaxCrossEntropy', 'softmaxCrossEntropyBackward', 'alloc']) {
  const f = target[name];
  if (typeof f !== 'function') continue;
  target[name] = function (this: unknown, ...a: unknown[]) {
    if (depth > 0) return (f as (...x: unknown[]) => unknown).apply(wasm, a);
    depth++;
    const t0 = performance.now();
    const joined = joinMs;
    const r = (f as (...x: unknown[]) => unknown).apply(wasm, a);
    depth--;
    const e = kernelTime.get(name) ?? { ms: 0, calls: 0 };
    e.ms += performance.now() - t0 - (joinMs - joined);
    e.calls++;
    kernelTime.set(name, e);
    return r;
  };
}

const phases = { data: 0, forward: 0, loss: 0, backward: 0, step: 0, yield: 0 };
let order = epochOrder(train.n, 0);
let at = 0;
const t0 = performance.now();
for (let s = 0; s < steps; s++) {
  let t = performance.now();
  if (at + batch > order.length) { order = epochOrder(train.n, s); at = 0; }
  const idx = order.slice(at, at + batch);
  at += batch;
  gatherBatch(train, idx, xb, yb);
  for (let i = 0; i < batch; i++) labels[i] = train.labels[idx[i]];
  let now = 0;
  const body = (): void => {
    const x = tensor(xb, { shape: [batch, 784] });
    now = performance.now(); phases.data += now - t; t = now;
    let h = x;
    for (let l = 0; l < params.length; l += 2) {
      if (fused) h = l + 2 < params.length ? linearRelu(h, params[l], params[l + 1]) : linear(h, params[l], params[l + 1]);
      else {
        h = linear(h, params[l], params[l + 1]);
        if (l + 2 < params.length) h = relu(h);
      }
    }
    now = performance.now(); phases.forward += now - t; t = now;
    const loss = crossEntropyLoss(h, labels);
    now = performance.now(); phases.loss += now - t; t = now;
    loss.backward();
    now = performance.now(); phases.backward += now - t; t = now;
    opt.step();
    opt.zeroGrad();
  };
  if (useTidy) tidy(body);
  else body();
  now = performance.now(); phases.step += now - t; t = now;
  await yieldToLoop();
  now = performance.now(); phases.yield += now - t;
}
const total = performance.now() - t0;
const per = (ms: number): string => `${((1000 * ms) / steps).toFixed(1).padStart(7)} µs/step ${((100 * ms) / total).toFixed(1).padStart(5)}%`;
console.log(`profile: ${steps} steps, batch ${batch}, ${threads} thread(s), ${cpus().length} cores: ${((steps * batch) / (total / 1000)).toFixed(0)} samples/s (timers on)`);
for (const [k, v] of Object.entries(phases)) console.log(`  phase ${k.padEnd(10)} ${per(v)}`);
let kernels = 0;
for (const [k, v] of [...kernelTime.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
  kernels += v.ms;
  console.log(`  kernel ${k.padEnd(28)} ${per(v.ms)}  ${(v.calls / steps).toFixed(1)} calls/step`);
}
if (wasm.pool) console.log(`  joining shared jobs left open      ${per(joinMs)}  ${(joins / steps).toFixed(1)} joins/step`);
console.log(`  outside kernels (JS ops, autograd, GC) ${per(total - kernels - joinMs - phases.yield - phases.data)}`);
process.exit(0);
