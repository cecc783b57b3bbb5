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
