import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NON_TRAIN_KEYS, SETTINGS, SETTING_KEYS, checkSetting, defaultState, isTrainSetting, trainSettings, updateState, type State } from '../../web/state.js';
import { stateFromQuery, stateToQuery } from '../../web/url.js';

test('the default state has every setting at its default and an empty query', () => {
  const s = defaultState();
  assert.deepEqual(Object.keys(s), SETTING_KEYS);
  assert.equal(stateToQuery(s), '');
  assert.deepEqual(stateFromQuery('').state, s);
  assert.deepEqual(stateFromQuery('').problems, []);
});

test('defaults are within their own ranges and options', () => {
  for (const key of SETTING_KEYS) {
    const r = checkSetting(key, SETTINGS[key].default);
    assert.equal(r.problem, undefined, `${key}: ${r.problem}`);
  }
});

test('state ⇄ URL round trip for every field type', () => {
  const { state } = updateState(defaultState(), {
    view: 'train', // enum
    n: 1000, // int
    lr: 0.0123, // number (log slider)
    noise: 0, // number at its minimum
    standardize: false, // bool
    dGD: false,
    hidden: [16, 4, 2], // intList
    csvTarget: 'price & tax=ünïcode #1', // string needing escapes
    dStartW: -1.25,
    dStartB: 1e-7,
  });
  const query = stateToQuery(state);
  assert.match(query, /view=train/);
  assert.match(query, /hidden=16%2C4%2C2/);
  assert.match(query, /standardize=0/);
  const back = stateFromQuery(query);
  assert.deepEqual(back.problems, []);
  assert.deepEqual(back.state, state);
  assert.equal(stateToQuery(back.state), query, 'stable');
  assert.deepEqual(stateFromQuery('?' + query).state, state, 'a leading ? is fine');
  assert.deepEqual(stateFromQuery('#' + query).state, state, 'so is a hash');
});

test('an empty hidden-layer list (a linear model) round-trips', () => {
  const { state } = updateState(defaultState(), { hidden: [] });
  const back = stateFromQuery(stateToQuery(state));
  assert.deepEqual(back.state.hidden, []);
});

test('invalid URL values are clamped or replaced by the default, each with a reason', () => {
  const { state, problems } = stateFromQuery('lr=50&n=3&batch=2.6&optimizer=lbfgs&dGD=maybe&noise=abc&hidden=8,999,abc&bogus=1&maxEpochs=');
  assert.equal(state.lr, 10);
  assert.equal(state.n, 20);
  assert.equal(state.batch, 3);
  assert.equal(state.optimizer, SETTINGS.optimizer.default);
  assert.equal(state.dGD, true);
  assert.equal(state.noise, SETTINGS.noise.default);
  assert.deepEqual(state.hidden, [8, 8]);
  assert.equal(state.maxEpochs, SETTINGS.maxEpochs.default);
  const text = problems.join('\n');
  assert.match(text, /lr 50 is above the maximum 10; clamped to 10/);
  assert.match(text, /n 3 is below the minimum 20; clamped to 20/);
  assert.match(text, /batch 2\.6 is not a whole number; rounded to 3/);
  assert.match(text, /optimizer: "lbfgs" is not one of gd, sgd, momentum/);
  assert.match(text, /dGD: "maybe" is not a boolean/);
  assert.match(text, /noise: "abc" is not a finite number/);
  assert.match(text, /hidden: "8,999,abc" is not a list of whole numbers/);
  assert.match(text, /unknown setting 'bogus' ignored/);
  assert.equal(problems.length, 9);
});

test('list elements are clamped and the length capped, with a reason', () => {
  const r = checkSetting('hidden', '0, 8 ,100,4,4,4');
  assert.deepEqual(r.value, [1, 8, 64, 4]);
  assert.match(r.problem!, /0 clamped to 1; 100 clamped to 64; only the first 4 kept/);
  const tooLong = checkSetting('csvTarget', 'x'.repeat(150));
  assert.equal((tooLong.value as string).length, 100);
});

test('updateState checks typed values from the controls too', () => {
  const { state, problems } = updateState(defaultState(), { lr: -1, fullBatch: true, activation: 'relu' });
  assert.equal(state.lr, 1e-5);
  assert.equal(state.fullBatch, true);
  assert.equal(state.activation, 'relu');
  assert.equal(problems.length, 1);
});

test('the train settings are exactly the data, model, train and stop groups', () => {
  const t = trainSettings(defaultState());
  for (const key of SETTING_KEYS) {
    assert.equal(key in t, isTrainSetting(key), key);
    assert.equal(isTrainSetting(key), !(NON_TRAIN_KEYS as readonly string[]).includes(key), key);
  }
});

test('every setting has a label; numbers have sane ranges', () => {
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key];
    assert.ok(spec.label.length > 0);
    if (spec.type === 'number' || spec.type === 'int') assert.ok(spec.min < spec.max, key);
    if (spec.type === 'number' && spec.step === 'log') assert.ok(spec.min > 0, `${key}: a log slider needs min > 0`);
  }
  const s: State = defaultState();
  assert.equal(s.view, 'descent');
  assert.equal(s.surface, 'ravine');
  assert.equal(s.dataset, 'moons');
});
