// ReduceLROnPlateau: hand-worked sequences and an independent transcription of PyTorch's scheduler.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RNG, tensor } from '../../src/index.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauOptions, SGD, cosineAnnealingLR } from '../../src/optim/index.js';

const makeOpt = (lr = 1, groups = 1) =>
  new SGD(Array.from({ length: groups }, () => ({ params: [tensor([0], { dtype: 'float64', requiresGrad: true })] })), { lr });

/** Feeds the metrics; returns the learning rate after each step. */
function run(opts: ReduceLROnPlateauOptions, metrics: number[], lr = 1): number[] {
  const opt = makeOpt(lr);
  const plateau = new ReduceLROnPlateau(opt, opts);
  return metrics.map((m) => {
    plateau.step(m);
    return opt.getLearningRate();
  });
}

/** torch.optim.lr_scheduler.ReduceLROnPlateau, written out plainly. */
function reference(o: Required<Omit<ReduceLROnPlateauOptions, 'minLr'>> & { minLr: number }, metrics: number[], lr0: number): number[] {
  let lr = lr0;
  let best = o.mode === 'min' ? Infinity : -Infinity;
  let bad = 0;
  let cooldown = 0;
  const better = (a: number) =>
    o.mode === 'min'
      ? o.thresholdMode === 'rel' ? a < best * (1 - o.threshold) : a < best - o.threshold
      : o.thresholdMode === 'rel' ? a > best * (o.threshold + 1) : a > best + o.threshold;
  return metrics.map((m) => {
    if (better(m)) {
      best = m;
      bad = 0;
    } else bad += 1;
    if (cooldown > 0) {
      cooldown -= 1;
      bad = 0;
    }
    if (bad > o.patience) {
      const next = Math.max(lr * o.factor, o.minLr);
      if (lr - next > o.eps) lr = next;
      cooldown = o.cooldown;
      bad = 0;
    }
    return lr;
  });
}

const close = (a: number[], b: number[]) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-12 * b[i] + 1e-300, `step ${i}: got ${v}, expected ${b[i]}`));

describe('ReduceLROnPlateau', () => {
  test('patience: reduces once the bad count exceeds it', () => {
    close(run({ patience: 2, factor: 0.5 }, [10, 9, 9, 9, 9, 9, 9, 9]), [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
    close(run({ patience: 0, factor: 0.5 }, [10, 11]), [1, 0.5]);
  });

  test('cooldown: bad steps are ignored while it runs', () => {
    close(run({ patience: 0, factor: 0.5, cooldown: 2 }, [5, 6, 6, 6, 6, 6]), [1, 0.5, 0.5, 0.5, 0.25, 0.25]);
  });

  test('minLr floors the learning rate; a step that would change nothing is skipped', () => {
    const opt = makeOpt(1);
    const plateau = new ReduceLROnPlateau(opt, { patience: 0, minLr: 0.05 });
    const reduced = [3, 4, 4, 4].map((m) => plateau.step(m));
    assert.deepEqual(reduced, [false, true, true, false]);
    near(opt.getLearningRate(), 0.05);
  });

  test('threshold: relative vs absolute, min vs max', () => {
    close(run({ patience: 0, threshold: 0.1 }, [10, 9.5]), [1, 0.1]); // 9.5 is not < 10·0.9
    close(run({ patience: 0, threshold: 0.1, thresholdMode: 'abs' }, [10, 9.5]), [1, 1]); // 9.5 < 10 − 0.1
    close(run({ patience: 0, mode: 'max' }, [1, 2, 1.5]), [1, 1, 0.1]);
  });

  test('matches the PyTorch transcription on noisy metrics, for several settings', () => {
    const rng = new RNG(3);
    const metrics = Array.from({ length: 150 }, (_, i) => 10 / (1 + i / 20) + rng.normal() * 0.3);
    const settings: Array<Required<Omit<ReduceLROnPlateauOptions, 'minLr'>> & { minLr: number }> = [
      { mode: 'min', factor: 0.5, patience: 3, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8 },
      { mode: 'min', factor: 0.3, patience: 1, threshold: 0.05, thresholdMode: 'abs', cooldown: 2, minLr: 1e-3, eps: 1e-8 },
      { mode: 'max', factor: 0.7, patience: 2, threshold: 0.01, thresholdMode: 'rel', cooldown: 1, minLr: 0.01, eps: 1e-8 },
    ];
    for (const s of settings) {
      const expected = reference(s, metrics, 0.2);
      const actual = run(s, metrics, 0.2);
      assert.ok(new Set(expected).size > 2, 'the run should reduce the lr several times');
      close(actual, expected);
    }
  });

  test('scales a schedule and every group, with per-group minLr', () => {
    const opt = new SGD([
      { params: [tensor([0], { dtype: 'float64', requiresGrad: true })], lr: cosineAnnealingLR(1, { tMax: 100 }) },
      { params: [tensor([0], { dtype: 'float64', requiresGrad: true })], lr: 0.1 },
    ], { lr: 0.1 });
    const plateau = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5, minLr: [0, 0.08] });
    plateau.step(1);
    plateau.step(2);
    assert.equal(opt.paramGroups[0].lrScale, 0.5);
    near(opt.getLearningRate(0), 0.5);
    near(opt.getLearningRate(1), 0.08);
    near(opt.getLearningRate(0, 50), 0.25 * (1 + Math.cos(Math.PI / 2)));
  });

  test('stateDict round trip continues identically', () => {
    const metrics = [5, 4, 4.5, 4.6, 4.2, 4.1, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8];
    const opts: ReduceLROnPlateauOptions = { patience: 1, cooldown: 1, factor: 0.5 };
    const straight = run(opts, metrics);
    const opt = makeOpt();
    const a = new ReduceLROnPlateau(opt, opts);
    metrics.slice(0, 5).forEach((m) => a.step(m));
    const saved = JSON.parse(JSON.stringify({ plateau: a.stateDict(), opt: opt.stateDict() }));
    const opt2 = makeOpt();
    opt2.loadStateDict(saved.opt);
    const b = new ReduceLROnPlateau(opt2, { patience: 50 });
    b.loadStateDict(saved.plateau);
    assert.equal(b.best, 4);
    const rest = metrics.slice(5).map((m) => {
      b.step(m);
      return opt2.getLearningRate();
    });
    assert.deepEqual(rest, straight.slice(5));
    assert.ok(new Set(straight).size > 2);
  });

  test('options are validated', () => {
    assert.throws(() => new ReduceLROnPlateau(makeOpt(), { factor: 1 }), /ReduceLROnPlateau: factor must be in \[0, 1\), got 1/);
    assert.throws(() => new ReduceLROnPlateau(makeOpt(), { patience: -1 }), /patience must be an integer ≥ 0, got -1/);
    assert.throws(() => new ReduceLROnPlateau(makeOpt(), { mode: 'up' as 'min' }), /mode must be one of 'min', 'max', got "up"/);
    assert.throws(() => new ReduceLROnPlateau(makeOpt(1, 2), { minLr: [0] }), /minLr has 1 values but the optimizer has 2 param groups/);
  });
});

function near(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected) + 1e-15, `got ${actual}, expected ${expected}`);
}
