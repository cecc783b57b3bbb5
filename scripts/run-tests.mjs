// Runs the *.test.ts files under test/ with Node's own test runner (TypeScript through tsx).
// Node 20's runner does not expand globs, so the files are listed here.
//
//   node scripts/run-tests.mjs                    the whole suite on the js backend, then the engine's
//                                                 tests (ENGINE_DIRS) again on wasm, wasm-threads and
//                                                 wasm-simd (see test/backend/setup.ts)
//   node scripts/run-tests.mjs FILE…              those files on the js backend
//   node scripts/run-tests.mjs --backend=wasm …   the files (or all) on the listed backends
//
// A run on another backend preloads test/backend/setup.ts, so every op computes on it. The last
// lines add the runs up in the runner's own format; the exit status is non-zero if any run failed.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

/** Tests of what computes through the kernels: these run once per backend. */
const ENGINE_DIRS = ['test/core', 'test/nn', 'test/optim', 'test/train', 'test/data', 'test/backend'];

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return find(p);
    return name.endsWith('.test.ts') ? [p] : [];
  }).sort();
}

const args = process.argv.slice(2);
const backendArg = args.find((a) => a.startsWith('--backend='));
const only = args.filter((a) => !a.startsWith('--backend='));
const backendList = backendArg ? backendArg.slice('--backend='.length) : process.env.DOWNHILL_TEST_BACKEND;

let plan;
if (backendList) {
  const files = only.length > 0 ? only : find('test');
  plan = backendList.split(',').map((b) => b.trim()).filter(Boolean).map((backend) => ({ backend, files }));
} else if (only.length > 0) {
  plan = [{ backend: 'js', files: only }];
} else {
  const engine = ENGINE_DIRS.flatMap(find);
  plan = [{ backend: 'js', files: find('test') }, { backend: 'wasm', files: engine }, { backend: 'wasm-threads', files: engine }, { backend: 'wasm-simd', files: engine }];
}
if (plan.some((p) => p.files.length === 0)) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

/** Runs one backend's files, echoing the output, and resolves to the runner's closing counts. */
function run({ backend, files }) {
  console.log(`\nrun-tests: ${files.length} files on the ${backend} backend`);
  const env = { ...process.env, DOWNHILL_TEST_BACKEND: backend };
  const argv = ['--import', 'tsx', '--import', './test/backend/setup.ts', '--test', '--test-reporter', 'spec', ...files];
  const child = spawn(process.execPath, argv, { stdio: ['inherit', 'pipe', 'inherit'], env });
  const counts = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  let tail = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      for (const key of Object.keys(counts)) {
        const m = tail.match(new RegExp(`ℹ ${key} (\\d+)`));
        if (m) counts[key] = Number(m[1]);
      }
      resolve({ backend, code: code ?? 1, counts });
    });
  });
}

const results = [];
for (const step of plan) results.push(await run(step));

const total = { tests: 0, pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
for (const r of results) for (const key of Object.keys(total)) total[key] += r.counts[key];
const failed = results.filter((r) => r.code !== 0);
console.log(`\nrun-tests: ${results.map((r) => `${r.backend} ${r.counts.pass}/${r.counts.tests}`).join(', ')} passed`);
for (const [key, value] of Object.entries(total)) console.log(`ℹ ${key} ${value}`);
if (failed.length > 0) console.log(`run-tests: FAILED on ${failed.map((r) => r.backend).join(', ')}`);
process.exit(failed.length > 0 ? 1 : 0);
