// Threads of the wasm backend: a matrix product's column panels (and a large SGD update's blocks)
// are claimed by whichever thread is free, each panel summed in the same order, so 1 and 2 threads
// give bit-identical results; and whether to share a product at all follows measured times.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RNG } from '../../src/tensor/rng.js';
import type { MatmulSpec } from '../../src/backend/backend.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { SharePolicy } from '../../src/backend/wasm/share-policy.js';
import { SGD, type Tensor, add, crossEntropyLoss, getBackend, indexSelect, linear, mul, relu, setBackend, sum, tensor, tidy } from '../../src/index.js';
import { assertIdentical, randomF32, wasmThreaded } from './helpers.js';

let wasm: WasmBackend;
before(async () => { wasm = await wasmThreaded(); });
after(() => { wasm.threads = 2; });

describe('wasm threads', () => {
  test('a worker started and products large enough to split are bit-identical for 1 and 2 threads', () => {
    const rng = new RNG(21);
    const jobsBefore = wasm.pool?.jobs ?? 0;
    for (const [m, k, n] of [[64, 784, 128], [128, 64, 784], [70, 300, 65], [256, 256, 256]] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const a = randomF32(rng, m * k, wasm.alloc('float32', m * k));
          const b = randomF32(rng, k * n, wasm.alloc('float32', k * n));
          const bias = randomF32(rng, n, wasm.alloc('float32', n));
          const spec: MatmulSpec = { batch: 2, m, k, n, transA, transB, aBatchStride: 0, bBatchStride: 0 };
          const outs = [1, 2].map((threads) => {
            wasm.threads = threads;
            const out = wasm.alloc('float32', 2 * m * n);
            wasm.matmul(a, b, out, spec);
            const fused = wasm.alloc('float32', m * n);
            wasm.matmulFused(a, b, fused, { ...spec, batch: 1 }, { bias, relu: true });
            return [out, fused];
          });
          assertIdentical(outs[0][0], outs[1][0], `matmul ${m}×${k}×${n} ${transA} ${transB}`);
          assertIdentical(outs[0][1], outs[1][1], `fused ${m}×${k}×${n} ${transA} ${transB}`);
        }
      }
    }
    assert.ok((wasm.pool?.jobs ?? 0) - jobsBefore >= 16, 'the products were split among threads');
  });

  test('an optimizer step over a group with a large parameter is one job shared among threads, with the same bits as one thread', () => {
    const rng = new RNG(22);
    // The large parameter is not a multiple of the block, so its last block is short; small ones besides.
    const sizes = [100_000 + 13, 7, 1000];
    const grads = sizes.map((n) => randomF32(rng, n, wasm.alloc('float32', n)));
    const starts = sizes.map((n) => randomF32(rng, n));
    // Momentum, Nesterov and weight decay on; AdamW's decoupled decay.
    const sgdRule = { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 1e-3, maximize: false };
    const adamRule = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupledDecay: 1 - 0.01 * 0.01, maximize: false };
    const onHeap = (src: Float32Array): Float32Array => {
      const a = wasm.alloc('float32', src.length);
      a.set(src);
      return a;
    };
    const results = [1, 2].map((threads) => {
      wasm.threads = threads;
      const sgdParams = starts.map(onHeap);
      const adamParams = starts.map(onHeap);
      const [bufs, ms, vs] = [0, 1, 2].map(() => sizes.map((n) => wasm.alloc('float32', n)));
      const jobsBefore = wasm.pool?.jobs ?? 0;
      for (let step = 1; step <= 3; step++) {
        assert.ok(wasm.sgdStep(sgdParams.map((param, i) => ({ param, grad: grads[i], momentumBuffer: bufs[i], firstMomentumStep: step === 1 })), sgdRule));
        const stepSize = 0.01 / (1 - 0.9 ** step);
        const bc2Sqrt = Math.sqrt(1 - 0.999 ** step);
        assert.ok(wasm.adamStep(adamParams.map((param, i) => ({ param, grad: grads[i], m: ms[i], v: vs[i], vMax: null, stepSize, bc2Sqrt })), adamRule));
      }
      assert.equal((wasm.pool?.jobs ?? 0) - jobsBefore, threads === 2 ? 6 : 0, `one shared job per group step on ${threads} thread(s)`);
      return [...sgdParams, ...bufs, ...adamParams, ...ms, ...vs];
    });
    results[0].forEach((a, i) => assertIdentical(a, results[1][i], `array ${i} (parameters, buffers, moments)`));
    // The updates did something: every parameter moved from its start, every buffer and moment left zero.
    const [sgdParams, bufs, adamParams, ms, vs] = [0, 1, 2, 3, 4].map((g) => results[0].slice(g * sizes.length, (g + 1) * sizes.length));
    for (const params of [sgdParams, adamParams]) params.forEach((p, i) => assert.ok(p.some((x, j) => x !== starts[i][j]), `parameter ${i} moved`));
    for (const state of [bufs, ms, vs]) state.forEach((a, i) => assert.ok(a.some((x) => x !== 0), `state ${i} was written`));
  });

  test('inside an overlap scope a shared optimizer step returns while the workers finish it: freed blocks are held, allocating does not wait, a kernel on the parameter does, and the scope ends settled', () => {
    const previous = getBackend().name;
    setBackend(wasm.name);
    const pool = wasm.pool!;
    try {
      const rng = new RNG(24);
      const n = 100_013;
      const start = randomF32(rng, n);
      const slope = tensor(randomF32(rng, n));
      const run = (threads: number): { param: Float32Array; momentum: Float32Array; state: Float32Array } => {
        wasm.threads = threads;
        const p = tensor(start, { requiresGrad: true });
        const opt = new SGD([p], { lr: 0.1, momentum: 0.9, weightDecay: 1e-3 });
        for (let step = 0; step < 3; step++) {
          wasm.overlap(() => {
            // Every array of the step's size that tidy frees, by address.
            let freed: number[] = [];
            tidy(() => {
              const square = mul(p, p);
              const scaled = mul(square, slope);
              sum(scaled).backward();
              opt.step();
              freed = [square, scaled, p.grad!].map((t) => wasm.heap.addressOf(t.data as Float32Array));
              opt.zeroGrad();
            });
            if (threads === 1) return;
            assert.equal(pool.openJobs, 1, `step ${step}: the update is left running past the step's scope`);
            const meanwhile = [0, 1, 2, 3].map(() => wasm.heap.addressOf(wasm.alloc('float32', n)));
            assert.ok(meanwhile.every((a) => !freed.includes(a)), `step ${step}: no block the step freed is handed out while the update runs`);
            assert.equal(pool.openJobs, 1, 'allocating does not wait for the update');
            if (step === 2) return; // the scope's end must settle it by itself
            add(p, 1);
            assert.equal(pool.openJobs, 0, 'a kernel reading the parameter waits for the update');
            const after = Array.from({ length: 8 }, () => wasm.heap.addressOf(wasm.alloc('float32', n)));
            assert.ok(after.includes(freed[2]), `step ${step}: the gradient's block is free again once the update is done`);
          });
          assert.equal(pool.openJobs, 0, 'the overlap scope ends with nothing open');
        }
        const state = Object.values(opt.stateDict().state)[0].momentumBuffer as Tensor;
        return { param: p.data as Float32Array, momentum: opt.stateOf(p)!.momentumBuffer as Float32Array, state: state.data as Float32Array };
      };
      const [one, two] = [run(1), run(2)];
      assertIdentical(one.param, two.param, 'parameters after three steps');
      assertIdentical(one.momentum, two.momentum, 'momentum buffers');
      assertIdentical(one.state, two.state, "the state dict's momentum buffer");
      assert.ok(two.param.some((x, i) => x !== Math.fround(start[i])), 'the parameter moved');
    } finally {
      setBackend(previous);
      wasm.threads = 2;
    }
  });

  test('outside an overlap scope every product and step returns finished: nothing is left open, and the bits are one thread\'s', () => {
    const previous = getBackend().name;
    setBackend(wasm.name);
    const pool = wasm.pool!;
    try {
      const rng = new RNG(25);
      const xs = randomF32(rng, 64 * 784);
      const w1s = randomF32(rng, 128 * 784).map((v) => v * 0.05);
      const w2s = randomF32(rng, 10 * 128).map((v) => v * 0.1);
      const labels = Int32Array.from({ length: 64 }, (_, i) => (i * 7) % 10);
      const run = (threads: number): Float32Array[] => {
        wasm.threads = threads;
        const params = [tensor(w1s, { shape: [128, 784] }), tensor(new Float32Array(128)), tensor(w2s, { shape: [10, 128] }), tensor(new Float32Array(10))];
        for (const p of params) p.requiresGrad = true;
        const [w1, b1, w2, b2] = params;
        const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
        const jobsBefore = pool.jobs;
        for (let step = 0; step < 3; step++) {
          tidy(() => {
            const h = linear(tensor(xs, { shape: [64, 784] }), w1, b1);
            assert.equal(pool.openJobs, 0, "the first layer's product returns done");
            const loss = crossEntropyLoss(linear(relu(h), w2, b2), labels);
            loss.backward();
            assert.equal(pool.openJobs, 0, 'backward returns done');
            opt.step();
            assert.equal(pool.openJobs, 0, 'the step returns done');
            opt.zeroGrad();
          });
        }
        if (threads === 2) assert.ok(pool.jobs - jobsBefore >= 6, 'the products and steps were shared');
        return params.map((p) => p.data as Float32Array);
      };
      const [one, two] = [run(1), run(2)];
      one.forEach((p, i) => assertIdentical(p, two[i], `parameter ${i} after three steps`));
      assert.ok(one[0].some((x, i) => x !== Math.fround(w1s[i])), 'the first layer learned');
    } finally {
      setBackend(previous);
      wasm.threads = 2;
    }
  });

  test('while an update runs on in an overlap scope, kernels on arrays it does not touch (the next batch\'s rows) do not wait; a kernel reading the parameter does', () => {
    const previous = getBackend().name;
    setBackend(wasm.name);
    const pool = wasm.pool!;
    try {
      wasm.threads = 2;
      const rng = new RNG(26);
      const start = randomF32(rng, 100_013);
      const p = tensor(start, { requiresGrad: true });
      const data = tensor(randomF32(rng, 50 * 30), { shape: [50, 30] });
      const opt = new SGD([p], { lr: 0.1 });
      const after = wasm.overlap(() => {
        tidy(() => {
          sum(mul(p, p)).backward();
          opt.step();
          opt.zeroGrad();
        });
        assert.equal(pool.openJobs, 1, 'the update is left running');
        const rows = indexSelect(data, [3, 1, 4]);
        assert.equal(pool.openJobs, 1, 'gathering rows of the data left the update running');
        assert.deepEqual(Array.from(rows.data.subarray(30, 60)), Array.from(data.data.subarray(30, 60)));
        assert.deepEqual(Array.from(add(tensor([1, 2]), tensor([3, 4])).data), [4, 6]);
        assert.equal(pool.openJobs, 1, 'a kernel on other arrays left the update running');
        const copy = mul(p, 1);
        assert.equal(pool.openJobs, 0, 'a kernel reading the parameter waited for the update');
        return copy;
      });
      // θ − 0.1·2θ, rounded as the float32 rule does.
      after.data.forEach((x, i) => assert.equal(x, Math.fround(Math.fround(start[i]) - Math.fround(Math.fround(0.1) * Math.fround(2 * Math.fround(start[i]))))));
    } finally {
      setBackend(previous);
    }
  });

  test('sharing follows the median of recent times: shared by default, both ways timed, the other retried now and then, switching only for a clear margin', () => {
    const policy = new SharePolicy();
    const run = (ms: (shared: boolean, call: number) => number, calls: number): number => {
      let sharedCalls = 0;
      for (let i = 0; i < calls; i++) {
        const shared = policy.shouldShare('s');
        if (shared) sharedCalls++;
        policy.record('s', shared, ms(shared, i));
      }
      return sharedCalls;
    };
    assert.equal(run(() => 100, 2), 2, 'the first (untimed) calls are shared');
    assert.equal(run((shared) => (shared ? 2 : 1), 6), 3, 'then three timed runs each way');
    const slowShared = run((shared) => (shared ? 2 : 1), 320);
    assert.ok(slowShared >= 35 && slowShared <= 45, `mostly single when sharing is slower, sharing retried once every 8 calls (${slowShared} of 320 shared)`);
    const fastShared = run((shared) => (shared ? 0.5 : 1), 320);
    assert.ok(fastShared >= 290, `mostly shared once it is faster, within three retries (${fastShared} of 320)`);
    // Noise within the margin does not flip the choice: shared runs 1.1× the single time now and then.
    const noisy = run((shared, i) => (shared ? (i % 4 === 0 ? 1.1 : 0.9) : 1), 320);
    assert.ok(noisy >= 300, `sharing kept through noise within the margin (${noisy} of 320)`);
    // Nor do lone stalls, however long: every seventh shared run takes 50× the single time.
    const stalls = run((shared, i) => (shared ? (i % 7 === 0 ? 50 : 0.5) : 1), 320);
    assert.ok(stalls >= 300, `sharing kept through lone stalls (${stalls} of 320)`);
    // Slowness that persists (a neighbour on the worker's core) switches to one thread within a few calls.
    const busy = run((shared) => (shared ? 3 : 1), 20);
    assert.ok(busy <= 5, `one thread within a few calls once sharing stays slow (${busy} of 20 shared)`);
  });
});
