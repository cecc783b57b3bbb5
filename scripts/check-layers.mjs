// Enforces the layering of src/: each folder imports only from the layers below it, and the core
// uses no Node.js APIs (it must run unchanged in browsers). Exits non-zero naming each violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const layers = {
  util: 0,
  tensor: 1,
  backend: 1,
  autograd: 2,
  ops: 3,
  nn: 4,
  optim: 4,
  data: 4,
  train: 5,
  'index.ts': 6,
};
// Same-layer folders that may not import each other (nn, optim and data stay independent).
const allowedSideways = new Set(['tensor->backend', 'backend->tensor']);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const root = resolve('src');
const problems = [];
for (const file of files(root)) {
  const from = relative(root, file).split('/')[0];
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]/g)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'worker_threads', 'process'].includes(spec)) {
      problems.push(`${relative('.', file)}: imports '${spec}', but the core must not use Node.js APIs`);
      continue;
    }
    if (!spec.startsWith('.')) continue;
    const target = relative(root, resolve(dirname(file), spec)).split('/')[0];
    if (target.startsWith('..')) {
      problems.push(`${relative('.', file)}: imports '${spec}' from outside src/`);
      continue;
    }
    if (target === from) continue;
    const lf = layers[from];
    const lt = layers[target.endsWith('.js') ? target.replace(/\.js$/, '.ts') : target];
    if (lf === undefined || lt === undefined) continue;
    if (lt > lf || (lt === lf && !allowedSideways.has(`${from}->${target}`))) {
      problems.push(`${relative('.', file)}: layer '${from}' (${lf}) must not import '${target}' (${lt})`);
    }
  }
  // Ordering of asynchronous work lives in the backend alone: no layer above it may wait for work,
  // reach the thread pool or the wasm backend's insides (only its public start-up, index.ts).
  if (from !== 'backend') {
    if (/\b(settle\w*|leavePending|storageOf|pendingWork|openJobs|OpenWork)\b|\.pool\b/.test(text)) {
      problems.push(`${relative('.', file)}: synchronises with a backend's open work; ordering of work belongs to src/backend`);
    }
    for (const m of text.matchAll(/from\s*['"]([^'"]*backend\/wasm\/(?!index\.js)[^'"]*)['"]/g)) {
      problems.push(`${relative('.', file)}: imports '${m[1]}', the wasm backend's insides (use backend/wasm/index.js)`);
    }
  }
  if (/\bMath\.random\b/.test(text)) problems.push(`${relative('.', file)}: uses Math.random; draw from an explicit RNG`);
  if (/\bprocess\.|\bBuffer\b|\brequire\(/.test(text)) problems.push(`${relative('.', file)}: uses a Node.js global (process, Buffer or require)`);
}
if (problems.length > 0) {
  console.error(`layer check: ${problems.length} problem(s)\n` + problems.join('\n'));
  process.exit(1);
}
console.log('layer check: ok');
