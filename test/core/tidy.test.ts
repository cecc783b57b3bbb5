// tidy(): which tensors a scope keeps and releases, that released ones fail loudly, that training
// inside scopes gives the same numbers as outside, and (on the wasm backend) that a step's memory
// is reused at once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Adam, Linear, RNG, ReleasedTensorError, SGD, Tensor, ValueError, getBackend, keep, linear, matmul, mul, relu, reshape,
  square, sum, tensor, tidy, crossEntropyLoss, where,
} from '../../src/index.js';
import { WasmBackend } from '../../src/backend/wasm/backend.js';

const values = (t: Tensor): number[] => Array.from(t.data);

describe('tidy scopes', () => {
  test('tensors made in the scope and not returned are released; using one throws and says why', () => {
    let inside: Tensor | null = null;
    const out = tidy(() => {
      inside = mul(tensor([1, 2, 3]), 2);
      return sum(inside);
    });
    assert.deepEqual(values(out), [12]);
    assert.equal(out.isReleased, false);
    const leaked = inside as unknown as Tensor;
    assert.equal(leaked.isReleased, true);
    assert.throws(() => leaked.data, (e: unknown) => e instanceof ReleasedTensorError && /tidy\(\) scope/.test(e.message) && /\[3\]/.test(e.message));
    assert.throws(() => sum(leaked), ReleasedTensorError);
    assert.match(leaked.toString(), /released/);
    assert.equal(leaked.size, 3);
  });

  test('a returned tensor keeps the graph it came from, so backward still runs through it', () => {
    const w = tensor([0.5, -1, 2], { requiresGrad: true });
    const loss = tidy(() => sum(square(mul(w, tensor([1, 2, 3])))));
    loss.backward();
    // d/dw Σ (w·c)² = 2 w c²
    assert.deepEqual(values(w.grad!), [1, -8, 36]);
  });

  test('a returned tensor keeps what its backward needs besides the graph: where()\'s condition and zeros, the fused loss\'s probabilities', () => {
    const a = tensor([1, -2, 3], { requiresGrad: true });
    const b = tensor([4, 5, 6], { requiresGrad: true });
    const picked = tidy(() => sum(mul(where(tensor([1, 0, 1]), a, b), tensor([1, 2, 3]))));
    picked.backward();
    assert.deepEqual(values(a.grad!), [1, 0, 3]);
    assert.deepEqual(values(b.grad!), [0, 2, 0]);

    const w = tensor([[0.5, -1], [2, 0.25], [-0.5, 1]], { requiresGrad: true });
    const x = tensor([[1, 2], [3, -1]]);
    const labels = new Int32Array([2, 0]);
    const kept = tidy(() => crossEntropyLoss(matmul(x, w.transpose(0, 1)), labels));
    kept.backward();
    const direct = tensor(w.data, { shape: [3, 2], requiresGrad: true });
    crossEntropyLoss(matmul(x, direct.transpose(0, 1)), labels).backward();
    assert.deepEqual(values(w.grad!), values(direct.grad!));
  });

  test('tensors inside returned arrays, plain objects and Maps are kept', () => {
    const r = tidy(() => {
      const a = tensor([1]);
      return { list: [a, mul(a, 2)], nested: { b: mul(a, 3) }, map: new Map([['c', mul(a, 4)]]) };
    });
    assert.deepEqual([r.list[0], r.list[1], r.nested.b, r.map.get('c')!].map((t) => t.data[0]), [1, 2, 3, 4]);
  });

  test('keep() keeps a tensor stored outside; outside any scope it does nothing', () => {
    let stored: Tensor | null = null;
    tidy(() => {
      stored = keep(mul(tensor([2, 3]), 10));
    });
    assert.deepEqual(values(stored as unknown as Tensor), [20, 30]);
    const t = tensor([1]);
    assert.equal(keep(t), t);
  });

  test('gradients a backward in the scope left on parameters survive; zeroGrad inside releases them', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    tidy(() => sum(square(w)).backward());
    assert.deepEqual(values(w.grad!), [2, 4]);
    const opt = new SGD([w], { lr: 0.1 });
    let old: Tensor | null = null;
    tidy(() => {
      opt.zeroGrad();
      sum(square(w)).backward();
      old = w.grad;
      opt.step();
      opt.zeroGrad();
    });
    assert.equal(w.grad, null);
    assert.equal((old as unknown as Tensor).isReleased, true);
    assert.deepEqual(values(w), [Math.fround(1 - 0.2), Math.fround(2 - 0.4)]);
  });

  test('parameters created inside a scope are kept, with their gradients', () => {
    const layer = tidy(() => {
      const l = new Linear(3, 2, { rng: new RNG(1) });
      sum(l.forward(tensor([[1, 2, 3]]))).backward();
      return l;
    });
    for (const p of layer.parameters()) {
      assert.equal(p.isReleased, false);
      assert.equal(p.grad!.isReleased, false);
    }
    assert.deepEqual(values(layer.parameters()[1].grad!), [1, 1]);
  });

  test('a view of an outside tensor made in the scope is released; the outside tensor is not', () => {
    const outside = tensor([1, 2, 3, 4]);
    let view: Tensor | null = null;
    tidy(() => {
      view = reshape(outside, [2, 2]);
    });
    assert.equal((view as unknown as Tensor).isReleased, true);
    assert.deepEqual(values(outside), [1, 2, 3, 4]);
  });

  test('scopes nest: what an inner scope returns belongs to the outer one', () => {
    let innerKept: Tensor | null = null;
    let innerDropped: Tensor | null = null;
    const out = tidy(() => {
      innerKept = tidy(() => {
        innerDropped = mul(tensor([1, 2]), 3);
        return sum(innerDropped);
      });
      assert.equal((innerDropped as unknown as Tensor).isReleased, true);
      assert.equal((innerKept as unknown as Tensor).isReleased, false);
      return mul(innerKept, 2);
    });
    assert.deepEqual(values(out), [18]);
    assert.equal((innerKept as unknown as Tensor).isReleased, true);
  });

  test('a throwing function releases its tensors, rethrows, and leaves no scope open', () => {
    let made: Tensor | null = null;
    assert.throws(() => tidy(() => {
      made = tensor([1, 2]);
      throw new Error('boom');
    }), /boom/);
    assert.equal((made as unknown as Tensor).isReleased, true);
    const after = tensor([5]);
    tidy(() => mul(after, 2));
    assert.deepEqual(values(after), [5]);
  });

  test('an async function is refused', () => {
    assert.throws(() => tidy(async () => tensor([1])), (e: unknown) => e instanceof ValueError && /synchronous/.test(e.message));
  });

  test('training in scopes gives the same numbers as without them (optimizer state survives)', () => {
    const run = (scoped: boolean, make: (p: Tensor[]) => SGD | Adam): number[] => {
      const w1 = tensor(Array.from({ length: 12 }, (_, i) => Math.sin(i + 1) / 2), { shape: [4, 3], requiresGrad: true });
      const b1 = tensor([0.1, -0.1, 0, 0.2], { requiresGrad: true });
      const w2 = tensor(Array.from({ length: 12 }, (_, i) => Math.cos(i) / 2), { shape: [3, 4], requiresGrad: true });
      const params = [w1, b1, w2];
      const opt = make(params);
      const x = tensor(Array.from({ length: 15 }, (_, i) => (i % 7) / 3 - 1), { shape: [5, 3] });
      const y = new Int32Array([0, 2, 1, 1, 0]);
      const losses: number[] = [];
      const step = (): void => {
        opt.zeroGrad();
        const loss = crossEntropyLoss(matmul(relu(linear(x, w1, b1)), w2.transpose(0, 1)), y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      };
      for (let s = 0; s < 5; s++) {
        if (scoped) tidy(step);
        else step();
      }
      return [...losses, ...params.flatMap((p) => Array.from(p.data))];
    };
    for (const make of [(p: Tensor[]) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }), (p: Tensor[]) => new Adam(p, { lr: 0.01 })]) {
      assert.deepEqual(run(true, make), run(false, make));
    }
  });
});

describe('tidy on the wasm backend', { skip: !(getBackend() instanceof WasmBackend) }, () => {
  test('a step in a scope hands its memory back at once: the next step reuses the same blocks', () => {
    const heap = (getBackend() as WasmBackend).heap;
    const w = tensor(Array.from({ length: 64 }, (_, i) => i / 64), { shape: [8, 8], requiresGrad: true });
    const addresses: number[] = [];
    const step = (): void => {
      const x = tensor(Array.from({ length: 32 }, (_, i) => i), { shape: [4, 8] });
      addresses.push(x.data.byteOffset);
      // One axis: a sum over several leaves intermediate arrays to the collector, not to the scope.
      sum(reshape(relu(matmul(x, w)), [32])).backward();
      w.grad = null;
    };
    tidy(step);
    const live = heap.liveBytes;
    for (let s = 0; s < 5; s++) tidy(step);
    assert.equal(heap.liveBytes, live, 'no memory held past each step');
    assert.equal(new Set(addresses.slice(1)).size, 1, `the input reused one block: ${addresses.join(', ')}`);
  });

  test('the fused softmax cross-entropy\'s saved probabilities go back with the step too', () => {
    const heap = (getBackend() as WasmBackend).heap;
    const w = tensor(Array.from({ length: 80 }, (_, i) => Math.sin(i)), { shape: [10, 8], requiresGrad: true });
    const labels = new Int32Array([3, 1, 4, 1]);
    const step = (): void => {
      const x = tensor(Array.from({ length: 32 }, (_, i) => i / 32), { shape: [4, 8] });
      crossEntropyLoss(matmul(x, w.transpose(0, 1)), labels).backward();
      w.grad = null;
    };
    tidy(step);
    const live = heap.liveBytes;
    for (let s = 0; s < 5; s++) tidy(step);
    assert.equal(heap.liveBytes, live, 'no memory held past each step');
  });
});
