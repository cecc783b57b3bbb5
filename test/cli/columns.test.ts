// Real-world CSV columns end to end, on files the test writes: an ID column and a date column
// (left out / turned into a number, as the column report says), a ;-separated file with decimal
// commas, column flags saved with the model and applied by predict and eval, an unseen category and
// a placeholder target at predict time. Held-out metrics must beat their baselines.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RNG } from '../../src/index.js';
import { runCli, show, tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('columns');
after(cleanup);

interface Summary {
  test: { accuracy: number; macro_f1: number; r2: number; rmse: number; mae: number; baseline: { metrics: Record<string, number> } };
}
const summaryOf = (run: string): Summary => JSON.parse(readFileSync(join(dir, run, 'summary.json'), 'utf8'));

/** Weather by day: id, date, station, temperature, humidity → rain (none / light / heavy, from humidity and temperature). */
function weatherCsv(n: number, rng: RNG, options: { from?: number; target?: (label: string) => string } = {}): string {
  const lines = ['id,date,station,temp,humidity,rain'];
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2021, 0, 1 + (options.from ?? 0) + i)).toISOString().slice(0, 10);
    const temp = rng.uniformRange(-5, 30);
    const humidity = rng.uniformRange(20, 100);
    const score = humidity - 0.8 * temp;
    const rain = score > 70 ? 'heavy' : score > 45 ? 'light' : 'none';
    const station = ['north', 'south', 'coast'][rng.int(3)];
    lines.push(`${1000 + (options.from ?? 0) + i},${day},${station},${temp.toFixed(1)},${humidity.toFixed(1)},${options.target ? options.target(rain) : rain}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Flat prices with decimal commas, ;-separated: 2.5 per m² + 10 per room + noise. */
function pricesCsv(n: number, rng: RNG): string {
  const lines = ['surface;rooms;district;price'];
  for (let i = 0; i < n; i++) {
    const surface = rng.uniformRange(20, 150);
    const rooms = 1 + rng.int(5);
    const district = ['alt', 'neu', 'ost'][rng.int(3)];
    const price = 2.5 * surface + 10 * rooms + (district === 'alt' ? 40 : 0) + 4 * rng.normal();
    lines.push(`${surface.toFixed(2).replace('.', ',')};${rooms};${district};${price.toFixed(2).replace('.', ',')}`);
  }
  return `${lines.join('\n')}\n`;
}

before(() => {
  writeFileSync(join(dir, 'weather.csv'), weatherCsv(400, new RNG(11)));
  writeFileSync(join(dir, 'prices.csv'), pricesCsv(300, new RNG(12)));
});

test('inspect: the ID column is left out, the date becomes days since 1970-01-01, each column with its counts', async () => {
  const r = await runCli(['inspect', 'weather.csv'], dir);
  assert.equal(r.code, 0, show(r));
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'weather.csv: 400 rows, 6 columns (delimiter \',\', decimal \'.\')');
  assert.match(r.stdout, /^ {2}id +id +0 +400 +1000 \| 1001 \| 1002 \| … +left out: ID-like$/m);
  assert.match(r.stdout, /^ {2}date +date \(ymd\) +0 +400 +2021-01-01 \| 2021-01-02 \| 2021-01-03 \| … +numeric: days since 1970-01-01$/m);
  assert.match(r.stdout, /^ {2}station +categorical +0 +3 +.* +one-hot: 3 features$/m);
  assert.match(r.stdout, /^ {2}rain +categorical +0 +3 +.* +target: classification, 3 classes: heavy \d+, light \d+, none \d+$/m);
  assert.match(r.stdout, /^training would see 6 features and the target 'rain' \(classification\)$/m);
  assert.match(r.stdout, /^ {2}column 1 'id' looks like an ID \(400 of 400 rows hold a value no other row has\): left out; --features, --categorical or --numeric id keeps it$/m);

  const json = await runCli(['inspect', 'weather.csv', '--drop', 'station', '--json'], dir);
  assert.equal(json.code, 0, show(json));
  const report = JSON.parse(json.stdout);
  assert.equal(report.features, 3, 'date, temp, humidity');
  assert.deepEqual(report.columns.map((c: { name: string; type: string; use: { as: string } }) => [c.name, c.type, c.use.as]), [
    ['id', 'id', 'left out'], ['date', 'date', 'date'], ['station', 'categorical', 'left out'], ['temp', 'numeric', 'numeric'],
    ['humidity', 'numeric', 'numeric'], ['rain', 'categorical', 'target'],
  ]);
});

test('train: the report and its warning come first; held-out accuracy and macro F1 beat the majority baseline', async () => {
  const r = await runCli(['train', 'weather.csv', '--epochs', '40', '--out', 'weather', '--seed', '1'], dir);
  assert.equal(r.code, 0, show(r));
  assert.ok(r.stdout.startsWith('weather.csv: 400 rows, 6 columns'), r.stdout.slice(0, 200));
  assert.equal(r.stderr, "downhill: warning: column 1 'id' looks like an ID (400 of 400 rows hold a value no other row has): left out; --features, --categorical or --numeric id keeps it\n");
  const { test: t } = summaryOf('weather');
  assert.ok(t.accuracy >= 0.85 && t.accuracy > t.baseline.metrics.accuracy + 0.3, `accuracy ${t.accuracy} vs baseline ${t.baseline.metrics.accuracy}`);
  assert.ok(t.macro_f1 > t.baseline.metrics.macro_f1 + 0.4, `macro F1 ${t.macro_f1} vs baseline ${t.baseline.metrics.macro_f1}`);
});

test('column flags are saved with the model; predict applies them, ignores the target column, zero-encodes an unseen category', async () => {
  const r = await runCli(['train', 'weather.csv', '--epochs', '30', '--out', 'nodate', '--drop', 'date', '--categorical', 'station', '--seed', '1', '-q'], dir);
  assert.equal(r.code, 0, show(r));
  const config = JSON.parse(readFileSync(join(dir, 'nodate', 'config.json'), 'utf8'));
  assert.deepEqual([config.drop, config.categorical, config.features, config.decimal], [['date'], ['station'], null, 'auto']);

  // New days with a placeholder target and a station the training rows never had.
  const fresh = weatherCsv(40, new RNG(99), { from: 500 }).replace(/,(north)(,[^,]*,[^,]*),(\w+)$/gm, ',harbour$2,$3');
  writeFileSync(join(dir, 'fresh.csv'), fresh.replace(/,(none|light|heavy)$/gm, ',TBD'));
  writeFileSync(join(dir, 'fresh-no-target.csv'), fresh.replace(/,(none|light|heavy)$/gm, '').replace(',rain\n', '\n'));
  const harbour = fresh.split('\n').filter((l) => l.includes(',harbour,')).length;
  assert.ok(harbour > 0);
  const p = await runCli(['predict', 'nodate', 'fresh.csv'], dir);
  assert.equal(p.code, 0, show(p));
  const firstHarbour = fresh.split('\n').findIndex((l) => l.includes(',harbour,')) + 1;
  assert.equal(p.stderr, `downhill: warning: column 3 'station': ${harbour} row${harbour === 1 ? '' : 's'} (first on line ${firstHarbour}) hold categories not seen in training ("harbour"); encoded as all zeros in its 3 one-hot features\n`);
  const without = await runCli(['predict', 'nodate', 'fresh-no-target.csv'], dir);
  assert.equal(without.code, 0, show(without));
  const predictions = (csv: string): string[] => csv.trim().split('\n').slice(1).map((l) => l.split(',').slice(-4).join(','));
  assert.deepEqual(predictions(p.stdout), predictions(without.stdout), 'the target column does not change a prediction');
  // Scored against the truth, the new days are still classified well.
  const truth = weatherCsv(40, new RNG(99), { from: 500 }).trim().split('\n').slice(1).map((l) => l.split(',')[5]);
  const predicted = p.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[6]);
  assert.ok(predicted.filter((c, i) => c === truth[i]).length >= 32, `${predicted.join(' ')}`);
});

test("a ;-separated file with decimal commas: numbers read as numbers; R², RMSE and MAE beat predicting the training mean", async () => {
  const r = await runCli(['train', 'prices.csv', '--epochs', '60', '--out', 'prices', '--seed', '2'], dir);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /^prices\.csv: 300 rows, 4 columns \(delimiter ';', decimal ','\)$/m);
  assert.match(r.stdout, /^ {2}surface +numeric +0 +\d+ +\d+,\d\d \| .* +numeric feature$/m);
  assert.match(r.stdout, /^ {2}price +numeric +.* +target: regression$/m);
  assert.match(r.stdout, /^test \(60 samples\): mse [\d.e+-]+ {2}rmse [\d.e+-]+ {2}mae [\d.e+-]+ {2}r2 0\.9\d{3} {2}loss [\d.e+-]+$/m);
  assert.match(r.stdout, /^ {2}baseline \(the mean [\d.]+, the training split's mean\): mse [\d.e+-]+ {2}rmse [\d.e+-]+ {2}mae [\d.e+-]+ {2}r2 -?0\.\d{4}$/m);
  const { test: t } = summaryOf('prices');
  const b = t.baseline.metrics;
  assert.ok(t.r2 >= 0.95 && b.r2 <= 0.05, `R² ${t.r2} vs baseline ${b.r2}`);
  assert.ok(t.rmse < b.rmse / 4 && t.mae < b.mae / 4, `RMSE ${t.rmse} vs ${b.rmse}, MAE ${t.mae} vs ${b.mae}`);
  const svg = readFileSync(join(dir, 'prices', 'predictions.svg'), 'utf8');
  assert.ok(svg.startsWith('<svg') && svg.includes('predicted = actual') && svg.includes('actual price'), svg.slice(0, 80));

  // The encoding remembers the decimal comma: new flats are read the same way.
  writeFileSync(join(dir, 'flats.csv'), 'surface;rooms;district\n100,5;3;alt\n40;1;neu\n');
  const p = await runCli(['predict', 'prices', 'flats.csv'], dir);
  assert.equal(p.code, 0, show(p));
  const values = p.stdout.trim().split('\n').slice(1).map((l) => Number(l.split(',').pop()));
  assert.ok(Math.abs(values[0] - (2.5 * 100.5 + 30 + 40)) < 25 && Math.abs(values[1] - (2.5 * 40 + 10)) < 25, values.join(' '));
});
