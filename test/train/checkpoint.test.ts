import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RNG, SGD, Adam, mlp, moduleFromSpec, predict, randn, tensor, encodeCheckpoint, decodeCheckpoint, encodeSafetensors,
  decodeSafetensors, CheckpointError, SafetensorsError, crossEntropyLoss, type ModuleSpec, type Module,
} from '../../src/index.js';

/** A minimal safetensors reader written from the format's description, independent of the library. */
function readSafetensors(bytes: Uint8Array): Record<string, { dtype: string; shape: number[]; values: number[] }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const out: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = info.data_offsets;
    const values: number[] = [];
    const width = info.dtype === 'F64' ? 8 : 4;
    for (let at = 8 + n + begin; at < 8 + n + end; at += width) {
      values.push(info.dtype === 'F32' ? view.getFloat32(at, true) : info.dtype === 'F64' ? view.getFloat64(at, true) : view.getInt32(at, true));
    }
    out[name] = { dtype: info.dtype, shape: info.shape, values };
  }
  return out;
}

function trainedModelAndOptimizer() {
  const rng = new RNG(4);
  const model = mlp([3, 5, 2], { activation: 'relu', rng });
  const optimizer = new Adam(model.namedParameters(), { lr: 0.01 });
  const x = randn([8, 3], { rng });
  const labels = new Int32Array([0, 1, 1, 0, 1, 0, 0, 1]);
  for (let i = 0; i < 3; i++) {
    optimizer.zeroGrad();
    crossEntropyLoss(model.forward(x), labels).backward();
    optimizer.step();
  }
  return { model, optimizer, x };
}

test('a checkpoint round-trips: same architecture, weights, optimizer state and predictions', () => {
  const { model, optimizer, x } = trainedModelAndOptimizer();
  const bytes = encodeCheckpoint({
    modelSpec: model.toSpec(), weights: model.stateDict(),
    optimizer: { name: 'adam', options: { lr: 0.01 }, state: optimizer.stateDict() },
    preprocessing: { scaler: null, classNames: ['a', 'b'] }, info: { note: 'test' },
  });
  const back = decodeCheckpoint(bytes, 'model.safetensors');
  const model2 = moduleFromSpec(back.modelSpec as ModuleSpec, { rng: new RNG(99) });
  model2.loadStateDict(back.weights);
  assert.deepEqual(Array.from(predict(model2, x).data), Array.from(predict(model, x).data));
  const optimizer2 = new Adam(model2.namedParameters(), { lr: 0.01 });
  optimizer2.loadStateDict(back.optimizer!.state);
  assert.equal(optimizer2.stepCount, 3);
  assert.deepEqual(back.preprocessing, { scaler: null, classNames: ['a', 'b'] });
  // An independent reader sees the same weights under their dotted names.
  const raw = readSafetensors(bytes);
  for (const [name, t] of Object.entries(model.stateDict())) {
    assert.deepEqual(raw[`model.${name}`].shape, [...t.shape]);
    assert.deepEqual(raw[`model.${name}`].values, Array.from(t.data));
  }
  assert.ok(Object.keys(raw).some((k) => k.startsWith('optimizer.layers.0.weight.')), 'optimizer state stored as tensors');
});

test('safetensors: float32, float64 and int32 tensors and metadata round-trip; data is 8-byte aligned', () => {
  const tensors = { a: tensor([[1.5, -2], [3, 4]]), b: tensor(new Float64Array([Math.PI])), c: tensor(new Int32Array([7, -8, 9])) };
  const bytes = encodeSafetensors(tensors, { hello: 'world' });
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLength) % 8, 0);
  const back = decodeSafetensors(bytes);
  assert.deepEqual(back.metadata, { hello: 'world' });
  for (const [k, t] of Object.entries(tensors)) {
    assert.equal(back.tensors[k].dtype, t.dtype);
    assert.deepEqual(back.tensors[k].toArray(), t.toArray());
  }
});

test('truncated, corrupt or foreign files are rejected with a clear message', () => {
  const { model } = trainedModelAndOptimizer();
  const bytes = encodeCheckpoint({ modelSpec: model.toSpec(), weights: model.stateDict() });
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 10), 'ck.safetensors'), (e: Error) => e instanceof CheckpointError && /ck\.safetensors: truncated/.test(e.message));
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, 5), 'ck.safetensors'), /too short/);
  const badJson = bytes.slice();
  badJson[8] = 0x5b; // '[' instead of the header's opening '{' breaks the JSON
  assert.throws(() => decodeCheckpoint(badJson, 'x'), (e: Error) => e instanceof CheckpointError && /not valid UTF-8 JSON/.test(e.message));
  const huge = bytes.slice();
  new DataView(huge.buffer).setBigUint64(0, 10n ** 12n, true);
  assert.throws(() => decodeCheckpoint(huge, 'x'), /exceeds/);
  const foreign = encodeSafetensors({ w: tensor([1, 2]) });
  assert.throws(() => decodeCheckpoint(foreign, 'other.safetensors'), /not a downhill checkpoint/);
  // A header whose offsets overlap is refused before any data is read.
  const header = JSON.stringify({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } });
  const h = new TextEncoder().encode(header);
  const overlap = new Uint8Array(8 + h.length + 4);
  new DataView(overlap.buffer).setBigUint64(0, BigInt(h.length), true);
  overlap.set(h, 8);
  assert.throws(() => decodeSafetensors(overlap, 'o'), (e: Error) => e instanceof SafetensorsError && /gap or overlap/.test(e.message));
  const wrongSize = JSON.stringify({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } });
  const w = new TextEncoder().encode(wrongSize);
  const ws = new Uint8Array(8 + w.length + 4);
  new DataView(ws.buffer).setBigUint64(0, BigInt(w.length), true);
  ws.set(w, 8);
  assert.throws(() => decodeSafetensors(ws, 'w'), /span 4 bytes but dtype and shape need 8/);
});

test('SGD state in a checkpoint resumes the momentum buffers exactly', () => {
  const rng = new RNG(1);
  const model = mlp([2, 3, 1], { rng });
  const opt = new SGD(model.namedParameters(), { lr: 0.1, momentum: 0.9 });
  const x = randn([4, 2], { rng });
  const step = (m: Module, o: SGD) => {
    o.zeroGrad();
    m.forward(x).square().mean().backward();
    o.step();
  };
  step(model, opt);
  const back = decodeCheckpoint(encodeCheckpoint({ modelSpec: model.toSpec(), weights: model.stateDict(), optimizer: { name: 'sgd', options: {}, state: opt.stateDict() } }));
  const model2 = moduleFromSpec(back.modelSpec as ModuleSpec);
  model2.loadStateDict(back.weights);
  const opt2 = new SGD(model2.namedParameters(), { lr: 0.1, momentum: 0.9 });
  opt2.loadStateDict(back.optimizer!.state);
  step(model, opt);
  step(model2, opt2);
  assert.deepEqual(model2.namedParameters().map(([, p]) => Array.from(p.data)), model.namedParameters().map(([, p]) => Array.from(p.data)));
});

test('trainingWeights round-trip apart from the model weights, as resume.<param> tensors', () => {
  const { model } = trainedModelAndOptimizer();
  const weights = model.stateDict();
  const last = Object.fromEntries(Object.entries(weights).map(([k, t]) => [k, tensor(Array.from(t.data, (v) => v + 1), { shape: t.shape })]));
  const bytes = encodeCheckpoint({ modelSpec: model.toSpec(), weights, trainingWeights: last });
  assert.ok(Object.keys(decodeSafetensors(bytes).tensors).some((k) => k.startsWith('resume.')));
  const back = decodeCheckpoint(bytes);
  for (const [k, t] of Object.entries(weights)) {
    assert.deepEqual(back.weights[k].toArray(), t.toArray());
    assert.deepEqual(back.trainingWeights![k].toArray(), last[k].toArray());
  }
  assert.equal(decodeCheckpoint(encodeCheckpoint({ modelSpec: model.toSpec(), weights })).trainingWeights, undefined);
});
