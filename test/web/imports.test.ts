import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('../../web', import.meta.url));
const sources = readdirSync(web).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(join(web, f), 'utf8')] as const);

test('the playground imports the library only through its public entry point', () => {
  for (const [file, text] of sources) {
    for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('../')) assert.equal(spec, '../src/index.js', `${file} imports ${spec}`);
    }
  }
});

test('pure modules stay free of the DOM (Node tests import them), and nothing uses Math.random', () => {
  const pure = ['state.ts', 'url.ts', 'protocol.ts', 'trainer.ts', 'experiment.ts', 'surfaces.ts', 'descent.ts', 'contours.ts', 'colormap.ts'];
  for (const [file, text] of sources) {
    assert.ok(!/\bMath\.random\b/.test(text), `${file} uses Math.random`);
    if (pure.includes(file)) assert.ok(!/\b(document|window|HTMLElement|HTMLCanvasElement|requestAnimationFrame|localStorage|sessionStorage)\b/.test(text), `${file} touches the DOM`);
  }
});
