// End-to-end A/B of the wasm backend: trains the benchmark task (MLP 784-128-64-10, batch 64, SGD
// lr 0.1) on this checkout's backend and on another checkout's, alternating blocks of steps in one
// process, so a busy shared machine slows both alike. The model code (ops, autograd, optimizer) is
// this checkout's for both; only the backend differs. Reports the median samples/s of each over
// the blocks and their ratio.
//
//   node --import tsx bench/step-compare.ts --compare=../base                1 thread (../base: another checkout, e.g. a git worktree)
//   node --import tsx bench/step-compare.ts --compare=../base --threads=2
//   node --import tsx bench/step-compare.ts --compare=simd                   this checkout's fma kernels against its portable ones
//   node --import tsx bench/step-compare.ts --compare=no-tidy                steps in tidy() against steps left to the collector
//   options: --blocks=N (default 40)  --steps=N per block (default 25)  --warmup=N steps (default 300)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SGD, Tensor, crossEntropyLoss, linear, relu, setBackend, tensor, tidy } from '../src/index.js';
import { registerBackend } from '../src/backend/registry.js';
import type { Backend } from '../src/backend/backend.js';
import type { WasmBackend, WasmBackendOptions } from '../src/backend/wasm/index.js';
import type { WasmWorkerFactory } from '../src/backend/wasm/threads.js';
import { enableRelaxedSimd } from '../node/relaxed-simd.js';
import { epochOrder, gatherBatch, initialWeights, loadMnist, yieldToLoop } from './task.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const compare = option('compare');
if (!compare) throw new Error('step-compare: --compare=<another checkout> (or simd) is required');
// --compare=simd: both backends from this checkout, fused multiply-add against the portable kernels.
const kernelsOnly = compare === 'simd';
// --compare=no-tidy: the same kernels (two instances, each with its own heap); the compared run's
// steps are not run in tidy(), so their memory waits for the garbage collector.
const untidy = compare === 'no-tidy';
if (kernelsOnly && !enableRelaxedSimd()) throw new Error('step-compare: relaxed SIMD is unavailable here');
const threads = Number(option('threads') ?? 1);
const blocks = Number(option('blocks') ?? 40);
const stepsPerBlock = Number(option('steps') ?? 25);
const warmup = Number(option('warmup') ?? 300);
const batch = 64;

async function backendOf(root: string, name: string, fma: boolean): Promise<Backend> {
  const url = (p: string): string => pathToFileURL(resolve(root, p)).href;
  const wasm = (await import(url('src/backend/wasm/index.ts'))) as { initWasmBackend: (o: WasmBackendOptions) => Promise<WasmBackend | null> };
  const node = (await import(url('node/workers.ts'))) as { nodeWorkerFactory: () => WasmWorkerFactory };
  const backend = await wasm.initWasmBackend({ name, threads, fma, createWorker: threads > 1 ? node.nodeWorkerFactory() : undefined });
  if (!backend) throw new Error('the wasm backend is unavailable here');
  // Registered here too: the other checkout registers it with its own copy of the registry.
  registerBackend(backend as unknown as Backend);
  return backend as unknown as Backend;
}

const { train } = loadMnist();

/** One training run on one backend, advanced a block of steps at a time. */
class Run {
  private readonly params: Tensor[] = [];
  private readonly opt: SGD;
  private readonly xb = new Float32Array(batch * 784);
  private readonly yb = new Float32Array(batch * 10);
  private readonly labels = new Int32Array(batch);
  private order = epochOrder(train.n, 0);
  private at = 0;
  private step = 0;
  readonly rates: number[] = [];

  constructor(readonly name: string, private readonly scoped = true) {
    setBackend(name);
    for (const layer of initialWeights([784, 128, 64, 10])) {
      this.params.push(tensor(layer.w, { shape: [layer.out, layer.in], requiresGrad: true }));
      this.params.push(tensor(layer.b, { shape: [layer.out], requiresGrad: true }));
    }
    this.opt = new SGD(this.params, { lr: 0.1 });
  }

  async steps(count: number, record: boolean): Promise<void> {
    setBackend(this.name);
    const t0 = performance.now();
    for (let s = 0; s < count; s++, this.step++) {
      if (this.at + batch > this.order.length) {
        this.order = epochOrder(train.n, this.step);
        this.at = 0;
      }
      const idx = this.order.slice(this.at, this.at + batch);
      this.at += batch;
      gatherBatch(train, idx, this.xb, this.yb);
      for (let i = 0; i < batch; i++) this.labels[i] = train.labels[idx[i]];
      // As the benchmark's downhill loop: each step in tidy(), gradients zeroed at its end.
      const step = (): void => {
        let h = tensor(this.xb, { shape: [batch, 784] });
        for (let l = 0; l < this.params.length; l += 2) {
          h = linear(h, this.params[l], this.params[l + 1]);
          if (l + 2 < this.params.length) h = relu(h);
        }
        crossEntropyLoss(h, this.labels).backward();
        this.opt.step();
        this.opt.zeroGrad();
      };
      if (this.scoped) tidy(step);
      else step();
      await yieldToLoop();
    }
    if (record) this.rates.push((count * batch) / ((performance.now() - t0) / 1000));
  }
}

const here = resolve(import.meta.dirname, '..');
await backendOf(here, 'wasm-this', true);
await backendOf(kernelsOnly || untidy ? here : compare, 'wasm-compare', !kernelsOnly);
const runs = [new Run('wasm-this'), new Run('wasm-compare', !untidy)];
for (const r of runs) await r.steps(warmup, false);
for (let b = 0; b < blocks; b++) {
  // Alternate which goes first, so neither always follows the other.
  for (let j = 0; j < runs.length; j++) await runs[(j + b) % runs.length].steps(stepsPerBlock, true);
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const ratios = runs[0].rates.map((r, i) => r / runs[1].rates[i]);
console.log(`step-compare: ${threads} thread(s), ${blocks} blocks of ${stepsPerBlock} steps, batch ${batch}, after ${warmup} warm-up steps each`);
for (const r of runs) console.log(`  ${r.name.padEnd(13)} median ${median(r.rates).toFixed(0).padStart(6)} samples/s`);
console.log(`  this/compare: ratio of medians ${(median(runs[0].rates) / median(runs[1].rates)).toFixed(3)}, median of per-block ratios ${median(ratios).toFixed(3)}`);
process.exit(0);
