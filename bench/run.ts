// The side-by-side benchmark: downhill (js backend, wasm on one thread, wasm on all cores, and the
// portable wasm kernels without fused multiply-add on one thread) against
// TF.js (cpu, wasm), jax-js (wasm, jit) and brain.js (plain JS, per-sample updates) on the same
// task (bench/task.ts), in one process; then a sweep over hidden width and batch size, and the
// matmul kernel against this machine's roof.
// Writes bench/results/latest.json and bench/results/latest.md.
//
//   node --import tsx bench/run.ts            full run (several minutes)
//   node --import tsx bench/run.ts --quick    one run each, 1 epoch, a short sweep
//   options: --runs=N (default 9) --warmup=STEPS (default 1500) --epochs=N --systems=downhill-js,downhill-wasm,... --no-sweep --no-matmul
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setBackend } from '../src/index.js';
import { initWasmBackend, type WasmBackend } from '../src/backend/wasm/index.js';
import type { MatmulSpec } from '../src/backend/backend.js';
import { nodeWorkerFactory } from '../node/workers.js';
import { enableRelaxedSimd } from '../node/relaxed-simd.js';
import { flopsPerSample, loadMnist, type Task } from './task.js';
import type { RunResult, Trainer } from './systems/common.js';
import { trainDownhill } from './systems/downhill.js';
import { trainTf, useTf } from './systems/tfjs.js';
import { trainJax, useJax } from './systems/jax.js';
import { brainLearningRate, trainBrain } from './systems/brain.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const runs = Number(option('runs') ?? (quick ? 1 : 9));
/** Steps each fast system trains before the timed rounds (the slow ones, SLOW_WARMUP_STEPS). */
const WARMUP_STEPS = Number(option('warmup') ?? (quick ? 300 : 1500));
const SLOW_WARMUP_STEPS = 20;
const epochs = Number(option('epochs') ?? (quick ? 1 : 3));
const cores = cpus().length;

interface SystemSpec {
  system: string;
  backend: string;
  threads: number | string;
  /** Slow systems run fewer times. */
  slow?: boolean;
  prepare: () => Promise<void>;
  train: Trainer;
}

// As `useNodeBackend` does: relaxed SIMD on (Node 20 has it behind a flag), so the wasm backend
// runs its fused multiply-add build. The other systems' wasm modules do not use relaxed SIMD.
const relaxedSimd = enableRelaxedSimd();
let wasm: WasmBackend | null = null;
async function downhillWasm(threads: number): Promise<void> {
  wasm ??= await initWasmBackend({ threads: cores, createWorker: cores > 1 ? nodeWorkerFactory() : undefined });
  if (!wasm) throw new Error('the wasm backend is unavailable here');
  wasm.threads = threads;
  setBackend('wasm');
}

/** The portable build (a multiply then an add; what runtimes without relaxed SIMD get), one thread. */
let wasmSimd: WasmBackend | null = null;
async function downhillWasmSimd(): Promise<void> {
  wasmSimd ??= await initWasmBackend({ name: 'wasm-simd', fma: false });
  if (!wasmSimd) throw new Error('the wasm backend is unavailable here');
  setBackend('wasm-simd');
}

const systems: SystemSpec[] = [
  { system: 'downhill', backend: 'js', threads: 1, slow: true, prepare: async () => setBackend('js'), train: trainDownhill },
  { system: 'downhill', backend: 'wasm', threads: 1, prepare: () => downhillWasm(1), train: trainDownhill },
  ...(cores > 1 ? [{ system: 'downhill', backend: 'wasm', threads: cores, prepare: () => downhillWasm(cores), train: trainDownhill }] : []),
  ...(relaxedSimd ? [{ system: 'downhill', backend: 'wasm-simd (no FMA)', threads: 1, prepare: downhillWasmSimd, train: trainDownhill }] : []),
  { system: 'tfjs', backend: 'cpu', threads: 1, slow: true, prepare: async () => void (await useTf('cpu')), train: trainTf },
  { system: 'tfjs', backend: 'wasm', threads: 1, prepare: async () => void (await useTf('wasm')), train: trainTf },
  { system: 'jax-js', backend: 'wasm (jit)', threads: 'default', prepare: useJax, train: trainJax },
  { system: 'brain.js', backend: 'js (batch 1, squared error)¹', threads: 1, slow: true, prepare: async () => {}, train: trainBrain },
];
const chosen = option('systems')?.split(',');
const label = (s: SystemSpec): string => `${s.system}-${s.backend.split(' ')[0]}${typeof s.threads === 'number' && s.threads > 1 ? `-${s.threads}t` : ''}`;

interface Record {
  system: string;
  backend: string;
  threads: number | string;
  samplesPerSec: number;
  runsSamplesPerSec: number[];
  testAccuracy: number;
  finalLoss: number;
  peakRssMiB: number;
  gflops: number;
  ratioToDownhillWasm1?: number;
}

/** One of downhill's wasm systems against a peer: the median over rounds of the within-round ratio. */
interface Ratio {
  system: string;
  peer: string;
  ratio: number;
  perRound: number[];
  /**
   * downhill's median samples/s ÷ the peer's fastest run: a floor that a slow stretch of the peer's
   * (jax-js has run some rounds at two thirds of its speed in others) cannot raise.
   */
  againstPeerBest: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Best of five timings of the kernels' register-only multiply-add loop, in GFLOP/s. */
function roofOf(w: WasmBackend): number {
  const rounds = 2e6;
  w.k.roof(1000, 1);
  let best = 0;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    w.k.roof(rounds, r);
    best = Math.max(best, (rounds * 96) / ((performance.now() - t0) / 1000) / 1e9);
  }
  return best;
}

async function main(): Promise<void> {
  const { train, test } = loadMnist();
  const task: Task = { train, test, sizes: [784, 128, 64, 10], batch: 64, lr: 0.1, epochs };
  const flopsSample = flopsPerSample(task.sizes);
  const records: Record[] = [];
  console.log(`bench: MNIST ${train.n}/${test.n}, MLP ${task.sizes.join('-')}, batch ${task.batch}, lr ${task.lr}, ${epochs} epoch(s), ${runs} run(s), ${cores} cores`);

  const active = systems.filter((s) => !chosen || chosen.includes(label(s)));
  for (const s of active) {
    await s.prepare();
    // Warm-up, not counted and the same for every system: JIT, kernel compilation, V8's tier-up of
    // WebAssembly from its baseline compiler to the optimising one, and the settling of threads
    // (downhill's 2-thread runs reach their steady speed only after about a thousand steps).
    const warmSteps = s.slow ? SLOW_WARMUP_STEPS : WARMUP_STEPS;
    await s.train(task, task.sizes, task.batch, Math.ceil((warmSteps * task.batch) / task.train.n), warmSteps);
  }
  // Rounds of one run per system, so a stretch of a busy shared machine slows every system's run
  // of that round alike rather than all the runs of one system; ratios are taken per round.
  const results = new Map<SystemSpec, RunResult[]>(active.map((s) => [s, []]));
  const slowRuns = Math.min(runs, quick ? 1 : 2);
  for (let round = 0; round < runs; round++) {
    for (const s of active) {
      if (s.slow && round >= slowRuns) continue;
      await s.prepare();
      const r = await s.train(task, task.sizes, task.batch, s.slow && quick ? 1 : epochs, s.slow && quick ? 40 : Infinity);
      results.get(s)!.push(r);
      console.log(`  round ${round + 1}: ${label(s).padEnd(22)} ${(r.samples / r.seconds).toFixed(0).padStart(7)} samples/s`);
    }
  }
  const baseSpec = active.find((s) => s.system === 'downhill' && s.backend === 'wasm' && s.threads === 1);
  const baseSps = baseSpec ? results.get(baseSpec)!.map((r) => r.samples / r.seconds) : [];
  for (const s of active) {
    const runsOf = results.get(s)!;
    const sps = runsOf.map((r) => r.samples / r.seconds);
    const last = runsOf[runsOf.length - 1];
    const rec: Record = {
      system: s.system, backend: s.backend, threads: s.threads,
      samplesPerSec: median(sps), runsSamplesPerSec: sps.map((v) => Math.round(v)),
      testAccuracy: last.testAccuracy, finalLoss: last.finalLoss,
      peakRssMiB: Math.max(...runsOf.map((r) => r.peakRssMiB)),
      gflops: (median(sps) * flopsSample) / 1e9,
      ratioToDownhillWasm1: baseSps.length ? median(sps.map((v, i) => v / baseSps[i])) : undefined,
    };
    records.push(rec);
    console.log(`  ${label(s).padEnd(22)} ${rec.samplesPerSec.toFixed(0).padStart(7)} samples/s  ×${(rec.ratioToDownhillWasm1 ?? NaN).toFixed(2)}  acc ${rec.testAccuracy.toFixed(4)}  loss ${rec.finalLoss.toFixed(4)}  RSS ${rec.peakRssMiB.toFixed(0)} MiB  runs ${rec.runsSamplesPerSec.join(', ')}`);
  }
  // downhill's wasm runs against the peers the speed targets name, round by round.
  const ratios: Ratio[] = [];
  const find = (l: string): SystemSpec | undefined => active.find((s) => label(s) === l);
  for (const ours of ['downhill-wasm', `downhill-wasm-${cores}t`]) {
    for (const peer of ['tfjs-wasm', 'jax-js-wasm']) {
      const a = find(ours);
      const b = find(peer);
      if (!a || !b) continue;
      const ra = results.get(a)!;
      const rb = results.get(b)!;
      const perRound = ra.slice(0, rb.length).map((r, i) => r.samples / r.seconds / (rb[i].samples / rb[i].seconds));
      const againstPeerBest = median(ra.map((r) => r.samples / r.seconds)) / Math.max(...rb.map((r) => r.samples / r.seconds));
      ratios.push({ system: ours, peer, ratio: median(perRound), perRound: perRound.map((v) => Number(v.toFixed(2))), againstPeerBest: Number(againstPeerBest.toFixed(2)) });
      console.log(`  ${ours} ÷ ${peer}: ${median(perRound).toFixed(2)} (rounds ${perRound.map((v) => v.toFixed(2)).join(', ')}; median ÷ the peer's fastest run ${againstPeerBest.toFixed(2)})`);
    }
  }

  // Sweep: downhill wasm, hidden width and batch size.
  const sweep: Array<{ threads: number; hidden: number; batch: number; samplesPerSec: number; gflops: number }> = [];
  if (!flag('no-sweep')) {
    const widths = quick ? [64, 256, 1024] : [64, 128, 256, 512, 1024];
    const batches = quick ? [1, 64, 512] : [1, 8, 32, 64, 128, 256, 512];
    const configs = [...widths.map((h) => ({ hidden: h, batch: 64 })), ...batches.filter((b) => b !== 64).map((b) => ({ hidden: 128, batch: b }))];
    for (const threads of cores > 1 ? [1, cores] : [1]) {
      await downhillWasm(threads);
      for (const { hidden, batch } of configs) {
        const sizes = [784, hidden, Math.max(10, hidden / 2), 10];
        const samples = Math.max(batch * 6, quick ? 1024 : 4096);
        await trainDownhill(task, sizes, batch, 1, 3);
        const r = await trainDownhill(task, sizes, batch, 100, Math.ceil(samples / batch));
        const sps = r.samples / r.seconds;
        const rec = { threads, hidden, batch, samplesPerSec: sps, gflops: (sps * flopsPerSample(sizes)) / 1e9 };
        sweep.push(rec);
        console.log(`  sweep ${threads}t hidden ${String(hidden).padStart(4)} batch ${String(batch).padStart(3)}: ${sps.toFixed(0).padStart(7)} samples/s ${rec.gflops.toFixed(1).padStart(5)} GFLOP/s`);
      }
    }
  }

  // The matmul kernel alone, and the roof.
  const kernels: Array<{ shape: string; threads: number; gflops: number }> = [];
  let roof = NaN;
  let roofMulAdd = NaN;
  if (!flag('no-matmul')) {
    await downhillWasm(1);
    await downhillWasmSimd();
    const w = wasm!;
    roof = roofOf(w);
    roofMulAdd = roofOf(wasmSimd!);
    console.log(`  float32 SIMD roof, 1 thread: ${roof.toFixed(1)} GFLOP/s with the ${w.build} build's multiply-add (${roofMulAdd.toFixed(1)} as mul then add)`);
    const shapes: Array<[string, number, number, number, boolean, boolean]> = [
      ['256³', 256, 256, 256, false, false], ['512³', 512, 512, 512, false, false],
      ['x·W1ᵀ 64×784·(128×784)ᵀ', 64, 784, 128, false, true], ['gᵀ·x (64×128)ᵀ·64×784', 128, 64, 784, true, false], ['g·W2 64×64·64×128', 64, 64, 128, false, false],
    ];
    for (const threads of cores > 1 ? [1, cores] : [1]) {
      w.threads = threads;
      for (const [name, m, k, n, tA, tB] of shapes) {
        const a = w.alloc('float32', m * k).fill(0.5);
        const b = w.alloc('float32', k * n).fill(0.25);
        const o = w.alloc('float32', m * n);
        const spec: MatmulSpec = { batch: 1, m, k, n, transA: tA, transB: tB, aBatchStride: 0, bBatchStride: 0 };
        for (let i = 0; i < 20; i++) w.matmul(a, b, o, spec);
        const times: number[] = [];
        for (let rep = 0; rep < 7; rep++) {
          const t0 = performance.now();
          let reps = 0;
          while (performance.now() - t0 < 100) { w.matmul(a, b, o, spec); reps++; }
          times.push((performance.now() - t0) / reps / 1000);
        }
        const gf = (2 * m * n * k) / median(times) / 1e9;
        kernels.push({ shape: name, threads, gflops: gf });
        console.log(`  matmul ${name.padEnd(26)} ${threads}t ${gf.toFixed(1).padStart(6)} GFLOP/s (${((100 * gf) / roof / (threads > 1 ? threads : 1)).toFixed(0)}% of roof per thread)`);
      }
    }
  }

  const out = {
    date: new Date().toISOString(),
    command: `node --import tsx bench/run.ts ${args.join(' ')}`.trim(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores, node: process.version, kernels: wasm?.build ?? 'simd' },
    task: { data: `MNIST (mnist package) ${train.n} train / ${test.n} held out`, model: task.sizes.join('-'), batch: task.batch, lr: task.lr, epochs, runs, warmupSteps: WARMUP_STEPS, flopsPerSample: flopsSample },
    records, ratios, sweep, matmul: { roofGflops: roof, roofMulAddGflops: roofMulAdd, kernels },
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', JSON.stringify(out, null, 2) + '\n');
  writeFileSync('bench/results/latest.md', markdown(out));
  console.log('bench: wrote bench/results/latest.json and bench/results/latest.md');
  process.exit(0);
}

function markdown(o: { date: string; command: string; machine: { cpu: string; cores: number; node: string; kernels: string }; task: { data: string; model: string; batch: number; lr: number; epochs: number; runs: number; warmupSteps: number }; records: Record[]; ratios: Ratio[]; sweep: Array<{ threads: number; hidden: number; batch: number; samplesPerSec: number; gflops: number }>; matmul: { roofGflops: number; roofMulAddGflops: number; kernels: Array<{ shape: string; threads: number; gflops: number }> } }): string {
  const lines = [
    `# Benchmark results`,
    ``,
    `${o.date} · \`${o.command}\` · ${o.machine.cpu}, ${o.machine.cores} cores, Node ${o.machine.node}`,
    ``,
    `Task: ${o.task.data}; MLP ${o.task.model} (ReLU, softmax cross-entropy), SGD lr ${o.task.lr}, batch ${o.task.batch}, ${o.task.epochs} epoch(s); same initial weights and batch order for every system. Each system first trains ${o.task.warmupSteps} steps untimed (slow systems ${SLOW_WARMUP_STEPS}), for JIT compilation and tier-up; then systems run in rounds (one run of each per round; slow systems in the first rounds only). Samples/s: median of ${o.task.runs} run(s) (slow systems fewer); × downhill wasm 1t: median over rounds of the ratio within the round. Peak RSS is the whole process's, sampled during that system's runs (systems run one after another in one process).`,
    ``,
    `| system | backend | threads | samples/s | × downhill wasm 1t | GFLOP/s | held-out acc | final loss | peak RSS MiB |`,
    `| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...o.records.map((r) => `| ${r.system} | ${r.backend} | ${r.threads} | ${r.samplesPerSec.toFixed(0)} | ${(r.ratioToDownhillWasm1 ?? NaN).toFixed(2)} | ${r.gflops.toFixed(1)} | ${r.testAccuracy.toFixed(4)} | ${r.finalLoss.toFixed(4)} | ${r.peakRssMiB.toFixed(0)} |`),
    ``,
  ];
  if (o.ratios.length) {
    lines.push(
      `Ratios (samples/s of downhill ÷ the peer, median over rounds of the within-round ratio; and, as a floor, downhill's median ÷ the peer's fastest run):`, ``,
      `| downhill | peer | ratio | ÷ peer's fastest run | per round |`, `| --- | --- | ---: | ---: | --- |`,
    );
    for (const r of o.ratios) lines.push(`| ${r.system} | ${r.peer} | ${r.ratio.toFixed(2)} | ${r.againstPeerBest.toFixed(2)} | ${r.perRound.map((v) => v.toFixed(2)).join(', ')} |`);
    lines.push('');
  }
  if (o.machine.kernels === 'fma') {
    lines.push(`downhill's wasm rows run the kernels' fused multiply-add build (WebAssembly relaxed SIMD, switched on as \`downhill/node\` does); "wasm-simd (no FMA)" is the portable build, what runtimes without relaxed SIMD get.`, ``);
  }
  if (o.records.some((r) => r.system === 'brain.js')) {
    lines.push(`¹ brain.js cannot run the same algorithm: it updates after every sample, puts ReLU on the output layer and back-propagates squared error (lr ${brainLearningRate}: at 0.1 its per-sample updates stall). Same network, initial weights and sample order, so its samples/s compare; its accuracy and loss do not.`, ``);
  }
  if (o.sweep.length) {
    lines.push(`## Sweep (downhill wasm; MLP 784-H-H/2-10)`, ``, `| threads | hidden H | batch | samples/s | GFLOP/s |`, `| --- | ---: | ---: | ---: | ---: |`);
    for (const s of o.sweep) lines.push(`| ${s.threads} | ${s.hidden} | ${s.batch} | ${s.samplesPerSec.toFixed(0)} | ${s.gflops.toFixed(1)} |`);
    lines.push('');
  }
  if (o.matmul.kernels.length) {
    lines.push(`## Matmul kernel (float32 SIMD roof, one thread: ${o.matmul.roofGflops.toFixed(1)} GFLOP/s ${o.machine.kernels === 'fma' ? `with fused multiply-add, ${o.matmul.roofMulAddGflops.toFixed(1)} as multiply then add` : 'as multiply then add'})`, ``, `| shape | threads | GFLOP/s | % of roof × threads |`, `| --- | ---: | ---: | ---: |`);
    for (const k of o.matmul.kernels) lines.push(`| ${k.shape} | ${k.threads} | ${k.gflops.toFixed(1)} | ${((100 * k.gflops) / o.matmul.roofGflops / k.threads).toFixed(0)}% |`);
    lines.push('');
  }
  return lines.join('\n');
}

await main();
