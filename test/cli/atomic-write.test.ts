// Checkpoints are replaced atomically: a crash before the rename (or in the middle of writing the
// temporary file) leaves the previous file untouched and no temporary file behind.
import assert from 'node:assert/strict';
import fs, { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { after, afterEach, mock, test } from 'node:test';
import { writeFileAtomic } from '../../cli/atomic-write.js';
import { describeError } from '../../cli/errors.js';
import { tempFolder } from './helpers.js';

const { dir, cleanup } = tempFolder('atomic');
after(cleanup);
afterEach(() => {
  mock.restoreAll();
  syncBuiltinESMExports();
});

test('writes and replaces a file', () => {
  const file = join(dir, 'a.bin');
  writeFileAtomic(file, new Uint8Array([1, 2, 3]));
  writeFileAtomic(file, 'hello');
  assert.equal(readFileSync(file, 'utf8'), 'hello');
  assert.deepEqual(readdirSync(dir), ['a.bin']);
});

test('a failure before the rename keeps the previous file', () => {
  const file = join(dir, 'b.bin');
  writeFileSync(file, 'previous');
  mock.method(fs, 'renameSync', () => {
    throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
  });
  syncBuiltinESMExports();
  assert.throws(() => writeFileAtomic(file, 'next'), /simulated crash/);
  assert.equal(readFileSync(file, 'utf8'), 'previous');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('a failure half-way through writing keeps the previous file', () => {
  const file = join(dir, 'c.bin');
  writeFileSync(file, 'previous');
  let calls = 0;
  const realWrite = fs.writeSync;
  mock.method(fs, 'writeSync', (fd: number, buffer: Uint8Array, offset: number, length: number) => {
    if (calls++ > 0) throw Object.assign(new Error('simulated disk full'), { code: 'ENOSPC' });
    return realWrite(fd, buffer, offset, Math.min(length, 3));
  });
  syncBuiltinESMExports();
  assert.throws(() => writeFileAtomic(file, new Uint8Array(100)), /simulated disk full/);
  assert.equal(readFileSync(file, 'utf8'), 'previous');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('a failure names the file being replaced, never the temporary file', () => {
  const file = join(dir, 'd.bin');
  // A full disk: write() fails with no path of its own.
  mock.method(fs, 'writeSync', () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
  });
  syncBuiltinESMExports();
  let caught: unknown;
  assert.throws(() => writeFileAtomic(file, 'x'), (e: unknown) => ((caught = e), true));
  assert.deepEqual(describeError(caught), { message: 'cannot write: no space left on the device', where: file, exitCode: 1 });
  mock.restoreAll();
  syncBuiltinESMExports();
  // The rename fails (a folder is in the way): the folder's path is named, not the temporary file's.
  const blocked = join(dir, 'blocked');
  mkdirSync(blocked);
  writeFileSync(join(blocked, 'inside'), '');
  assert.throws(() => writeFileAtomic(blocked, 'x'), (e: unknown) => ((caught = e), true));
  assert.equal(describeError(caught)?.where, blocked);
  assert.doesNotMatch(JSON.stringify(describeError(caught)), /\.tmp/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});
