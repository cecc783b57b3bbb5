// One truth for every reader: with two threads, work the wasm backend shares with its workers is
// finished before any public call returns (typed arrays taken earlier read the new values), and
// inside the one scope that may leave work running (the backend's overlap, which fit uses) every
// kernel of the Backend interface orders itself after the open work that touches its arrays.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, SGD, type Tensor, getBackend, mul, setBackend, sum, tensor } from '../../src/index.js';
import { KERNEL_NAMES, type KernelName } from '../../src/backend/dispatch.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import type { FloatArray } from '../../src/tensor/dtype.js';
import { RNG } from '../../src/tensor/rng.js';
import { randomF32, wasmThreaded } from './helpers.js';

let wasm: WasmBackend;
let previous: string;
before(async () => {
  wasm = await wasmThreaded();
  previous = getBackend().name;
  setBackend(wasm.name);
  wasm.threads = 2;
});
after(() => setBackend(previous));

describe('one truth for every reader (wasm, 2 threads)', () => {
  test('after every public call, typed arrays taken before it read finished values: ≥ 10,000 reads, none stale', () => {
    const rng = new RNG(31);
    const n = 1 << 20;
    const start = randomF32(rng, n);
    const slope = tensor(randomF32(rng, n));
    const probes = Int32Array.from({ length: 64 }, () => Math.floor(rng.uniform() * n));
    const configs: Array<[string, (p: Tensor) => SGD | Adam]> = [
      ['SGD', (p) => new SGD([p], { lr: 0.01 })],
      ['SGD momentum', (p) => new SGD([p], { lr: 0.01, momentum: 0.9, weightDecay: 1e-4 })],
      ['Adam', (p) => new Adam([p], { lr: 0.001 })],
    ];
    let reads = 0;
    let stale = 0;
    let moved = 0;
    // Reads `arrays` at the probes now, then again once the workers have certainly finished
    // (the pool joined by hand): a read that differs was of half-finished work.
    const check = (what: string, arrays: readonly FloatArray[], before?: readonly number[][]): void => {
      const now = arrays.map((a) => Array.from(probes, (i) => a[i]));
      wasm.pool!.join();
      arrays.forEach((a, k) => probes.forEach((i, j) => {
        reads++;
        if (a[i] !== now[k][j]) stale++;
        if (before && before[k][j] !== now[k][j]) moved++;
      }));
      assert.equal(stale, 0, `${what}: a read right after the call saw unfinished values`);
    };
    for (const [name, make] of configs) {
      const p = tensor(start, { requiresGrad: true });
      const opt = make(p);
      // The state's arrays as they were before the call that is checked (none before the first step).
      let state: FloatArray[] = [];
      for (let step = 0; step < 12; step++) {
        const param = p.data as FloatArray;
        const loss = sum(mul(mul(p, p), slope));
        loss.backward();
        const grad = p.grad!.data as FloatArray;
        check(`${name} step ${step}: backward`, [grad]);
        const beforeStep = [param, ...state].map((a) => Array.from(probes, (i) => a[i]));
        opt.step();
        check(`${name} step ${step}: step`, [param, ...state], beforeStep);
        opt.zeroGrad();
        check(`${name} step ${step}: zeroGrad`, [param, grad, ...state]);
        const dict = opt.stateDict();
        check(`${name} step ${step}: stateDict`, [param, ...state]);
        opt.loadStateDict(dict);
        check(`${name} step ${step}: loadStateDict`, [param, ...state]);
        state = Object.values(opt.stateOf(p)!).filter((v): v is FloatArray => ArrayBuffer.isView(v));
      }
    }
    assert.ok(reads >= 10_000, `${reads} reads`);
    assert.equal(stale, 0);
    assert.ok(moved > reads / 20, `the steps changed what was read (${moved} of ${reads} reads saw a new value)`);
  });

  /**
   * One row per kernel of the Backend interface (the compiler keeps the table complete): each runs
   * its kernel with `x` — an array an open optimizer step is writing — among its inputs, on fresh
   * outputs, and returns the arrays the kernel wrote (read once the overlap scope has ended: a
   * fused step may itself be left open).
   */
  const rows: Record<KernelName, (b: WasmBackend, x: Float32Array) => ArrayLike<number>[]> = {
    unary: (b, x) => out(b, x.length, (o) => b.unary('neg', x, o)),
    binary: (b, x) => out(b, x.length, (o) => b.binary('mul', x, [1], x, [1], o, [x.length])),
    accumulate: (b, x) => out(b, x.length, (o) => b.accumulate(o, x)),
    matmul: (b, x) => out(b, 64 * 8, (o) => b.matmul(x.subarray(0, 64 * 100), ramp(b, 100 * 8), o, spec(64, 100, 8))),
    matmulFused: (b, x) => out(b, 64 * 8, (o) => b.matmulFused(x.subarray(0, 64 * 100), ramp(b, 100 * 8), o, spec(64, 100, 8), { bias: ramp(b, 8), relu: true })),
    reduce: (b, x) => out(b, 1, (o) => b.reduce('sum', x, o, 1, x.length, 1)),
    argReduce: (b, x) => {
      const o = new Int32Array(1);
      b.argReduce('argmax', x, o, 1, x.length, 1);
      return [o];
    },
    stridedCopy: (b, x) => out(b, 1000, (o) => b.stridedCopy(x, 7, [3], o, 0, [1], [1000], false)),
    gatherRows: (b, x) => out(b, 300, (o) => b.gatherRows(x, Int32Array.from([3, 1, 4]), 100, o)),
    scatterAddRows: (b, x) => out(b, 1000, (o) => b.scatterAddRows(x.subarray(0, 300), Int32Array.from([3, 1, 3]), 100, o)),
    select: (b, x) => out(b, x.length, (o) => b.select(x, x, ramp(b, x.length), o)),
    sgdStep: (b, x) => {
      const param = ramp(b, x.length);
      assert.ok(b.sgdStep([{ param, grad: x, momentumBuffer: null, firstMomentumStep: false }], { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false }));
      return [param];
    },
    adamStep: (b, x) => {
      const [param, m, v] = [ramp(b, x.length), b.alloc('float32', x.length), b.alloc('float32', x.length)];
      assert.ok(b.adamStep([{ param, grad: x, m, v, vMax: null, stepSize: 0.01, bc2Sqrt: 0.5 }], { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupledDecay: null, maximize: false }));
      return [param, m, v];
    },
    softmaxCrossEntropy: (b, x) => {
      const probs = b.alloc('float32', 640);
      const loss = b.softmaxCrossEntropy(x.subarray(0, 640), labels, 64, 10, probs);
      return [[loss ?? NaN], probs];
    },
    softmaxCrossEntropyBackward: (b, x) => out(b, 640, (o) => b.softmaxCrossEntropyBackward(x.subarray(0, 640), labels, 64, 10, 0.5, o)),
  };

  test('every kernel of the Backend interface, given an array an open step is writing, waits for it and computes on the finished values', () => {
    const rng = new RNG(32);
    // Large, so that the step is still running while each kernel is called.
    const n = (1 << 20) + 13;
    const start = randomF32(rng, n);
    const grad = randomF32(rng, n, wasm.alloc('float32', n));
    const rule = { lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false };
    const stepped = (leaveOpen: boolean): Float32Array => {
      const param = wasm.alloc('float32', n);
      param.set(start);
      const run = (): void => void wasm.sgdStep([{ param, grad, momentumBuffer: null, firstMomentumStep: false }], rule);
      if (leaveOpen) run();
      else wasm.overlap(run);
      return param;
    };
    for (const name of Object.keys(KERNEL_NAMES) as KernelName[]) {
      const expected = rows[name](wasm, stepped(false)).map((a) => Array.from(a));
      const actual = wasm.overlap(() => {
        const param = stepped(true);
        assert.equal(wasm.pool!.openJobs, 1, `${name}: the step is open when the kernel is called`);
        return rows[name](wasm, param);
      });
      assert.deepEqual(actual.map((a) => Array.from(a)), expected, `${name} computed on the finished step`);
    }
  });

  test('a kernel writing an array an open step reads waits for the step first', () => {
    const rng = new RNG(33);
    const n = 100_013;
    const start = randomF32(rng, n);
    const run = (leaveOpen: boolean): number[] => {
      const param = wasm.alloc('float32', n);
      param.set(start);
      const grad = wasm.alloc('float32', n);
      grad.fill(1);
      wasm.overlap(() => {
        wasm.sgdStep([{ param, grad, momentumBuffer: null, firstMomentumStep: false }], { lr: 0.5, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false });
        if (leaveOpen) assert.equal(wasm.pool!.openJobs, 1, 'the step is open');
        else wasm.pool!.join();
        wasm.unary('neg', grad, grad);
      });
      return Array.from(param);
    };
    assert.deepEqual(run(true), run(false), 'the step read the gradient before the kernel overwrote it');
  });
});

const labels = Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 10);

function spec(m: number, k: number, n: number): { batch: number; m: number; k: number; n: number; transA: boolean; transB: boolean; aBatchStride: number; bBatchStride: number } {
  return { batch: 1, m, k, n, transA: false, transB: false, aBatchStride: 0, bBatchStride: 0 };
}

/** A fresh heap array 0, 0.01, 0.02, … (never touched by the open step). */
function ramp(b: WasmBackend, length: number): Float32Array {
  const a = b.alloc('float32', length);
  for (let i = 0; i < length; i++) a[i] = (i % 97) * 0.01;
  return a;
}

/** Runs `kernel` into a fresh heap array of `length` and returns it. */
function out(b: WasmBackend, length: number, kernel: (o: Float32Array) => void): Float32Array[] {
  const o = b.allocUninitialized('float32', length);
  kernel(o);
  return [o];
}
