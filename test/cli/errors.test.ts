// Bad input: each case prints ONE line `downhill: error: <what> (<where>)` on stderr, exits 1 (2 for
// usage errors commander catches), prints no stack trace, and leaves no run folder or partial file.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type CliResult, listAll, runCli, show, tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('errors');
after(cleanup);

const files: Record<string, string> = {
  'empty.csv': '',
  'header.csv': 'a,b,y\n',
  'ragged.csv': 'a,b,y\n1,2,0\n3,4,1\n5,6\n7,8,1\n',
  'text.csv': 'a,b,y\n1,2,0\n3,4,1\n5,six,0\n7,8,1\n',
  'nan.csv': 'a,b,y\n1,2,0\n3,NaN,1\n',
  'inf.csv': 'a,b,y\n1,2,0\n3,4,1\n-Infinity,6,0\n',
  'tiny-class.csv': `x,label\n${Array.from({ length: 12 }, (_, i) => `${i},${i < 6 ? 'a' : i < 11 ? 'b' : 'c'}`).join('\n')}\n`,
  'good.csv': `a,b,y\n${Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2}`).join('\n')}\n`,
  'bad-config.json': '{"epochs": 3, "lr": "fast"}',
  'unknown-key.json': '{"epochs": 3, "learningRate": 0.1}',
  'not-json.json': '{"epochs": 3,',
  'afile': 'not a folder\n',
};

interface Case {
  name: string;
  args: string[];
  message: RegExp;
  where?: string;
  code?: number;
}

const cases: Case[] = [
  { name: 'missing data file', args: ['train', 'missing.csv'], message: /cannot read the data file: no such file/, where: 'missing.csv' },
  { name: 'empty file', args: ['train', 'empty.csv'], message: /the file is empty/, where: 'empty.csv:1:1' },
  { name: 'header only', args: ['train', 'header.csv'], message: /no data rows: the file has only the header/, where: 'header.csv:2:1' },
  { name: 'ragged row', args: ['train', 'ragged.csv'], message: /row has 2 fields but the header has 3/, where: 'ragged.csv:4:3' },
  { name: 'non-numeric value', args: ['train', 'text.csv', '--target', 'y'], message: /column 2 'b' is numeric but has the non-numeric value "six"/, where: 'text.csv:4:2' },
  { name: 'NaN', args: ['train', 'nan.csv'], message: /non-finite value "NaN"/, where: 'nan.csv:3:2' },
  { name: 'Inf', args: ['train', 'inf.csv'], message: /non-finite value "-Infinity"/, where: 'inf.csv:4:1' },
  { name: 'unknown target column', args: ['train', 'good.csv', '--target', 'price'], message: /unknown target column 'price'; available columns: a, b, y/, where: 'good.csv:1:1' },
  { name: 'class too small to stratify', args: ['train', 'tiny-class.csv'], message: /cannot split the data: class 'c' .*has 1 sample, too few/, where: 'tiny-class.csv' },
  { name: '--batch-size 0', args: ['train', 'good.csv', '--batch-size', '0'], message: /--batch-size must be an integer ≥ 1 or 'full', got "0"/ },
  { name: '--batch-size larger than the training data', args: ['train', 'good.csv', '--batch-size', '29'], message: /--batch-size 29 is larger than the training split \(28 samples\)/ },
  { name: 'negative --lr', args: ['train', 'iris', '--lr', '-0.1'], message: /--lr must be a number > 0, got -0\.1/ },
  { name: 'non-numeric --lr', args: ['train', 'iris', '--lr', 'fast'], message: /--lr must be a number > 0, got "fast"/ },
  { name: 'unknown optimizer', args: ['train', 'iris', '--optimizer', 'lbfgs'], message: /--optimizer must be one of sgd, momentum, nesterov, adam, adamw, rmsprop, adagrad; got "lbfgs"/ },
  { name: 'unknown dataset', args: ['train', 'imagenet'], message: /'imagenet' is neither a file nor a bundled dataset/ },
  { name: 'bad schedule', args: ['train', 'iris', '--schedule', 'step:0'], message: /--schedule "step:0": the step size in epochs must be an integer ≥ 1/ },
  { name: 'loss that does not fit the task', args: ['train', 'iris', '--loss', 'mse'], message: /--loss mse does not fit a classification task/ },
  { name: 'bad value in --config', args: ['train', 'iris', '--config', 'bad-config.json'], message: /'lr' must be a number > 0, got "fast"/, where: 'bad-config.json' },
  { name: 'unknown key in --config', args: ['train', 'iris', '--config', 'unknown-key.json'], message: /unknown option 'learningRate' in the config file/, where: 'unknown-key.json' },
  { name: 'invalid JSON in --config', args: ['train', 'iris', '--config', 'not-json.json'], message: /the config file is not valid JSON/, where: 'not-json.json' },
  { name: 'output folder under a file', args: ['train', 'iris', '--out', join('afile', 'run')], message: /cannot create the output folder: a part of the path is a file/, where: join('afile', 'run') },
  { name: 'output folder that cannot be created', args: ['train', 'iris', '--out', '/proc/downhill-run'], message: /cannot create the output folder/, where: '/proc/downhill-run' },
  { name: 'missing checkpoint', args: ['eval', 'nowhere'], message: /no such checkpoint file or run folder/, where: 'nowhere' },
  { name: 'truncated checkpoint (eval)', args: ['eval', 'truncated.safetensors'], message: /corrupt or truncated checkpoint: truncated: /, where: 'truncated.safetensors' },
  { name: 'truncated checkpoint (predict)', args: ['predict', 'truncated.safetensors', 'good.csv'], message: /corrupt or truncated checkpoint/, where: 'truncated.safetensors' },
  { name: 'corrupt checkpoint header', args: ['eval', 'corrupt.safetensors'], message: /corrupt or truncated checkpoint: header is not valid UTF-8 JSON/, where: 'corrupt.safetensors' },
  { name: 'a CSV is not a checkpoint', args: ['predict', 'good.csv', 'good.csv'], message: /corrupt or truncated checkpoint/, where: 'good.csv' },
  { name: 'resume from a truncated checkpoint', args: ['train', '--resume', 'truncated.safetensors'], message: /corrupt or truncated checkpoint/, where: 'truncated.safetensors' },
  { name: 'predict input with a non-numeric value', args: ['predict', 'run', 'text.csv'], message: /column 2 'b' is numeric but has the non-numeric value "six"/, where: 'text.csv:4:2' },
  { name: 'predict input lacking a feature column', args: ['predict', 'run', 'tiny-class.csv'], message: /unknown feature column 'a'; available columns: x, label/, where: 'tiny-class.csv:1:1' },
  { name: 'unknown option (commander)', args: ['train', 'iris', '--learning-rate', '0.1'], message: /unknown option '--learning-rate'/, code: 2 },
  { name: 'bad choice (commander)', args: ['train', 'iris', '--task', 'ranking'], message: /argument 'ranking' is invalid/, code: 2 },
];

let before_: string[];

before(async () => {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  // A real run (on good.csv) to predict with, and its checkpoint truncated and with a damaged header.
  const r = await runCli(['train', 'good.csv', '--epochs', '2', '--out', 'run', '-q'], dir);
  assert.equal(r.code, 0, show(r));
  const bytes = readFileSync(join(dir, 'run', 'checkpoint.safetensors'));
  writeFileSync(join(dir, 'truncated.safetensors'), bytes.subarray(0, bytes.length - 100));
  const corrupt = Buffer.from(bytes);
  corrupt[12] = 0xff;
  writeFileSync(join(dir, 'corrupt.safetensors'), corrupt);
  before_ = listAll(dir);
});

test('every bad input gives one line on stderr, the right exit code, and writes nothing', async () => {
  // The cases are independent: run them a few at a time.
  const results: CliResult[] = [];
  for (let i = 0; i < cases.length; i += 4) results.push(...(await Promise.all(cases.slice(i, i + 4).map((c) => runCli(c.args, dir)))));
  cases.forEach((c, i) => {
    const r = results[i];
    const context = `${c.name}: ${show(r)}`;
    assert.equal(r.code, c.code ?? 1, context);
    assert.equal(r.stdout, '', context);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, context);
    assert.match(lines[0], /^downhill: error: /, context);
    assert.match(lines[0], c.message, context);
    if (c.where) assert.ok(lines[0].endsWith(` (${c.where})`), `${c.name}: expected location (${c.where}) in: ${lines[0]}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `${c.name}: no stack trace`);
  });
  assert.deepEqual(listAll(dir), before_, 'no run folder or partial file was left behind');
});

test('DOWNHILL_DEBUG=1 adds the stack trace', async () => {
  const r = await runCli(['train', 'empty.csv'], dir, { DOWNHILL_DEBUG: '1' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^\s+at /m);
  assert.match(r.stderr, /downhill: error: the file is empty/);
});
