// Errors that name the place, as exact lines: a one-class target, --layers '', a model too large for
// memory, values beyond float32 in train, eval and predict (file:line:column), hints that name CLI
// flags, binary files and control bytes, long lists cut with a count. Nothing is left behind.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliResult, listAll, runCli, show, tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('data-errors');
after(cleanup);

const rows = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');
const files: Record<string, string> = {
  'good.csv': `a,b,y\n${rows(40, (i) => `${i % 7},${(i * 3) % 5},${i % 2}`)}\n`,
  'one-class.csv': `x,label\n${rows(30, (i) => `${i % 7},yes`)}\n`,
  'huge-train.csv': `a,b,y\n1,2,0\n3,4,1\n5,1e308,0\n${rows(20, (i) => `${i},${i},${i % 2}`)}\n`,
  'huge-input.csv': 'a,b\n1,2\n1e39,4\n',
  'huge-labelled.csv': 'a,b,y\n1,2,0\n3,-1e39,1\n',
  'nan-input.csv': 'a,b\n1,2\n3,nan\n',
  'holes.csv': `a,b,y\n1,2,0\n3,,1\n${rows(20, (i) => `${i},${i},${i % 2}`)}\n`,
  'commas.csv': `a;b;y\n1,5;2;0\n${rows(20, (i) => `${i};${i};${i % 2}`)}\n`,
  'binary.csv': 'a,b,y\n\u0000\u0001\u0002,3,1\n',
  'escape.csv': 'a\u001b[2J,b\u009b,y\n1,2,0\n3,4,1\n',
  'wide.csv': `${rows(40, (i) => `c${i}`).replace(/\n/g, ',')},y\n${rows(40, () => '1').replace(/\n/g, ',')},0\n`,
  'tiny-class.csv': `x,label\n${rows(12, (i) => `${i},${i < 6 ? 'a' : i < 11 ? 'b' : 'c'}`)}\n`,
  'only-id.csv': `id,y\n${rows(30, (i) => `${i + 1},${i % 2}`)}\n`,
  'many-cities.csv': `a,city\n${rows(30, (i) => `${i},town${i}`)}\n`,
};

interface Case {
  name: string;
  args: string[];
  line: string;
}

const cases: Case[] = [
  {
    name: 'a one-class target', args: ['train', 'one-class.csv'],
    line: "downhill: error: the target 'label' has a single class ('yes' on all 30 rows), so there is nothing to learn; classification needs at least two classes (check --target, or --task regression for a numeric target) (one-class.csv)",
  },
  { name: "--layers ''", args: ['train', 'good.csv', '--layers', ''], line: "downhill: error: --layers is empty; give comma-separated hidden layer sizes such as 128,64, or 'none' for no hidden layer" },
  {
    name: 'a model too large for memory', args: ['train', 'good.csv', '--layers', '1e6,1e6', '--backend', 'wasm'],
    line: "downhill: error: the model is too large for memory: --layers 1000000,1000000 on 2 inputs makes 1,000,006,000,002 parameters, about 14.6 TiB to train (weights, gradients, optimizer state), more than the wasm backend's 4.00 GiB heap allows; use smaller --layers",
  },
  {
    name: 'train: a value beyond float32', args: ['train', 'huge-train.csv'],
    line: `downhill: error: column 2 'b' has the value "1e308", beyond the float32 range (±3.4e38) that features and targets are stored in; values must be finite numbers (leave a cell empty to mark it missing) (huge-train.csv:4:2)`,
  },
  {
    name: 'predict: a value beyond float32', args: ['predict', 'run', 'huge-input.csv'],
    line: `downhill: error: column 1 'a' has the value "1e39", beyond the float32 range (±3.4e38) that features and targets are stored in; values must be finite numbers (leave a cell empty to mark it missing) (huge-input.csv:3:1)`,
  },
  {
    name: 'eval: a value beyond float32', args: ['eval', 'run', 'huge-labelled.csv'],
    line: `downhill: error: column 2 'b' has the value "-1e39", beyond the float32 range (±3.4e38) that features and targets are stored in; values must be finite numbers (leave a cell empty to mark it missing) (huge-labelled.csv:3:2)`,
  },
  {
    name: 'predict: NaN', args: ['predict', 'run', 'nan-input.csv'],
    line: `downhill: error: column 2 'b' has the non-finite value "nan"; values must be finite numbers (leave a cell empty to mark it missing) (nan-input.csv:3:2)`,
  },
  {
    name: 'a missing value: the hint names --missing', args: ['train', 'holes.csv'],
    line: "downhill: error: missing value in column 2 'b' (use --missing drop, mean or zero to handle missing values) (holes.csv:3:2)",
  },
  {
    name: 'a decimal comma read with --decimal .: the hint names --decimal', args: ['train', 'commas.csv', '--decimal', '.'],
    line: `downhill: error: column 1 'a' is numeric but has the non-numeric value "1,5" (use --decimal , to read decimal commas) (commas.csv:2:1)`,
  },
  {
    name: 'a class too small to split: flags, not library options', args: ['train', 'tiny-class.csv'],
    line: "downhill: error: cannot split the data: class 'c' (label 2) has 1 sample, too few to appear in each of the 3 requested splits (train, val, test); use a smaller --val-split or --test-split, or more data (tiny-class.csv)",
  },
  { name: 'a binary file', args: ['train', 'binary.csv'], line: 'downhill: error: the file has a NUL byte on line 2: it looks like a binary file, not CSV text (binary.csv:2:1)' },
  {
    name: 'control bytes in column names are escaped', args: ['train', 'escape.csv', '--target', 'nope'],
    line: "downhill: error: unknown target column 'nope'; available columns: a\\u001b[2J, b\\u009b, y (escape.csv:1:1)",
  },
  {
    name: 'a long column list is cut with a count', args: ['train', 'wide.csv', '--target', 'price'],
    line: "downhill: error: unknown target column 'price'; available columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, … (31 more) (wide.csv:1:1)",
  },
  {
    name: 'every column left out: the hint names --features', args: ['train', 'only-id.csv'],
    line: "downhill: error: no feature columns: the file has only the target column 'y' and columns left out ('id') (use --features id to use them) (only-id.csv:1:1)",
  },
  {
    name: '--features naming an unknown column', args: ['train', 'good.csv', '--features', 'a,z'],
    line: "downhill: error: unknown feature column 'z'; available columns: a, b, y (good.csv:1:1)",
  },
  { name: '--drop on a bundled dataset', args: ['train', 'iris', '--drop', 'sepal_length'], line: "downhill: error: --drop applies to CSV files only; 'iris' is a bundled dataset with its own columns" },
  { name: '--class-weight on regression', args: ['train', 'linear', '--class-weight', 'balanced'], line: 'downhill: error: --class-weight applies to classification only' },
];

let before_: string[];

before(async () => {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = await runCli(['train', 'good.csv', '--epochs', '2', '--out', 'run', '-q'], dir);
  assert.equal(r.code, 0, show(r));
  before_ = listAll(dir);
});

test('each bad input is one exact line on stderr, exit 1, nothing on stdout, nothing written', async () => {
  const results: CliResult[] = [];
  for (let i = 0; i < cases.length; i += 4) results.push(...(await Promise.all(cases.slice(i, i + 4).map((c) => runCli(c.args, dir)))));
  cases.forEach((c, i) => {
    const r = results[i];
    assert.equal(r.stderr, `${c.line}\n`, `${c.name}: ${show(r)}`);
    assert.equal(r.code, 1, `${c.name}: ${show(r)}`);
    assert.equal(r.stdout, '', c.name);
    assert.doesNotMatch(r.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `${c.name}: no raw control bytes`);
  });
  assert.deepEqual(listAll(dir), before_, 'no run folder or partial file was left behind');
});

test('unseen categories at predict: all-zero encoding and one warning whose list is cut with a count', async () => {
  const train = await runCli(['train', 'many-cities.csv', '--target', 'a', '--categorical', 'city', '--epochs', '2', '--out', 'cities', '-q'], dir);
  assert.equal(train.code, 0, show(train));
  writeFileSync(join(dir, 'new-cities.csv'), `city\n${rows(12, (i) => `village${i}`)}\n`);
  const p = await runCli(['predict', 'cities', 'new-cities.csv'], dir);
  assert.equal(p.code, 0, show(p));
  assert.equal(p.stderr, `downhill: warning: column 1 'city': 12 rows (first on line 2) hold categories not seen in training ("village0", "village1", "village2", "village3", "village4", … (7 more)); encoded as all zeros in its 21 one-hot features\n`);
  const predictions = p.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[1]);
  assert.equal(new Set(predictions).size, 1, 'every row encodes the same (all zeros), so every prediction is the same');
});
