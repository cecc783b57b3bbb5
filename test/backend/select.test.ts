// useBackend: the one call that picks the fast backend where it exists and falls back otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getBackend, setBackend, tensor, useBackend, ValueError } from '../../src/index.js';

test('useBackend switches between js and wasm; tensors made before a switch stay usable', async (t) => {
  const before = getBackend().name;
  t.after(() => setBackend(before));
  const a = tensor([1, 2, 3]);
  assert.equal(await useBackend('js'), 'js');
  assert.equal(getBackend().name, 'js');
  // Node 20 has WebAssembly SIMD and SharedArrayBuffer: auto and wasm both end on wasm.
  assert.equal(await useBackend('auto'), 'wasm');
  assert.equal(getBackend().name, 'wasm');
  assert.equal(await useBackend('wasm'), 'wasm');
  assert.deepEqual(a.add(1).toFlatArray(), [2, 3, 4]);
  await assert.rejects(useBackend('gpu' as 'js'), ValueError);
});

test("auto's fallback to js says once, on console.warn, why and which headers enable wasm", async (t) => {
  const before = getBackend().name;
  t.after(() => setBackend(before));
  const warn = t.mock.method(console, 'warn', () => {});
  // A page that is not cross-origin isolated has no SharedArrayBuffer; a backend name not yet
  // started makes useBackend try to start one.
  const shared = globalThis.SharedArrayBuffer;
  Reflect.deleteProperty(globalThis, 'SharedArrayBuffer');
  try {
    assert.equal(await useBackend('auto', { name: 'wasm-unisolated' }), 'js');
    assert.equal(await useBackend('auto', { name: 'wasm-unisolated' }), 'js');
    await assert.rejects(useBackend('wasm', { name: 'wasm-unisolated' }), /SharedArrayBuffer is not available/);
  } finally {
    globalThis.SharedArrayBuffer = shared;
  }
  assert.equal(warn.mock.callCount(), 1);
  const message = String(warn.mock.calls[0].arguments[0]);
  assert.match(message, /TypeScript backend \('js'\): SharedArrayBuffer is not available/);
  assert.match(message, /Cross-Origin-Opener-Policy: same-origin/);
  assert.match(message, /Cross-Origin-Embedder-Policy: require-corp/);
});
