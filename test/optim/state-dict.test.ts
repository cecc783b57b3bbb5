// Checkpoints: save after 5 steps, pass through JSON, load into a fresh optimizer, continue — the
// result must equal an uninterrupted run bit for bit.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor, tensor } from '../../src/index.js';
import {
  Adagrad, Adam, AdamW, type OptimizerStateDict, RMSprop, SGD, cosineAnnealingLR, linearWarmup,
} from '../../src/optim/index.js';
import { type AnyOptimizer, makeMLP } from './harness.js';

type Make = (params: Array<[string, Tensor]>) => AnyOptimizer;

/** JSON for everything but tensors, which travel as { shape, data } (as a safetensors file would). */
function throughJSON(dict: OptimizerStateDict): OptimizerStateDict {
  const text = JSON.stringify(dict, (_k, v: unknown) => (v instanceof Tensor ? { tensorShape: v.shape, tensorData: Array.from(v.data) } : v));
  return JSON.parse(text, (_k, v: { tensorShape?: number[]; tensorData?: number[] }) =>
    v !== null && typeof v === 'object' && v.tensorShape !== undefined ? tensor(Float64Array.from(v.tensorData ?? []), { shape: v.tensorShape }) : v,
  ) as OptimizerStateDict;
}

function train(params: Array<[string, Tensor]>, loss: () => Tensor, opt: AnyOptimizer, steps: number): void {
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
}

const schedule = linearWarmup(2, cosineAnnealingLR(0.05, { tMax: 10 }));
const makers: Array<[string, Make]> = [
  ['SGD nesterov + schedule', (ps) => new SGD(ps, { lr: schedule, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adam amsgrad', (ps) => new Adam(ps, { lr: 0.02, amsgrad: true })],
  ['AdamW + schedule', (ps) => new AdamW(ps, { lr: schedule })],
  ['RMSprop centered + momentum', (ps) => new RMSprop(ps, { lr: 0.005, centered: true, momentum: 0.5 })],
  ['Adagrad lrDecay', (ps) => new Adagrad(ps, { lr: 0.1, lrDecay: 0.05, initialAccumulatorValue: 0.1 })],
  ['SGD two groups, one scaled', (ps) => {
    const opt = new SGD([{ params: ps.slice(0, 2), momentum: 0.9 }, { params: ps.slice(2), lr: 0.02 }], { lr: 0.1 });
    opt.setLrScale(1, 0.5);
    return opt;
  }],
];

describe('stateDict round trip is bit-exact', () => {
  for (const [label, make] of makers) {
    test(label, () => {
      const straight = makeMLP();
      train(straight.params, straight.loss, make(straight.params), 12);

      const first = makeMLP();
      const optA = make(first.params);
      train(first.params, first.loss, optA, 5);
      const saved = throughJSON(optA.stateDict());
      const weights = first.params.map(([, p]) => Float64Array.from(p.data));

      const second = makeMLP(); // same data; its weights are overwritten with the checkpoint's
      second.params.forEach(([, p], i) => p.data.fill(123).set(weights[i]));
      const optB = make(second.params);
      if (label.includes('scaled')) optB.setLrScale(1, 1);
      optB.loadStateDict(saved);
      assert.equal(optB.stepCount, 5);
      train(second.params, second.loss, optB, 7);

      second.params.forEach(([name, p], i) => {
        assert.deepEqual(Array.from(p.data), Array.from(straight.params[i][1].data), `${label}: ${name}`);
      });
    });
  }
});

describe('stateDict contents and loading checks', () => {
  test('state is keyed by parameter name, holds copies, and is JSON apart from tensors', () => {
    const { params, loss } = makeMLP();
    const opt = new Adam(params, { lr: 0.01 });
    loss().backward();
    opt.step();
    const dict = opt.stateDict();
    assert.deepEqual(Object.keys(dict.state), ['w1', 'b1', 'w2', 'b2']);
    assert.deepEqual(Object.keys(dict.state.w1), ['step', 'expAvg', 'expAvgSq']);
    assert.equal(dict.state.w1.step, 1);
    const m = dict.state.w1.expAvg as Tensor;
    assert.deepEqual(m.shape, [4, 3]);
    assert.deepEqual(dict.paramGroups[0].params, ['w1', 'b1', 'w2', 'b2']);
    assert.deepEqual(dict.paramGroups[0].options.betas, [0.9, 0.999]);
    const before = Array.from(m.data);
    opt.step();
    assert.deepEqual(Array.from(m.data), before, 'the saved tensor must not change with later steps');
    assert.equal(dict.stepCount, 1);
  });

  test('saved options replace the constructor\'s; a schedule is saved as "schedule"', () => {
    const { params } = makeMLP();
    const src = new SGD(params, { lr: 0.3, momentum: 0.5 });
    const dst = new SGD(params, { lr: 1 });
    dst.loadStateDict(src.stateDict());
    assert.equal(dst.paramGroups[0].options.lr, 0.3);
    assert.equal(dst.paramGroups[0].options.momentum, 0.5);
    const withSchedule = new SGD(params, { lr: schedule }).stateDict();
    assert.equal(withSchedule.paramGroups[0].options.lr, 'schedule');
    assert.throws(() => new SGD(params, { lr: 0.1 }).loadStateDict(withSchedule), /group 0 was saved with a learning-rate schedule/);
    const keeps = new SGD(params, { lr: schedule });
    keeps.loadStateDict(withSchedule);
    assert.equal(keeps.paramGroups[0].options.lr, schedule);
  });

  test('mismatches are reported and nothing is changed', () => {
    const { params, loss } = makeMLP();
    const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
    loss().backward();
    opt.step();
    const good = opt.stateDict();
    const target = new SGD(params, { lr: 0.7 });
    const bad = (edit: (d: OptimizerStateDict) => void): OptimizerStateDict => {
      const d = throughJSON(good);
      edit(d);
      return d;
    };
    assert.throws(() => target.loadStateDict(bad((d) => { d.state.w9 = d.state.w1; })), /the state has parameter 'w9', which this optimizer does not hold/);
    assert.throws(() => target.loadStateDict(bad((d) => { d.state.w1.momentumBuffer = tensor([1, 2], { dtype: 'float64' }); })), /state 'momentumBuffer' of parameter 'w1' has shape \[2\] but the parameter has shape \[4, 3\]/);
    assert.throws(() => target.loadStateDict(bad((d) => { d.state.w1.velocity = 1; })), /unknown state 'velocity' for parameter 'w1'/);
    assert.throws(() => target.loadStateDict(bad((d) => { d.paramGroups[0].params[1] = 'bias'; })), /group 0 holds parameters \[w1, bias, w2, b2\] in the state but \[w1, b1, w2, b2\] here/);
    assert.throws(() => target.loadStateDict(bad((d) => { d.paramGroups.push(d.paramGroups[0]); })), /the state has 2 param groups but this optimizer has 1/);
    assert.throws(() => target.loadStateDict(bad((d) => { d.paramGroups[0].options.momentum = -3; })), /SGD: momentum must be ≥ 0, got -3/);
    assert.equal(target.paramGroups[0].options.lr, 0.7);
    assert.equal(target.stepCount, 0);
    assert.equal(target.stateOf(params[0][1]), undefined);
  });
});
