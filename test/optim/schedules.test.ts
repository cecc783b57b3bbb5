// Schedules against PyTorch's closed forms (written out here) and values worked out by hand.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Schedule, constantLR, cosineAnnealingLR, cosineAnnealingWarmRestarts, exponentialLR, inverseScalingLR,
  linearWarmup, multiStepLR, oneCycleLR, polynomialLR, sequentialSchedules, stepLR,
} from '../../src/optim/index.js';

function near(actual: number, expected: number, what: string, rel = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-15, `${what}: got ${actual}, expected ${expected}`);
}

function table(s: Schedule, rows: Array<[number, number]>, what: string): void {
  for (const [t, lr] of rows) near(s(t), lr, `${what} at step ${t}`);
}

describe('closed forms', () => {
  test('constantLR', () => table(constantLR(0.3), [[0, 0.3], [1000, 0.3]], 'constant'));

  test('stepLR: lr·γ^⌊t/stepSize⌋', () => {
    table(stepLR(0.1, { stepSize: 3 }), [[0, 0.1], [2, 0.1], [3, 0.01], [5, 0.01], [6, 0.001]], 'stepLR');
    const s = stepLR(2, { stepSize: 4, gamma: 0.5 });
    for (let t = 0; t < 20; t++) near(s(t), 2 * 0.5 ** Math.floor(t / 4), `stepLR t=${t}`);
  });

  test('multiStepLR: γ per milestone reached; repeated milestones count twice', () => {
    table(multiStepLR(1, { milestones: [5, 2], gamma: 0.5 }), [[0, 1], [1, 1], [2, 0.5], [4, 0.5], [5, 0.25], [100, 0.25]], 'multiStepLR');
    table(multiStepLR(1, { milestones: [3, 3], gamma: 0.1 }), [[2, 1], [3, 0.01]], 'repeated milestone');
  });

  test('exponentialLR and inverseScalingLR', () => {
    table(exponentialLR(2, { gamma: 0.5 }), [[0, 2], [3, 0.25]], 'exponential');
    table(inverseScalingLR(1, { decay: 1, power: 0.5 }), [[0, 1], [3, 0.5], [8, 1 / 3]], 'invscaling');
    const s = inverseScalingLR(0.4, { decay: 0.01, power: 0.75 });
    for (const t of [0, 7, 100, 12345]) near(s(t), 0.4 / (1 + 0.01 * t) ** 0.75, `invscaling t=${t}`);
  });

  test('polynomialLR: PyTorch PolynomialLR, plus an end value', () => {
    table(polynomialLR(1, { totalSteps: 4, power: 2 }), [[0, 1], [1, 0.5625], [2, 0.25], [4, 0], [10, 0]], 'polynomial');
    table(polynomialLR(1.1, { totalSteps: 10, endLr: 0.1 }), [[0, 1.1], [5, 0.6], [10, 0.1], [50, 0.1]], 'polynomial endLr');
  });

  test('cosineAnnealingLR: ηmin + (lr − ηmin)(1 + cos πt/T)/2, periodic after T as in PyTorch', () => {
    table(cosineAnnealingLR(1, { tMax: 10 }), [[0, 1], [5, 0.5], [10, 0], [15, 0.5], [20, 1]], 'cosine');
    table(cosineAnnealingLR(1, { tMax: 10, etaMin: 0.1 }), [[5, 0.55], [10, 0.1]], 'cosine etaMin');
    const s = cosineAnnealingLR(0.05, { tMax: 7, etaMin: 0.001 });
    for (let t = 0; t < 30; t++) near(s(t), 0.001 + ((0.05 - 0.001) * (1 + Math.cos((Math.PI * t) / 7))) / 2, `cosine t=${t}`);
  });
});

describe('cosineAnnealingWarmRestarts', () => {
  test('hand-worked values with t0 = 2, tMult = 2 (cycles of 2, 4, 8 steps)', () => {
    table(cosineAnnealingWarmRestarts(1, { t0: 2, tMult: 2 }), [
      [0, 1], [1, 0.5], [2, 1], [3, (1 + Math.SQRT1_2) / 2], [4, 0.5], [6, 1], [10, 0.5], [14, 1],
    ], 'SGDR');
    table(cosineAnnealingWarmRestarts(1, { t0: 3, etaMin: 0.2 }), [[0, 1], [3, 1], [4, 0.2 + 0.8 * 0.75], [7, 0.2 + 0.8 * 0.75]], 'SGDR tMult 1');
  });

  test('matches PyTorch step by step (T_cur += 1; restart when T_cur ≥ T_i) for 200 steps', () => {
    for (const [t0, tMult] of [[5, 1], [3, 2], [2, 3]]) {
      const s = cosineAnnealingWarmRestarts(0.1, { t0, tMult, etaMin: 0.01 });
      let tCur = 0;
      let tI = t0;
      for (let t = 0; t < 200; t++) {
        if (t > 0) {
          tCur += 1;
          if (tCur >= tI) {
            tCur -= tI;
            tI *= tMult;
          }
        }
        near(s(t), 0.01 + ((0.1 - 0.01) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2, `t0=${t0} tMult=${tMult} t=${t}`);
      }
    }
  });

  test('matches PyTorch\'s logarithmic closed form away from restarts', () => {
    const s = cosineAnnealingWarmRestarts(1, { t0: 3, tMult: 2 });
    for (const t of [4, 5, 7, 10, 13, 22, 40]) {
      const n = Math.floor(Math.log((t / 3) * (2 - 1) + 1) / Math.log(2));
      const tCur = t - (3 * (2 ** n - 1)) / (2 - 1);
      near(s(t), (1 + Math.cos((Math.PI * tCur) / (3 * 2 ** n))) / 2, `log form t=${t}`);
    }
  });
});

describe('composition', () => {
  test('linearWarmup then cosine: a ramp to then(0), then the shifted cosine', () => {
    const s = linearWarmup(4, cosineAnnealingLR(1, { tMax: 10 }));
    table(s, [[0, 0], [1, 0.25], [2, 0.5], [3, 0.75], [4, 1], [9, 0.5], [14, 0]], 'warmup+cosine');
    for (let t = 4; t < 14; t++) assert.ok(s(t + 1) < s(t), `decreasing after warmup at ${t}`);
    table(linearWarmup(4, constantLR(0.2), { startFactor: 0.5 }), [[0, 0.1], [2, 0.15], [4, 0.2]], 'startFactor');
    table(linearWarmup(0, constantLR(0.2)), [[0, 0.2]], 'no warmup');
  });

  test('sequentialSchedules restarts each schedule at its milestone', () => {
    const s = sequentialSchedules([constantLR(0.1), exponentialLR(1, { gamma: 0.5 }), constantLR(7)], [3, 6]);
    table(s, [[0, 0.1], [2, 0.1], [3, 1], [5, 0.25], [6, 7], [60, 7]], 'sequential');
  });
});

describe('oneCycleLR (PyTorch OneCycleLR values)', () => {
  const cos = (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1);

  test('two phases, cos, hand-worked: 0.04 → 1 over steps 0..2, then → 4e-6 at step 9', () => {
    const s = oneCycleLR({ maxLr: 1, totalSteps: 10 });
    table(s, [[0, 0.04], [1, 0.52], [2, 1], [9, 4e-6]], 'one cycle');
    for (let t = 3; t <= 10; t++) near(s(t), cos(1, 4e-6, (t - 2) / 7), `one cycle t=${t}`);
    assert.throws(() => s(11), /oneCycleLR: tried to step 11 times; totalSteps is 10/);
  });

  test('linear annealing and custom factors', () => {
    const s = oneCycleLR({ maxLr: 0.5, totalSteps: 100, pctStart: 0.25, divFactor: 10, finalDivFactor: 100, annealStrategy: 'linear' });
    // initial 0.05, min 5e-4; phase ends at 24 and 99.
    table(s, [[0, 0.05], [12, 0.05 + 0.45 * (12 / 24)], [24, 0.5], [99, 5e-4]], 'linear');
    near(s(60), 0.5 + (5e-4 - 0.5) * (36 / 75), 'linear t=60');
  });

  test('three phases', () => {
    const s = oneCycleLR({ maxLr: 1, totalSteps: 20, pctStart: 0.25, threePhase: true });
    // ends at 4 (→ max), 8 (→ initial), 19 (→ min)
    table(s, [[0, 0.04], [4, 1], [6, 0.52], [8, 0.04], [19, 4e-6]], 'three phase');
    near(s(12), cos(0.04, 4e-6, 4 / 11), 'three phase t=12');
  });
});

describe('schedule options are validated', () => {
  test('messages name the value', () => {
    assert.throws(() => stepLR(0.1, { stepSize: 0 }), /stepLR: stepSize must be an integer ≥ 1, got 0/);
    assert.throws(() => exponentialLR(-1, { gamma: 0.9 }), /exponentialLR: lr must be ≥ 0, got -1/);
    assert.throws(() => cosineAnnealingLR(0.1, { tMax: 2.5 }), /cosineAnnealingLR: tMax must be an integer ≥ 1, got 2\.5/);
    assert.throws(() => cosineAnnealingWarmRestarts(0.1, { t0: 2, tMult: 0 }), /tMult must be an integer ≥ 1, got 0/);
    assert.throws(() => oneCycleLR({ maxLr: 1, totalSteps: 10, pctStart: 1.5 }), /oneCycleLR: pctStart must be in \[0, 1\], got 1\.5/);
    assert.throws(() => oneCycleLR({ maxLr: 1, totalSteps: 10, annealStrategy: 'exp' as 'cos' }), /annealStrategy must be one of 'cos', 'linear', got "exp"/);
    assert.throws(() => sequentialSchedules([constantLR(1), constantLR(2)], []), /2 schedules need 1 milestones, got 0/);
    assert.throws(() => multiStepLR(1, { milestones: [1, -2] }), /multiStepLR: milestones\[1\] must be an integer ≥ 0, got -2/);
    assert.throws(() => linearWarmup(3, constantLR(1), { startFactor: 2 }), /linearWarmup: startFactor must be in \[0, 1\], got 2/);
  });
});
