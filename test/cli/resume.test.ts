// --resume continues a run exactly: 6 epochs in one go, and 3 + resume to 6 (with Adam, a step
// schedule, and early-stopping state in play), give identical metrics.csv rows and weights.
// A run interrupted with Ctrl-C mid-epoch resumes from its last complete epoch, just as exactly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { runCli, show, tempFolder } from './helpers.js';
import { readSafetensors } from './safetensors-reader.js';

const { dir, cleanup } = tempFolder('resume');
after(cleanup);

const common = ['--optimizer', 'adam', '--lr', '0.01', '--schedule', 'step:2:0.5', '--patience', '2', '--batch-size', '16', '--seed', '5', '-q'];

function assertSameTensors(a: string, b: string): void {
  const ta = readSafetensors(a).tensors;
  const tb = readSafetensors(b).tensors;
  assert.deepEqual([...ta.keys()].sort(), [...tb.keys()].sort());
  assert.ok([...ta.keys()].some((k) => k.startsWith('model.')));
  assert.ok([...ta.keys()].some((k) => k.startsWith('optimizer.')), 'the optimizer state is saved too');
  for (const [name, t] of ta) {
    assert.deepEqual(tb.get(name)!.shape, t.shape, name);
    assert.deepEqual(tb.get(name)!.data, t.data, `tensor ${name} differs`);
  }
}

test('train 6 epochs vs train 3 + resume to 6: identical metrics.csv rows and weights', async () => {
  const full = await runCli(['train', 'iris', '--epochs', '6', '--out', 'full', ...common], dir);
  assert.equal(full.code, 0, show(full));
  const part = await runCli(['train', 'iris', '--epochs', '3', '--out', 'part', ...common], dir);
  assert.equal(part.code, 0, show(part));
  assert.equal(readFileSync(join(dir, 'part', 'metrics.csv'), 'utf8').trim().split('\n').length, 4);
  // A crash after a metrics line was appended but before the checkpoint was replaced: resume drops it.
  appendFileSync(join(dir, 'part', 'metrics.csv'), '4,0.5,0.5,0.5,0.5,0.01,28\n');

  const changed = await runCli(['train', '--resume', 'part', '--epochs', '6', '--lr', '0.5'], dir);
  assert.equal(changed.code, 1, show(changed));
  assert.match(changed.stderr, /^downhill: error: --lr cannot change when resuming/);

  const resumed = await runCli(['train', '--resume', 'part', '--epochs', '6', '-q'], dir);
  assert.equal(resumed.code, 0, show(resumed));
  assert.equal(readFileSync(join(dir, 'part', 'metrics.csv'), 'utf8'), readFileSync(join(dir, 'full', 'metrics.csv'), 'utf8'));
  const epochs = (f: string): number[] => readFileSync(join(dir, f, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).epoch);
  assert.deepEqual(epochs('part'), [1, 2, 3, 4, 5, 6]);
  assertSameTensors(join(dir, 'full', 'checkpoint.safetensors'), join(dir, 'part', 'checkpoint.safetensors'));
  const summary = (f: string): { test: unknown } => JSON.parse(readFileSync(join(dir, f, 'summary.json'), 'utf8'));
  assert.deepEqual(summary('part').test, summary('full').test);

  const finished = await runCli(['train', '--resume', 'part'], dir);
  assert.equal(finished.code, 1);
  assert.match(finished.stderr, /already trained 6 epochs of 6; pass --epochs/);
});

test('Ctrl-C stops after the current batch, keeps the last complete epoch, and resume is exact', async () => {
  const args = ['train', 'linear', '--batch-size', '4', '--seed', '2', '--layers', '16'];
  const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args, '--epochs', '500', '--out', 'stopped'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let sent = false;
  const code = await new Promise<number | null>((resolve) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (!sent && /^epoch 2\/500 /m.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('close', resolve);
  });
  assert.equal(code, 130, `exit ${code}\n${stdout}\n${stderr}`);
  const m = /holds epoch (\d+)\. Continue with: downhill train --resume stopped/.exec(stderr);
  assert.ok(m, stderr);
  const saved = Number(m[1]);
  assert.ok(saved >= 2);
  assert.equal(readFileSync(join(dir, 'stopped', 'metrics.csv'), 'utf8').trim().split('\n').length, 1 + saved);

  const target = String(saved + 2);
  const resumed = await runCli(['train', '--resume', 'stopped', '--epochs', target, '-q'], dir);
  assert.equal(resumed.code, 0, show(resumed));
  const straight = await runCli([...args, '--epochs', target, '--out', 'straight', '-q'], dir);
  assert.equal(straight.code, 0, show(straight));
  assert.equal(readFileSync(join(dir, 'stopped', 'metrics.csv'), 'utf8'), readFileSync(join(dir, 'straight', 'metrics.csv'), 'utf8'));
  assertSameTensors(join(dir, 'straight', 'checkpoint.safetensors'), join(dir, 'stopped', 'checkpoint.safetensors'));
});
