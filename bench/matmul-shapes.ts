// GFLOP/s of the wasm backend's matrix products at the shapes one training step of the benchmark
// task runs (MLP 784-128-64-10, batch 64), on 1 and 2 threads, through the same entry the step
// uses (matmulFused). Variants run interleaved in one process, each sample timing a burst of calls,
// and the median of the rounds is reported, so a busy shared machine skews all of them alike.
//
//   node --import tsx bench/matmul-shapes.ts                          this checkout
//   node --import tsx bench/matmul-shapes.ts --compare=../base         and another checkout (e.g. a git worktree of main), interleaved
//   node --import tsx bench/matmul-shapes.ts --compare=simd            the fma kernels against this checkout's portable ones
//   options: --rounds=N (default 15)  --sample-ms=N (default 4)  --threads=1,2
//            --cold: each call writes a different output of several spanning 8 MiB, so C is not in
//            cache (as in a step, where each gradient goes to a fresh buffer)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MatmulSpec } from '../src/backend/backend.js';
import { enableRelaxedSimd } from '../node/relaxed-simd.js';
import type { WasmBackend, WasmBackendOptions } from '../src/backend/wasm/index.js';
import type { WasmWorkerFactory } from '../src/backend/wasm/threads.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const rounds = Number(option('rounds') ?? 15);
const sampleMs = Number(option('sample-ms') ?? 4);
const threadCounts = (option('threads') ?? '1,2').split(',').map(Number);
const compare = option('compare');
const cold = args.includes('--cold');

interface Shape {
  name: string;
  spec: MatmulSpec;
  bias: boolean;
}

/** The products of one step: forward x·Wᵀ + b, then per layer dW = gᵀ·x and dX = g·W (not for the input). */
function stepShapes(sizes: readonly number[], batch: number): Shape[] {
  const shapes: Shape[] = [];
  const spec = (m: number, k: number, n: number, transA: boolean, transB: boolean): MatmulSpec =>
    ({ batch: 1, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 });
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [i, o] = [sizes[l], sizes[l + 1]];
    shapes.push({ name: `fwd${l + 1} ${batch}x${i}·(${o}x${i})ᵀ+b`, spec: spec(batch, i, o, false, true), bias: true });
  }
  for (let l = sizes.length - 2; l >= 0; l--) {
    const [i, o] = [sizes[l], sizes[l + 1]];
    shapes.push({ name: `dW${l + 1}  (${batch}x${o})ᵀ·${batch}x${i}`, spec: spec(o, batch, i, true, false), bias: false });
    if (l > 0) shapes.push({ name: `dX${l + 1}  ${batch}x${o}·${o}x${i}`, spec: spec(batch, o, i, false, false), bias: false });
  }
  return shapes;
}

interface Variant {
  label: string;
  backend: WasmBackend;
  threads: number;
}

interface Loaded {
  init: (options: WasmBackendOptions) => Promise<WasmBackend | null>;
  factory: () => WasmWorkerFactory;
}

/** The backend and Node worker factory of the checkout at `root` (this one or --compare). */
async function load(root: string): Promise<Loaded> {
  const url = (p: string): string => pathToFileURL(resolve(root, p)).href;
  const wasm = (await import(url('src/backend/wasm/index.ts'))) as { initWasmBackend: Loaded['init'] };
  const node = (await import(url('node/workers.ts'))) as { nodeWorkerFactory: Loaded['factory'] };
  return { init: wasm.initWasmBackend, factory: node.nodeWorkerFactory };
}

function random(backend: WasmBackend, length: number, seed: number): Float32Array {
  const x = backend.alloc('float32', length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 32 - 0.5;
  }
  return x;
}

interface Operands {
  a: Float32Array;
  b: Float32Array;
  /** Outputs, taken in turn (one unless --cold). */
  outs: Float32Array[];
  next: number;
  bias: Float32Array | null;
}

function operands(backend: WasmBackend, s: Shape): Operands {
  const size = s.spec.m * s.spec.n;
  const copies = cold ? Math.ceil((8 << 20) / (4 * size)) : 1;
  return {
    a: random(backend, s.spec.m * s.spec.k, 1),
    b: random(backend, s.spec.k * s.spec.n, 2),
    outs: Array.from({ length: copies }, () => backend.alloc('float32', size)),
    next: 0,
    bias: s.bias ? random(backend, s.spec.n, 3) : null,
  };
}

function call(backend: WasmBackend, s: Shape, o: Operands): void {
  const out = o.outs[o.next];
  o.next = (o.next + 1) % o.outs.length;
  backend.matmulFused(o.a, o.b, out, s.spec, { bias: o.bias ?? undefined });
}

/** Calls per sample, so a sample lasts about sampleMs on one thread. */
function burst(backend: WasmBackend, s: Shape, o: Operands): number {
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < 20) {
    call(backend, s, o);
    calls++;
  }
  return Math.max(1, Math.round((calls * sampleMs) / (performance.now() - t0)));
}

function sample(backend: WasmBackend, s: Shape, o: Operands, calls: number): number {
  const t0 = performance.now();
  for (let c = 0; c < calls; c++) call(backend, s, o);
  return (performance.now() - t0) / calls;
}

const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const here = resolve(import.meta.dirname, '..');
const kernelsOnly = compare === 'simd';
if (!enableRelaxedSimd() && kernelsOnly) throw new Error('matmul-shapes: relaxed SIMD is unavailable here');
const roots = [
  { label: 'this', root: here, fma: true },
  ...(compare ? [{ label: kernelsOnly ? 'simd' : 'compare', root: kernelsOnly ? here : compare, fma: !kernelsOnly }] : []),
];
const variants: Variant[] = [];
for (const { label, root, fma } of roots) {
  const { init, factory } = await load(root);
  const max = Math.max(...threadCounts);
  const backend = await init({ name: `wasm-${label}`, threads: max, fma, createWorker: max > 1 ? factory() : undefined });
  if (!backend) throw new Error('the wasm backend is unavailable here');
  for (const threads of threadCounts) variants.push({ label: `${label} ${threads}t`, backend, threads });
}

const shapes = stepShapes([784, 128, 64, 10], 64);
const ops = variants.map((v) => shapes.map((s) => operands(v.backend, s)));
const calls = shapes.map((s, i) => burst(variants[0].backend, s, ops[0][i]));
// Warm-up: V8 tiers the kernels up after some calls; also lets the share policies settle.
for (let w = 0; w < 3; w++) {
  variants.forEach((v, vi) => {
    v.backend.threads = v.threads;
    shapes.forEach((s, i) => sample(v.backend, s, ops[vi][i], calls[i]));
  });
}
const times = variants.map(() => shapes.map((): number[] => []));
for (let r = 0; r < rounds; r++) {
  // Rotate the order each round, so no variant always runs right after another.
  for (let j = 0; j < variants.length; j++) {
    const vi = (j + r) % variants.length;
    const v = variants[vi];
    v.backend.threads = v.threads;
    shapes.forEach((s, i) => times[vi][i].push(sample(v.backend, s, ops[vi][i], calls[i])));
  }
}

const flops = (s: Shape): number => 2 * s.spec.m * s.spec.k * s.spec.n;
const pad = Math.max(...shapes.map((s) => s.name.length));
console.log(`matmul shapes of one training step: GFLOP/s, median of ${rounds} interleaved rounds (${sampleMs} ms samples${cold ? ', outputs not in cache' : ''})`);
console.log(`${'shape'.padEnd(pad)}  ${variants.map((v) => v.label.padStart(11)).join(' ')}${compare ? '   this/compare' : ''}`);
let stepLine = 'step matmuls (µs)'.padEnd(pad) + ' ';
for (let i = 0; i < shapes.length; i++) {
  const g = variants.map((_, vi) => flops(shapes[i]) / median(times[vi][i]) / 1e6);
  const ratios = compare ? threadCounts.map((_, t) => (g[t] / g[t + threadCounts.length]).toFixed(2)).join(' ') : '';
  console.log(`${shapes[i].name.padEnd(pad)}  ${g.map((x) => x.toFixed(1).padStart(11)).join(' ')}   ${ratios}`);
}
for (let vi = 0; vi < variants.length; vi++) {
  stepLine += (1000 * shapes.reduce((sum, _, i) => sum + median(times[vi][i]), 0)).toFixed(0).padStart(11) + ' ';
}
console.log(stepLine);
process.exit(0);
