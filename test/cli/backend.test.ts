// `--backend`: the wasm backend with fused multiply-add (the default where relaxed SIMD runs), its
// portable build (wasm-simd), and the reference js backend train the same run to the same metrics
// within float32 noise, and each says on its first line what it computes on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, show, tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('backend');
after(cleanup);

interface Summary {
  test: { loss: number; accuracy: number };
}

async function train(backend: string): Promise<{ firstLine: string; summary: Summary }> {
  const out = join(dir, backend);
  const r = await runCli(['train', 'iris', '--epochs', '40', '--seed', '1', '--backend', backend, '--threads', '1', '--out', out], dir);
  assert.equal(r.code, 0, show(r));
  return { firstLine: r.stdout.split('\n')[0], summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary };
}

test('--backend wasm (FMA), wasm-simd and js train iris to the same test metrics and name themselves', async () => {
  const fma = await train('wasm');
  const simd = await train('wasm-simd');
  const js = await train('js');
  assert.match(fma.firstLine, /; wasm backend, FMA\)/);
  assert.match(simd.firstLine, /; wasm backend\)/);
  assert.match(js.firstLine, /; js backend\)/);
  for (const other of [simd, js]) {
    assert.ok(Math.abs(fma.summary.test.loss - other.summary.test.loss) <= 1e-4 * other.summary.test.loss, `${fma.summary.test.loss} vs ${other.summary.test.loss}`);
    assert.equal(fma.summary.test.accuracy, other.summary.test.accuracy);
  }
  assert.ok(fma.summary.test.accuracy >= 0.9, `test accuracy ${fma.summary.test.accuracy}`);
});

test('an unknown --backend is refused with the choices', async () => {
  const r = await runCli(['train', 'iris', '--backend', 'gpu'], dir);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /wasm-simd/);
});
