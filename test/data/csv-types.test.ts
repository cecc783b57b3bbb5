// Type detection in parseCsv / inspectCsv: ID-like columns, free text and empty columns left out
// with a warning unless asked for, dates and times as numbers, decimal commas, high cardinality,
// column control (features, drop, categorical, numeric), statistics from chosen rows only, values
// beyond float32, and messages that never carry control bytes or endless lists.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DataError, encodeCsv, inspectCsv, parseCsv, parseDate, printable } from '../../src/data/index.js';

const rows = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

/** 30 rows: a row id, an ISO date, a customer code (ID-like text), a note (free text), a colour, x, and y. */
const mixed = `id,day,customer,note,colour,x,y\n${rows(30, (i) => {
  const day = `2021-03-${String(1 + i).padStart(2, '0')}`;
  return `${i + 1},${day},C${1000 + i * 7},"the parcel arrived on day ${i} in good shape",${['red', 'blue'][i % 2]},${(i * 0.37).toFixed(2)},${i % 3 === 0 ? 'a' : 'b'}`;
})}\n`;

describe('type detection', () => {
  test('an ID, an ID-like code and free text are left out with warnings; a date becomes days since 1970', () => {
    const { dataset, encoding, columns, warnings } = parseCsv(mixed, { fileName: 'm.csv', target: 'y' });
    assert.deepEqual(columns.map((c) => [c.name, c.type, c.use.as]), [
      ['id', 'id', 'left out'], ['day', 'date', 'date'], ['customer', 'id', 'left out'], ['note', 'text', 'left out'],
      ['colour', 'categorical', 'one-hot'], ['x', 'numeric', 'numeric'], ['y', 'categorical', 'target'],
    ]);
    assert.deepEqual(dataset.featureNames, ['day', 'colour=blue', 'colour=red', 'x']);
    assert.deepEqual(encoding.leftOut, [{ name: 'id', reason: 'id' }, { name: 'customer', reason: 'id' }, { name: 'note', reason: 'text' }]);
    // 2021-03-01 is day 18,687 after 1970-01-01.
    assert.equal(dataset.x.data[0], 18687);
    assert.equal(dataset.x.data[4], 18688);
    assert.equal(warnings.length, 3);
    assert.match(warnings[0], /^column 1 'id' looks like an ID \(30 of 30 rows hold a value no other row has\) and is left out/);
    assert.match(warnings[2], /^column 4 'note' holds free text/);
    const target = columns[6].use;
    assert.deepEqual(target, { as: 'target', task: 'classification', classes: 2, classCounts: [10, 20] });
  });

  test('a categorical column with more than 50 categories is kept, with a high-cardinality warning', () => {
    // 60 models, each on 3 rows: not ID-like (no value is unique), but 60 one-hot features.
    const text = `model,y\n${rows(180, (i) => `m${i % 60},${i % 2}`)}\n`;
    const { dataset, columns, warnings } = parseCsv(text, { target: 'y' });
    assert.equal(dataset.numFeatures, 60);
    assert.deepEqual([columns[0].type, columns[0].warning, columns[0].use], ['categorical', 'high-cardinality', { as: 'one-hot', features: 60 }]);
    assert.match(warnings[0], /^column 1 'model' has 60 categories, one-hot encoded into as many features/);
    const fewer = parseCsv(`model,y\n${rows(180, (i) => `m${i % 50},${i % 2}`)}\n`, { target: 'y' });
    assert.deepEqual(fewer.warnings, []);
  });

  test('asking for a column keeps it: features, categorical, numeric; drop leaves one out', () => {
    const kept = parseCsv(mixed, { target: 'y', features: ['id', 'x'] });
    assert.deepEqual(kept.dataset.featureNames, ['id', 'x'], 'a listed numeric ID is numeric');
    assert.deepEqual(kept.warnings, []);
    const codes = parseCsv(mixed, { target: 'y', categorical: ['customer'], drop: ['x', 'day'] });
    assert.equal(codes.dataset.featureNames.filter((f) => f.startsWith('customer=')).length, 30);
    assert.ok(!codes.dataset.featureNames.includes('x') && !codes.dataset.featureNames.includes('day'));
    assert.deepEqual(codes.encoding.leftOut?.map((c) => c.reason), ['id', 'dropped', 'text', 'dropped']);
    const codes3 = 'code,y\n1,1\nA2,2\nB3,3\nC4,4\n';
    assert.deepEqual(parseCsv(codes3, { target: 'y', task: 'regression' }).dataset.featureNames, ['code=1', 'code=A2', 'code=B3', 'code=C4']);
    assert.throws(() => parseCsv(codes3, { fileName: 'n.csv', target: 'y', numeric: ['code'], task: 'regression' }),
      /^DataError: n\.csv:3:1: column 1 'code' is numeric but has the non-numeric value "A2"/);
    assert.throws(() => parseCsv(codes3, { fileName: 'n.csv', target: 'y', numeric: ['code'], categorical: ['code'] }), /column 1 'code' cannot be both categorical and numeric/);
    assert.throws(() => parseCsv(codes3, { fileName: 'n.csv', target: 'y', drop: ['y'] }), /column 'y' is the target; it cannot also be a dropped column/);
  });

  test('dates in other orders, with times, and times of day', () => {
    assert.equal(parseDate('1970-01-02T12:00:00Z', 'ymd'), 1.5);
    assert.equal(parseDate('1970-01-02 12:00+02:00', 'ymd'), 1.5 - 2 / 24);
    assert.equal(parseDate('02.01.1970', 'dmy'), 1);
    assert.equal(parseDate('01/02/1970', 'mdy'), 1);
    assert.equal(parseDate('2021-02-30', 'ymd'), null, 'no 30 February');
    assert.equal(parseDate('18:45', 'time'), 18.75);
    const { dataset, columns } = parseCsv('when,at,y\n13/01/2020,08:30,1\n14/01/2020,09:00,2\n15/01/2020,,3\n', { target: 'y', task: 'regression', missing: 'mean' });
    assert.deepEqual([columns[0].dateFormat, columns[1].dateFormat], ['dmy', 'time']);
    assert.deepEqual(dataset.x.toArray(), [[18274, 8.5], [18275, 9], [18276, 8.75]]);
  });
});

describe('decimal commas', () => {
  const semicolons = 'temp;rain;label\n12,5;0,0;dry\n8,25;3,5;wet\n10;1,25;wet\n13,75;0;dry\n';

  test("a ;-separated file with decimal commas reads them as numbers; the encoding remembers ','", () => {
    const { dataset, encoding, decimal, delimiter } = parseCsv(semicolons, { target: 'label' });
    assert.equal(delimiter, ';');
    assert.equal(decimal, ',');
    assert.equal(encoding.decimal, ',');
    assert.deepEqual(dataset.x.toArray(), [[12.5, 0], [8.25, 3.5], [10, 1.25], [13.75, 0]]);
    const fresh = encodeCsv('temp;rain\n9,5;2,5\n', encoding);
    assert.deepEqual(fresh.x.toArray(), [[9.5, 2.5]]);
  });

  test("decimal: ',' forces it; '.' forced leaves 12,5 as text, with a hint", () => {
    const quoted = 'temp,label\n"12,5",dry\n"8,25",wet\n';
    assert.deepEqual(parseCsv(quoted, { target: 'label', decimal: ',' }).dataset.x.toArray(), [[12.5], [8.25]]);
    assert.throws(() => parseCsv('a;b;y\n1,5;2;x\n2;3;y\n3;4;x\n4.5;5;y\n5.5;1;x\n', { fileName: 'd.csv', target: 'y', decimal: '.', numeric: ['a'] }), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.equal(e.message, `d.csv:2:1: column 1 'a' is numeric but has the non-numeric value "1,5" (use decimal: ',' to read decimal commas)`);
      assert.deepEqual(e.hint, { option: 'decimal', values: [','], purpose: 'to read decimal commas' });
      return true;
    });
  });
});

describe('statistics, ranges and messages', () => {
  test('fitLines: fills and categories come from those rows only; other categories encode as zeros', () => {
    const text = 'a,c,y\n1,red,1\n3,blue,2\n,red,3\n100,green,4\n';
    const { dataset, encoding, warnings } = parseCsv(text, { target: 'y', missing: 'mean', fitLines: [2, 3, 4] });
    assert.deepEqual(encoding.columns[0], { name: 'a', kind: 'numeric', fill: 2 }, 'mean of 1 and 3, not of 1, 3 and 100');
    assert.deepEqual(dataset.featureNames, ['a', 'c=blue', 'c=red']);
    assert.deepEqual(dataset.x.toArray(), [[1, 0, 1], [3, 1, 0], [2, 0, 1], [100, 0, 0]]);
    assert.match(warnings[0], /^column 2 'c': 1 row \(first on line 5\) hold categories not seen in training \("green"\)/);
  });

  test('values beyond float32 are errors at their cell, in features and targets, in parse and encode', () => {
    const big = (v: string, where: string): void => assert.throws(() => parseCsv(v, { fileName: 'b.csv', target: 'y' }), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.equal(`${e.file}:${e.line}:${e.column}`, where);
      assert.match(e.problem, /has the value "1e(39|308)", beyond the float32 range \(±3\.4e38\)/);
      return true;
    });
    big('x,y\n1,2\n1e308,3\n4,5\n', 'b.csv:3:1');
    big('x,y\n1,2.5\n2,1e39\n4,5.5\n', 'b.csv:3:2');
    const { encoding } = parseCsv('x,y\n1,2.5\n2,3.5\n', { target: 'y' });
    assert.throws(() => encodeCsv('x\n3\n1e39\n', encoding, { fileName: 'p.csv' }), /^DataError: p\.csv:3:1: column 1 'x' has the value "1e39", beyond the float32 range/);
    assert.deepEqual(encodeCsv('x\n3.4e38\n', encoding).x.toArray(), [[3.4e38]].map((r) => r.map(Math.fround)));
  });

  test("target: 'ignore' never reads the target column (placeholders are no error)", () => {
    const { encoding } = parseCsv('x,y\n1,a\n2,b\n3,a\n', { target: 'y' });
    assert.throws(() => encodeCsv('x,y\n4,TBD\n', encoding), /unknown class "TBD"/);
    const r = encodeCsv('x,y\n4,TBD\n5,\n', encoding, { target: 'ignore' });
    assert.equal(r.dataset, null);
    assert.deepEqual(r.x.toArray(), [[4], [5]]);
  });

  test('binary files, control bytes in names and values, and long lists', () => {
    assert.throws(() => parseCsv('a,y\n1,2\n\u0000\u0001,3\n', { fileName: 'bin', target: 'y' }), /^DataError: bin:3:1: the file has a NUL byte on line 3: it looks like a binary file/);
    const esc = 'a\u001b[31m,y\n1,2\n2,x\u009b\n';
    assert.throws(() => parseCsv(esc, { target: 'q' }), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.doesNotMatch(e.message, /[\u0000-\u001f\u007f-\u009f]/);
      assert.match(e.message, /a\\u001b\[31m/);
      return true;
    });
    assert.equal(printable('ok\u0007\u200e'), 'ok\\u0007\\u200e');
    const wide = `${Array.from({ length: 40 }, (_, i) => `c${i}`).join(',')},y\n${Array.from({ length: 41 }, () => '1').join(',')}\n`;
    assert.throws(() => parseCsv(wide, { target: 'price' }), /available columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, … \(31 more\)$/);
  });

  test('inspectCsv reports without encoding: a bad cell is no error there', () => {
    const r = inspectCsv('a,b,y\n1,2,3\n4,oops,6\n7,8,9\n', { target: 'y' });
    assert.equal(r.rows, 3);
    assert.deepEqual(r.columns.map((c) => [c.name, c.type, c.missing, c.distinct, c.examples]), [
      ['a', 'numeric', 0, 3, ['1', '4', '7']], ['b', 'numeric', 0, 3, ['2', 'oops', '8']], ['y', 'numeric', 0, 3, ['3', '6', '9']],
    ]);
  });
});
