// A run killed (SIGKILL) while it writes a checkpoint leaves a temporary file; the next run —
// a rerun of the same command when no checkpoint was complete yet, or --resume when one was —
// removes it and goes on. A model large enough that a checkpoint takes a while to write gives the
// kill time to land mid-write.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { runCli, show, tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('kill');
after(cleanup);

const MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const TEMP = /^\.checkpoint\.safetensors\.\d+\.\d+\.tmp$/;
const args = (out: string, epochs: number): string[] => ['train', 'iris', '--layers', '1200,1200', '--epochs', String(epochs), '--batch-size', '40', '--out', out, '-q'];
const temps = (folder: string): string[] => readdirSync(join(dir, folder)).filter((f) => f.endsWith('.tmp'));

/**
 * Starts a training run into `out` and SIGKILLs it as soon as it creates the temporary file of its
 * `nth` checkpoint; resolves once it is dead, telling whether the kill landed mid-write.
 */
async function killDuringCheckpoint(out: string, nth: number): Promise<boolean> {
  const folder = join(dir, out);
  mkdirSync(folder);
  const seen = new Set<string>();
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN, ...args(out, 5)], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const watcher = watch(folder, (_event, name) => {
    // Each checkpoint is written to a temporary file of its own name (events repeat while it grows).
    if (!name || !TEMP.test(name) || seen.has(name) || !existsSync(join(folder, name))) return;
    seen.add(name);
    if (seen.size === nth) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
  watcher.close();
  assert.equal(signal, 'SIGKILL', `the run ended by itself: ${stderr}`);
  return temps(out).length > 0;
}

/** Kills runs until one dies mid-write (a write can finish before the kill lands). */
async function killedMidWrite(name: string, nth: number): Promise<string> {
  for (let attempt = 1; attempt <= 4; attempt++) {
    const out = `${name}-${attempt}`;
    if (await killDuringCheckpoint(out, nth)) return out;
  }
  assert.fail(`no kill landed during checkpoint ${nth}'s write in 4 attempts`);
}

test('killed while writing its first checkpoint: the folder holds no checkpoint, and rerunning the same command cleans up and trains', async () => {
  const out = await killedMidWrite('first', 1);
  assert.ok(!existsSync(join(dir, out, 'checkpoint.safetensors')));
  const rerun = await runCli(args(out, 2), dir);
  assert.equal(rerun.code, 0, show(rerun));
  assert.deepEqual(temps(out), []);
  assert.equal(readFileSync(join(dir, out, 'metrics.csv'), 'utf8').trim().split('\n').length, 3);
  // --resume of such a folder starts its run from the beginning instead of refusing.
  const other = await killedMidWrite('first-resumed', 1);
  const resumed = await runCli(['train', '--resume', other, '--epochs', '2', '-q'], dir);
  assert.equal(resumed.code, 0, show(resumed));
  assert.match(resumed.stderr, /^downhill: warning: first-resumed-\d holds no checkpoint yet \(its run stopped before the first epoch ended\); starting that run from the beginning$/m);
  assert.deepEqual(temps(other), []);
  assert.equal(readFileSync(join(dir, other, 'metrics.csv'), 'utf8'), readFileSync(join(dir, out, 'metrics.csv'), 'utf8'));
});

test('killed while writing a later checkpoint: --resume removes the temporary file and continues from the last complete one', async () => {
  const out = await killedMidWrite('later', 2);
  assert.ok(existsSync(join(dir, out, 'checkpoint.safetensors')), 'the first checkpoint is complete');
  const resumed = await runCli(['train', '--resume', out, '--epochs', '3', '-q'], dir);
  assert.equal(resumed.code, 0, show(resumed));
  assert.deepEqual(temps(out), [], 'nothing is left behind');
  const epochs = readFileSync(join(dir, out, 'metrics.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0]));
  assert.deepEqual(epochs, [1, 2, 3]);
});
