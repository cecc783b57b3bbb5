// Helpers of the Chromium tests (e2e.test.ts, parity.test.ts): build the playground with Vite into
// a temporary folder, serve it on 127.0.0.1 (a random free port) as a static host would — with the
// cross-origin isolation headers the wasm engine needs, unless asked not to — and open pages in
// headless Chromium through playwright-core (found by chromium.ts). Not a test file.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const artifacts = join(root, 'test', 'web', 'artifacts');
const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.wasm': 'application/wasm' };
/** What vite.config.ts sends in dev and preview, and what web/README.md asks of static hosts. */
export const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

export interface Playground {
  browser: Browser;
  /** The built playground's URL on the isolated server (wasm engine available). */
  base: string;
  /** The same build on a server without the isolation headers (js engine only). */
  plainBase: string;
  /** A fresh page at `url`, collecting page errors and console errors. */
  open(url: string): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Serves the files of `dir` on 127.0.0.1 (a free port) with `headers` on every response. */
export function serve(dir: string, headers: Record<string, string>): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', ...headers }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    ok({ server, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
  }));
}

/** Builds the playground, serves it (isolated and plain) and launches Chromium. */
export async function startPlayground(): Promise<Playground> {
  const outDir = mkdtempSync(join(tmpdir(), 'downhill-web-'));
  const servers: Server[] = [];
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await Promise.all(servers.map((s) => new Promise<void>((ok) => s.close(() => ok()))));
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    await build({ configFile: join(root, 'vite.config.ts'), root: join(root, 'web'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const isolated = await serve(outDir, ISOLATION);
    const plain = await serve(outDir, {});
    servers.push(isolated.server, plain.server);
    browser = await launchChromium();
    const b = browser;
    const open = async (url: string): Promise<{ page: Page; errors: string[] }> => {
      const page = await b.newPage({ viewport: { width: 1400, height: 1250 }, acceptDownloads: true });
      // Waits, not assertions: on a busy 2-core machine the wasm engine's threads can take a while
      // to start, and the first command waits for them.
      page.setDefaultTimeout(60000);
      // tsx compiles the test files with esbuild's keepNames, whose __name helper ends up inside
      // functions passed to page.evaluate; give the page a no-op one.
      await page.addInitScript('globalThis.__name = (f) => f;');
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      await page.goto(url);
      return { page, errors };
    };
    return { browser: b, base: isolated.base, plainBase: plain.base, open, close };
  } catch (e) {
    await close();
    throw e;
  }
}
