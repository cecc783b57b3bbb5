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
// lines add the runs up in the runner's own format, then as `N passed, N failed`; the exit status
// is non-zero if any run failed.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const KEYS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo', 'duration_ms'];
const tapDir = mkdtempSync(join(tmpdir(), 'downhill-run-tests-'));

/**
 * Runs one backend's files, the spec reporter on the terminal, and resolves to the runner's closing
 * counts. They are read from a second reporter, TAP written to a file, whose last lines are the
 * summary: the terminal's spec output lists the failures after its summary, and a test's own
 * output could look like one (TAP escapes it).
 */
function run({ backend, files }, index) {
  console.log(`\nrun-tests: ${files.length} files on the ${backend} backend`);
  const tap = join(tapDir, `${index}-${backend}.tap`);
  const env = { ...process.env, DOWNHILL_TEST_BACKEND: backend };
  const argv = [
    '--import', 'tsx', '--import', './test/backend/setup.ts', '--test',
    '--test-reporter', 'spec', '--test-reporter-destination', 'stdout',
    '--test-reporter', 'tap', '--test-reporter-destination', tap,
    ...files,
  ];
  const child = spawn(process.execPath, argv, { stdio: 'inherit', env });
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ backend, code: code ?? 1, counts: summaryOf(tap) }));
  });
}

/** The closing `# key N` lines of a TAP file (null where the runner never got to write them). */
function summaryOf(file) {
  if (!existsSync(file)) return null;
  const counts = {};
  for (const m of readFileSync(file, 'utf8').matchAll(/^# (\w+) ([\d.]+)$/gm)) {
    if (KEYS.includes(m[1])) counts[m[1]] = Number(m[2]);
  }
  return KEYS.slice(0, -1).every((key) => key in counts) ? counts : null;
}

const results = [];
for (const [index, step] of plan.entries()) results.push(await run(step, index));
rmSync(tapDir, { recursive: true, force: true });

const total = Object.fromEntries(KEYS.map((key) => [key, 0]));
for (const r of results) for (const key of KEYS) total[key] += r.counts?.[key] ?? 0;
// A run that failed without its summary (it crashed) counts as one failure, so no total hides it.
const unsummed = results.filter((r) => r.counts === null);
const failed = results.filter((r) => r.code !== 0 || r.counts === null);
const each = results.map((r) => `${r.backend} ${r.counts ? `${r.counts.pass}/${r.counts.tests}` : 'no summary'}`);
console.log(`\nrun-tests: ${each.join(', ')} passed`);
if (failed.length > 0) console.log(`run-tests: FAILED on ${failed.map((r) => r.backend).join(', ')}`);
for (const key of KEYS) console.log(`ℹ ${key} ${key === 'duration_ms' ? total[key].toFixed(0) : total[key]}`);
const failures = total.fail + total.cancelled + unsummed.length;
console.log(`${total.pass} passed, ${failures} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`);
process.exit(failed.length > 0 ? 1 : 0);
