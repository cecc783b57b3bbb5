// No dead ends: a run resumed after its best epoch was put back continues from its last weights
// and equals the straight run bit for bit; a run that ended by early stopping refuses to resume;
// eval finds the held-out rows of a moved training file by its SHA-256 and refuses clearly when the
// file is gone; --missing mean fills with training-row statistics only.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RNG, parseCsv, trainValTestSplit } from '../../src/index.js';
import { runCli, show, tempFolder } from './helpers.js';
import { readSafetensors } from './safetensors-reader.js';

const { dir, cleanup } = tempFolder('dead-ends');
after(cleanup);

function assertSameTensors(a: string, b: string): void {
  const ta = readSafetensors(a).tensors;
  const tb = readSafetensors(b).tensors;
  assert.deepEqual([...ta.keys()].sort(), [...tb.keys()].sort());
  for (const [name, t] of ta) assert.deepEqual(tb.get(name)!.data, t.data, `tensor ${name} differs`);
}

const summaryOf = (run: string): { epochs: number; bestEpoch: number; restoredEpoch: number | null; stopReason: { rule: string; epoch: number; message: string } } =>
  JSON.parse(readFileSync(join(dir, run, 'summary.json'), 'utf8'));

/** Noisy labels on two features, so that validation loss turns up and early stopping fires. */
function noisyCsv(n: number, rng: RNG): string {
  const lines = ['u,v,label'];
  for (let i = 0; i < n; i++) {
    const u = rng.uniformRange(-1, 1);
    const v = rng.uniformRange(-1, 1);
    const label = (u + v > 0) !== (rng.uniform() < 0.2) ? 'up' : 'down';
    lines.push(`${u.toFixed(3)},${v.toFixed(3)},${label}`);
  }
  return `${lines.join('\n')}\n`;
}

before(() => {
  writeFileSync(join(dir, 'noisy.csv'), noisyCsv(300, new RNG(31)));
});

const common = ['noisy.csv', '--patience', '3', '--optimizer', 'adam', '--lr', '0.03', '--layers', '64,64', '--seed', '4', '-q'];

test('resume after the best epoch was put back: N + M epochs equal N + M straight, bit for bit', async () => {
  const straight = await runCli(['train', ...common, '--epochs', '200', '--out', 'straight'], dir);
  assert.equal(straight.code, 0, show(straight));
  const s = summaryOf('straight');
  assert.equal(s.stopReason.rule, 'earlyStopping', 'the straight run stops early');
  const best = s.bestEpoch;
  const stop = s.stopReason.epoch;
  // The first part stops between the best epoch and the early stop: it ends by maxEpochs with the
  // best epoch's weights put back, while training must go on from its own last weights.
  const cut = best + 1;
  assert.ok(best < cut && cut < stop, `best ${best}, cut ${cut}, stop ${stop}`);
  const part = await runCli(['train', ...common, '--epochs', String(cut), '--out', 'part'], dir);
  assert.equal(part.code, 0, show(part));
  assert.equal(summaryOf('part').restoredEpoch, best);
  const saved = readSafetensors(join(dir, 'part', 'checkpoint.safetensors')).tensors;
  const resumeKeys = [...saved.keys()].filter((k) => k.startsWith('resume.'));
  assert.ok(resumeKeys.length > 0, 'the last weights are kept apart from the restored best ones');
  assert.ok(resumeKeys.some((k) => saved.get(k)!.data.some((v, i) => v !== saved.get(`model.${k.slice(7)}`)!.data[i])));

  const resumed = await runCli(['train', '--resume', 'part', '--epochs', '200', '-q'], dir);
  assert.equal(resumed.code, 0, show(resumed));
  assert.equal(readFileSync(join(dir, 'part', 'metrics.csv'), 'utf8'), readFileSync(join(dir, 'straight', 'metrics.csv'), 'utf8'));
  assertSameTensors(join(dir, 'straight', 'checkpoint.safetensors'), join(dir, 'part', 'checkpoint.safetensors'));
  assert.equal(summaryOf('part').stopReason.message, s.stopReason.message);

  // The straight run ended by early stopping: a longer run would end there too, so it does not resume.
  const again = await runCli(['train', '--resume', 'straight', '--epochs', '300'], dir);
  assert.equal(again.code, 1, show(again));
  assert.equal(again.stderr, `downhill: error: the run already ended at epoch ${stop}: ${s.stopReason.message}; resuming cannot train it further, as a longer run would have stopped at the same epoch (${join('straight', 'checkpoint.safetensors')})\n`);
});

test('eval on a moved training file finds its held-out rows by SHA-256; without it, it refuses clearly', async () => {
  writeFileSync(join(dir, 'moving.csv'), noisyCsv(200, new RNG(32)));
  const r = await runCli(['train', 'moving.csv', '--epochs', '5', '--out', 'moving', '-q'], dir);
  assert.equal(r.code, 0, show(r));
  const before = await runCli(['eval', 'moving', '--json'], dir);
  assert.equal(before.code, 0, show(before));
  assert.equal(JSON.parse(before.stdout).samples, 40);

  // From another folder, the recorded absolute path still finds it.
  mkdirSync(join(dir, 'elsewhere'));
  const far = await runCli(['eval', join('..', 'moving'), '--json'], join(dir, 'elsewhere'));
  assert.equal(far.code, 0, show(far));
  assert.deepEqual(JSON.parse(far.stdout).metrics, JSON.parse(before.stdout).metrics);
  assert.match(far.stderr, /^downhill: note: the training data 'moving\.csv' was found at .*moving\.csv$/m);

  mkdirSync(join(dir, 'archive'));
  renameSync(join(dir, 'moving.csv'), join(dir, 'archive', 'moved.csv'));
  const gone = await runCli(['eval', 'moving'], dir);
  assert.equal(gone.code, 1, show(gone));
  assert.match(gone.stderr, /^downhill: error: the training data 'moving\.csv' is not where it was \(nor at .*moving\.csv\), and its held-out rows can only be found in it; pass the file where it is now \(downhill eval moving <file>\): it is recognised by its SHA-256 [0-9a-f]{12}… \(moving[\\/]checkpoint\.safetensors\)\n$/);

  const moved = await runCli(['eval', 'moving', join('archive', 'moved.csv'), '--json'], dir);
  assert.equal(moved.code, 0, show(moved));
  const m = JSON.parse(moved.stdout);
  assert.equal(m.samples, 40, 'the held-out rows only, not the whole file');
  assert.deepEqual(m.metrics, JSON.parse(before.stdout).metrics);
  assert.equal(moved.stderr, `downhill: note: ${join('archive', 'moved.csv')} is the data the run was trained on (the same SHA-256): scoring its held-out test split only, not the rows the model learnt from\n`);

  // A different file of labelled rows is new data: every row is scored.
  writeFileSync(join(dir, 'fresh.csv'), noisyCsv(50, new RNG(33)));
  const fresh = await runCli(['eval', 'moving', 'fresh.csv', '--json'], dir);
  assert.equal(JSON.parse(fresh.stdout).samples, 50);
  // The training file changed in place: its held-out rows cannot be told apart, and eval says so.
  writeFileSync(join(dir, 'moving.csv'), noisyCsv(60, new RNG(34)));
  const changed = await runCli(['eval', 'moving'], dir);
  assert.equal(changed.code, 1, show(changed));
  assert.match(changed.stderr, /^downhill: error: the data file differs from the one the run was trained on \(SHA-256 [0-9a-f]{12}… instead of [0-9a-f]{12}…\), so its held-out rows cannot be found; pass the original file \(moving\.csv\)\n$/);
  const all = await runCli(['eval', 'moving', 'moving.csv'], dir);
  assert.equal(all.code, 0, show(all));
  assert.match(all.stderr, /^downhill: warning: moving\.csv has changed since the run was trained on it \(its SHA-256 differs\), so its held-out rows cannot be told apart: scoring all its rows, which may include training rows$/m);
  assert.match(all.stdout, /^moving\.csv \(60 samples\): accuracy /);
});

test('--missing mean fills a column with the mean of the training rows, not of every row', async () => {
  // Column a has holes, and its largest values sit in rows that may land in any split.
  const rng = new RNG(35);
  const lines = ['a,b,y'];
  for (let i = 0; i < 100; i++) {
    const a = i % 9 === 0 ? '' : i % 10 === 0 ? '1000' : (rng.uniformRange(0, 10)).toFixed(2);
    lines.push(`${a},${rng.uniformRange(0, 1).toFixed(3)},${(rng.uniformRange(0, 5)).toFixed(2)}`);
  }
  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(dir, 'holes.csv'), text);
  const r = await runCli(['train', 'holes.csv', '--missing', 'mean', '--epochs', '2', '--out', 'holes', '-q'], dir);
  assert.equal(r.code, 0, show(r));
  const meta = JSON.parse(readSafetensors(join(dir, 'holes', 'checkpoint.safetensors')).metadata.downhill);
  const fill = meta.preprocessing.csvEncoding.columns.find((c: { name: string }) => c.name === 'a').fill as number;
  // The run's split (val 0.1, test 0.2, seed 0), rebuilt with the library: which lines are training rows.
  const parsed = parseCsv(text, { target: 'y', missing: 'zero' });
  const train = trainValTestSplit(parsed.dataset, { val: 0.1, test: 0.2, seed: 0 }).indices.train;
  const values = (keep: (line: number) => boolean): number[] => lines.slice(1).flatMap((l, i) => (keep(i + 2) && l.split(',')[0] !== '' ? [Number(l.split(',')[0])] : []));
  const trainLines = new Set(Array.from(train, (i) => parsed.lines[i]));
  const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
  const expected = mean(values((line) => trainLines.has(line)));
  const everyRow = mean(values(() => true));
  assert.ok(Math.abs(expected - everyRow) > 1, `the test needs the two means apart: ${expected} vs ${everyRow}`);
  assert.ok(Math.abs(fill - expected) < 1e-9, `fill ${fill}, training-row mean ${expected}, every-row mean ${everyRow}`);
});
