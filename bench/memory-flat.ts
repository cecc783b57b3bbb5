// Memory benchmark (not a test): trains a 2-16-16-1 MLP, built from raw tensors, for 100,000 SGD
// steps and checks that the process's memory stays flat — i.e. that backward frees the graph,
// noGrad updates record nothing, and no per-step allocation is retained.
//
//   npm run bench:memory                    on the TypeScript backend
//   npm run bench:memory -- --backend wasm  on the WebAssembly one (also reports its heap)
//   … --tidy                                each step in tidy(): its memory goes back as it ends,
//                                           not when the collector runs (see the wasm heap's size)
//
// Prints RSS, heap and array-buffer memory every 10,000 steps and a verdict; exits with code 1 when RSS grows by more
// than LIMIT_MIB between step 10,000 (after warm-up) and the end, or the heap (after a full GC) by
// more than HEAP_LIMIT_MIB.
//
// The npm script fixes V8's young generation at 4 MiB per semi-space. Left to size itself, it grows
// and shrinks with the allocation rate between 1 and 16 MiB a semi-space, which moved RSS by 10–20
// MiB over a run while the heap, the array buffers and the wasm memory stayed flat: a cache's size,
// not memory kept alive, and it would hide a real leak of that size or fake one.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RNG, type Tensor, WasmBackend, getBackend, linear, mean, noGrad, randn, square, sub, tanh, tensor, tidy, useBackend, zeros } from '../src/index.js';

const backendArg = process.argv.find((a) => a.startsWith('--backend'));
const backendName = backendArg === undefined ? 'js' : backendArg.includes('=') ? backendArg.split('=')[1] : process.argv[process.argv.indexOf(backendArg) + 1];
if (backendName !== 'js' && backendName !== 'wasm') throw new Error(`--backend must be js or wasm, got ${backendName}`);
const scoped = process.argv.includes('--tidy');
await useBackend(backendName);
const backend = getBackend();
/** Bytes the wasm memory spans (it only grows, so this is the heap's high-water mark), or 0 on js. */
const wasmHeapInUse = (): number => (backend instanceof WasmBackend ? backend.heap.reservedBytes : 0);

// A full collection before each sample, so the numbers show what is retained rather than when the
// collector last ran (the npm script cannot pass --expose-gc, so it is switched on here).
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

const STEPS = 100_000;
const SAMPLE_EVERY = 10_000;
const LIMIT_MIB = 4;
const HEAP_LIMIT_MIB = 1;
const MiB = 1024 * 1024;

const rng = new RNG(7);

// A small synthetic batch: y = sin(x₁)·cos(x₂) on 32 points.
const batch = 32;
const xData = new Float32Array(batch * 2);
const yData = new Float32Array(batch);
for (let i = 0; i < batch; i++) {
  const a = rng.uniformRange(-2, 2);
  const b = rng.uniformRange(-2, 2);
  xData[2 * i] = a;
  xData[2 * i + 1] = b;
  yData[i] = Math.sin(a) * Math.cos(b);
}
const x = tensor(xData, { shape: [batch, 2] });
const y = tensor(yData, { shape: [batch, 1] });

const param = (shape: number[], fanIn: number): Tensor => randn(shape, { rng, std: 1 / Math.sqrt(fanIn), requiresGrad: true });
const w1 = param([16, 2], 2);
const b1 = zeros([16], { requiresGrad: true });
const w2 = param([16, 16], 16);
const b2 = zeros([16], { requiresGrad: true });
const w3 = param([1, 16], 16);
const b3 = zeros([1], { requiresGrad: true });
const params = [w1, b1, w2, b2, w3, b3];
const lr = 0.05;

interface Sample { step: number; loss: number; rss: number; heap: number; buffers: number; wasm: number }
const samples: Sample[] = [];
const started = performance.now();

function trainStep(): number {
  const h1 = tanh(linear(x, w1, b1));
  const h2 = tanh(linear(h1, w2, b2));
  const loss = mean(square(sub(linear(h2, w3, b3), y)));
  loss.backward();
  noGrad(() => {
    for (const p of params) {
      const g = p.grad!.data;
      const d = p.data;
      for (let i = 0; i < d.length; i++) d[i] -= lr * g[i];
      g.fill(0);
    }
  });
  return loss.item();
}

for (let step = 1; step <= STEPS; step++) {
  const loss = scoped ? tidy(trainStep) : trainStep();
  // A training loop turns the event loop now and then (fit does every 50 ms); the wasm backend's
  // blocks return to its heap from the collector's finalizers, which run on those turns.
  if (backend.name === 'wasm' && step % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
  if (step % SAMPLE_EVERY === 0) {
    // Freed array buffers are released after the collection, on a later turn of the event loop.
    collect();
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    const m = process.memoryUsage();
    samples.push({ step, loss, rss: m.rss, heap: m.heapUsed, buffers: m.arrayBuffers, wasm: wasmHeapInUse() });
  }
}
const seconds = (performance.now() - started) / 1000;

const pad = (s: string, n: number): string => s.padStart(n);
const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
console.log(`memory-flat: ${backend.name} backend${scoped ? ', steps in tidy()' : ''}, 2-16-16-1 MLP, batch ${batch}, ${STEPS.toLocaleString('en-US')} SGD steps in ${seconds.toFixed(1)} s`);
console.log(`${pad('step', 8)} ${pad('loss', 12)} ${pad('RSS MiB', 9)} ${pad('heap MiB', 9)} ${pad('buffers MiB', 12)} ${pad('wasm mem MiB', 14)}`);
for (const s of samples) {
  console.log(`${pad(String(s.step), 8)} ${pad(s.loss.toExponential(3), 12)} ${pad((s.rss / MiB).toFixed(1), 9)} ${pad((s.heap / MiB).toFixed(1), 9)} ${pad((s.buffers / MiB).toFixed(2), 12)} ${pad((s.wasm / MiB).toFixed(2), 14)}`);
}
const first = samples[0];
const last = samples[samples.length - 1];
// A leak grows steadily; the allocator's transient swings (several MiB) do not persist, so the end
// value is the lowest of the last three samples.
const endRss = Math.min(...samples.slice(-3).map((s) => s.rss));
const rssGrowth = (endRss - first.rss) / MiB;
const rawRssGrowth = (last.rss - first.rss) / MiB;
// Typed-array data lives outside the JS heap (arrayBuffers), so both count.
// (On the wasm backend tensors live in its memory: its growth counts too.)
const heapGrowth = (last.heap + last.buffers + last.wasm - first.heap - first.buffers - first.wasm) / MiB;
const peakRss = Math.max(...samples.map((s) => s.rss)) / MiB;
const learned = last.loss < first.loss;
console.log(`RSS step ${first.step}→${last.step}: ${rawRssGrowth.toFixed(2)} MiB (lowest of the last three samples: ${rssGrowth.toFixed(2)} MiB; peak ${peakRss.toFixed(1)} MiB)`);
console.log(`heap + array buffers after GC: ${heapGrowth.toFixed(2)} MiB; loss ${first.loss.toExponential(3)} → ${last.loss.toExponential(3)}`);
if (rssGrowth < LIMIT_MIB && heapGrowth < HEAP_LIMIT_MIB && learned) {
  console.log(`verdict: flat (RSS grew less than ${LIMIT_MIB} MiB and the heap less than ${HEAP_LIMIT_MIB} MiB over ${(last.step - first.step).toLocaleString('en-US')} steps)`);
} else {
  console.log(learned
    ? `verdict: GROWS (RSS ${signed(rssGrowth)} MiB, limit ${LIMIT_MIB}; heap + buffers ${signed(heapGrowth)} MiB, limit ${HEAP_LIMIT_MIB}): something keeps per-step memory alive`
    : 'verdict: INVALID (the loss did not go down, so the loop did not train)');
  process.exitCode = 1;
}
