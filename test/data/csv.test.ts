// CSV parsing: numeric and one-hot columns, target inference and override, missing-value policies,
// re-encoding new files, and every bad input reported at its exact file:line:column.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, encodeCsv, parseCsv, type CsvOptions } from '../../src/data/index.js';

/** Asserts that parsing throws a DataError with this exact location and a message matching `problem`. */
function failsAt(text: string, options: Partial<CsvOptions>, line: number, column: number, problem: RegExp): void {
  assert.throws(() => parseCsv(text, { fileName: 'data.csv', target: 'y', ...options }), (e: unknown) => {
    assert.ok(e instanceof DataError, `expected a DataError, got ${String(e)}`);
    assert.equal(e.file, 'data.csv');
    assert.equal(e.line, line, `line in: ${e.message}`);
    assert.equal(e.column, column, `column in: ${e.message}`);
    assert.ok(e.message.startsWith(`data.csv:${line}:${column}: `), e.message);
    assert.match(e.message, problem);
    return true;
  });
}

const houses = ['area,city,rooms,price', '50,oslo,2,210.5', '80,bergen,3,320', '65,oslo,2,260.25', '120,tromso,4,410', '90,bergen,3,350.75'].join('\n');

describe('parseCsv', () => {
  test('numeric columns as numbers, categorical ones one-hot with sorted categories', () => {
    const { dataset, encoding } = parseCsv(houses, { fileName: 'houses.csv', target: 'price' });
    assert.equal(dataset.task, 'regression');
    assert.deepEqual(dataset.featureNames, ['area', 'city=bergen', 'city=oslo', 'city=tromso', 'rooms']);
    assert.deepEqual(dataset.x.shape, [5, 5]);
    assert.deepEqual(Array.from(dataset.x.data.slice(0, 10)), [50, 0, 1, 0, 2, 80, 1, 0, 0, 3]);
    assert.deepEqual(dataset.y.toArray(), [[210.5], [320], [260.25], [410], [350.75]]);
    assert.deepEqual(dataset.targetNames, ['price']);
    assert.deepEqual(encoding.columns.map((c) => c.kind), ['numeric', 'categorical', 'numeric']);
  });

  test('target inference: text → classification; few integers → classification; many values → regression', () => {
    const text = 'a,b,y\n1,2,cat\n2,3,dog\n3,4,cat\n4,5,dog\n';
    const cls = parseCsv(text, { target: 'y' }).dataset;
    assert.equal(cls.task, 'classification');
    assert.deepEqual(cls.classNames, ['cat', 'dog']);
    assert.deepEqual(cls.y.toArray(), [0, 1, 0, 1]);
    assert.equal(cls.y.dtype, 'int32');

    const ints = parseCsv('a,y\n1,3\n2,1\n3,3\n4,2\n5,1\n6,2\n', { target: 'y' }).dataset;
    assert.equal(ints.task, 'classification');
    assert.deepEqual(ints.classNames, ['1', '2', '3']);
    assert.deepEqual(ints.y.toArray(), [2, 0, 2, 1, 0, 1]);

    const reals = parseCsv('a,y\n1,0.5\n2,1.5\n3,1\n4,2\n', { target: 'y' }).dataset;
    assert.equal(reals.task, 'regression');
    const distinctInts = parseCsv('a,y\n1,10\n2,20\n3,30\n4,40\n', { target: 'y' }).dataset;
    assert.equal(distinctInts.task, 'regression', 'one row per distinct integer reads as regression');

    const forcedReg = parseCsv('a,y\n1,3\n2,1\n3,3\n4,1\n', { target: 'y', task: 'regression' }).dataset;
    assert.equal(forcedReg.task, 'regression');
    assert.deepEqual(forcedReg.y.toArray(), [[3], [1], [3], [1]]);
    const forcedCls = parseCsv('a,y\n1,0.5\n2,1.5\n3,0.5\n', { target: 'y', task: 'classification' }).dataset;
    assert.deepEqual(forcedCls.classNames, ['0.5', '1.5']);
    failsAt('a,y\n1,2\n2,cat\n3,4\n', { task: 'regression' }, 3, 2, /the target column 2 'y' is numeric but has the non-numeric value "cat"/);
  });

  test('features option, categorical override, quoting, CRLF, blank lines, semicolons', () => {
    const text = 'id;"size, cm";code;y\r\n1;"1.5";7;a\r\n\r\n2;2.5;8;b\r\n3;3.5;7;a\r\n';
    const { dataset } = parseCsv(text, { target: 'y', features: ['code', 'size, cm'], categorical: ['code'], delimiter: ';' });
    assert.deepEqual(dataset.featureNames, ['code=7', 'code=8', 'size, cm']);
    assert.deepEqual(dataset.x.toArray(), [[1, 0, 1.5], [0, 1, 2.5], [1, 0, 3.5]]);
    const comma = text.replace('"1.5"', '"1,5"');
    failsAt(comma, { features: ['size, cm'] }, 2, 2, /column 2 'size, cm' is numeric but has the non-numeric value "1,5"/);
    failsAt(houses, { target: 'price', features: ['area', 'floor'] }, 1, 1, /unknown feature column 'floor'; available columns: area, city, rooms, price/);
  });

  test('missing values: drop, mean, zero', () => {
    const text = 'a,c,y\n1,red,1.5\n,blue,2.5\n3,,3.5\n5,red,\n7,red,9\n';
    const dropped = parseCsv(text, { target: 'y', missing: 'drop' });
    assert.deepEqual(dropped.droppedLines, [3, 4, 5]);
    assert.deepEqual(dropped.dataset.x.toArray(), [[1, 0, 1], [7, 0, 1]]);

    const mean = parseCsv(text, { target: 'y', missing: 'mean' });
    assert.deepEqual(mean.droppedLines, [5], 'a row without target is dropped');
    // a: mean of 1, 3, 7 (rows with a target) = 11/3; c: most frequent is red.
    const x = mean.dataset.x.toArray() as number[][];
    assert.ok(Math.abs(x[1][0] - 11 / 3) < 1e-6);
    assert.deepEqual(x[2].slice(1), [0, 1]);

    const zero = parseCsv(text, { target: 'y', missing: 'zero' });
    assert.deepEqual(zero.dataset.x.toArray(), [[1, 0, 1], [0, 1, 0], [3, 0, 0], [7, 0, 1]]);
    assert.deepEqual(zero.encoding.columns[0], { name: 'a', kind: 'numeric', fill: 0 });
  });
});

describe('parseCsv errors: file:line:column', () => {
  test('empty file and header only', () => {
    failsAt('', {}, 1, 1, /the file is empty/);
    failsAt('  \n\n', {}, 1, 1, /the file is empty/);
    failsAt('a,b,y\n', {}, 2, 1, /no data rows: the file has only the header/);
  });

  test('ragged rows name the line and the expected/actual field count', () => {
    failsAt('a,b,y\n1,2,3\n4,5\n', {}, 3, 3, /row has 2 fields but the header has 3/);
    failsAt('a,b,y\n1,2,3\n4,5,6\n\n7,8,9,10\n', {}, 5, 4, /row has 4 fields but the header has 3/);
  });

  test('non-numeric value in a numeric column names the column by name and number', () => {
    failsAt('a,b,y\n1,2,3\n4,5,6\n7,x8,9\n1,2,3\n', {}, 4, 2, /column 2 'b' is numeric but has the non-numeric value "x8"/);
  });

  test('NaN and Inf are rejected', () => {
    failsAt('a,b,y\n1,2,3\n4,NaN,6\n7,8,9\n', {}, 3, 2, /column 2 'b' has the non-finite value "NaN"/);
    failsAt('a,b,y\n1,2,3\n-Infinity,5,6\n7,8,9\n', {}, 3, 1, /column 1 'a' has the non-finite value "-Infinity"/);
    failsAt('a,b,y\n1,2,3\n4,5,inf\n7,8,9\n', {}, 3, 3, /the target column 3 'y' has the non-finite value "inf"/);
  });

  test('unknown target column lists the available columns', () => {
    failsAt('a,b,c\n1,2,3\n', { target: 'price' }, 1, 1, /unknown target column 'price'; available columns: a, b, c/);
  });

  test("missing values under 'error' (the default)", () => {
    failsAt('a,b,y\n1,2,3\n4,,6\n', {}, 3, 2, /missing value in column 2 'b'/);
    failsAt('a,b,y\n1,2,3\n4,5,NA\n', {}, 3, 3, /missing target value in column 3 'y'/);
  });

  test('line numbers count quoted multi-line fields, blank lines and CRLF', () => {
    failsAt('a,note,y\r\n1,"two\r\nlines",3\r\n\r\n2,ok,4\r\nzz,ok,5\r\n', { features: ['a'] }, 6, 1, /column 1 'a' is numeric but has the non-numeric value "zz"/);
    // The bad target sits after a quoted field spanning lines 5–6, so it is on line 6.
    failsAt('a,note,y\n1,"x\ny",2\n3,p,4\n5,"q\nr",zz\n6,s,7\n', {}, 6, 3, /the target column 3 'y' is numeric but has the non-numeric value "zz"/);
  });
});

describe('encodeCsv', () => {
  test('re-encodes a new file with the saved (JSON) encoding; target optional; extra columns ignored', () => {
    const { encoding } = parseCsv(houses, { target: 'price' });
    const saved = JSON.parse(JSON.stringify(encoding));
    const labelled = encodeCsv('price,rooms,note,city,area\n300,3,x,tromso,70\n200,2,y,oslo,55\n', saved, { fileName: 'new.csv' });
    assert.deepEqual(labelled.x.toArray(), [[70, 0, 0, 1, 3], [55, 0, 1, 0, 2]]);
    assert.deepEqual(labelled.y?.toArray(), [[300], [200]]);
    assert.deepEqual(labelled.dataset?.featureNames, encoding.featureNames);
    assert.throws(() => encodeCsv('price,rooms,city,area\n300,3,tromso,70\n,2,oslo,55\n', saved, { fileName: 'new.csv' }),
      /^DataError: new\.csv:3:1: missing target value in column 1 'price'/);
    const emptyTarget = encodeCsv('price,rooms,city,area\n,3,tromso,70\n', saved);
    assert.equal(emptyTarget.y, null, 'an all-empty target column counts as absent');
    const noTarget = encodeCsv('rooms,city,area\n3,tromso,70\n2,oslo,55\n', saved, { fileName: 'new.csv' });
    assert.deepEqual(noTarget.x.toArray(), [[70, 0, 0, 1, 3], [55, 0, 1, 0, 2]]);
    assert.equal(noTarget.y, null);
    assert.deepEqual(noTarget.lines, [2, 3]);
  });

  test('an unseen category encodes as all zeros with a warning; a missing column is an error at its location', () => {
    const { encoding } = parseCsv(houses, { target: 'price' });
    const unseen = encodeCsv('area,city,rooms\n50,oslo,2\n60,paris,2\n61,paris,3\n', encoding, { fileName: 'p.csv' });
    assert.deepEqual(unseen.x.toArray(), [[50, 0, 1, 0, 2], [60, 0, 0, 0, 2], [61, 0, 0, 0, 3]]);
    assert.deepEqual(unseen.unseen, [{ column: 'city', rows: 2, values: ['paris'], firstLine: 3 }]);
    assert.deepEqual(unseen.warnings, [
      `column 2 'city': 2 rows (first on line 3) hold categories not seen in training ("paris"); encoded as all zeros in its 3 one-hot features`,
    ]);
    assert.throws(() => encodeCsv('area,rooms\n50,2\n', encoding, { fileName: 'p.csv' }), /^DataError: p\.csv:1:1: unknown feature column 'city'; available columns: area, rooms$/);
  });
});
