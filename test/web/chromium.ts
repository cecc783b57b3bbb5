// Finds and launches headless Chromium for the browser tests (the playground's, the package's
// consumer page): the binary named by CHROMIUM_PATH, else a system one, else the build that the
// @sparticuz/chromium dev dependency ships compressed inside its package, so `npm ci && npm test`
// needs nothing installed by hand. Not a test file.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Where distributions put Chromium (or Chrome, which runs the tests as well). */
const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/snap/bin/chromium'];

/** Flags for a desktop build: no sandbox (CI runs as root), no GPU, no background traffic. */
const DESKTOP_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Flags of @sparticuz/chromium's list (made for serverless functions) that would change what the
 * tests check, dropped: they give pages SharedArrayBuffer without cross-origin isolation, turn web
 * security or site isolation off (without it no page is cross-origin isolated), or run everything
 * in one process, which also ends the browser when its first page closes.
 */
const DROPPED_ARGS = ['--enable-features=SharedArrayBuffer', '--disable-web-security', '--allow-running-insecure-content', '--single-process', '--disable-site-isolation-trials', '--disable-features='];

/** A Chromium binary, the flags to start it with, and where it was found. */
export interface FoundChromium {
  executablePath: string;
  args: string[];
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

/** CHROMIUM_PATH, else the first system Chromium, else the packaged build (unpacked on first use). */
export async function findChromium(): Promise<FoundChromium> {
  const named = process.env.CHROMIUM_PATH;
  if (named) {
    if (!existsSync(named)) throw new Error(`CHROMIUM_PATH names ${named}, which does not exist`);
    return { executablePath: named, args: DESKTOP_ARGS, source: 'CHROMIUM_PATH' };
  }
  const system = SYSTEM_PATHS.find((p) => existsSync(p));
  if (system) return { executablePath: system, args: DESKTOP_ARGS, source: 'system' };
  const { default: packaged } = await import('@sparticuz/chromium');
  const args = packaged.args.filter((a) => !DROPPED_ARGS.some((d) => a.startsWith(d)));
  return { executablePath: await unpackPackaged(packaged), args, source: '@sparticuz/chromium' };
}

/** Launches the Chromium {@link findChromium} finds, headless. */
export async function launchChromium(): Promise<Browser> {
  const found = await findChromium();
  return chromium.launch({ executablePath: found.executablePath, args: found.args, headless: true });
}

/**
 * The packaged build, unpacked once per version into its own folder of the temp directory. The
 * package unpacks into `os.tmpdir()` (and reuses whatever `chromium` it finds there), so it unpacks
 * with TMPDIR set to a folder of this process's, which is then renamed into place whole: another
 * process (a neighbour's test run) never sees, nor reuses, a half-written binary.
 */
async function unpackPackaged(packaged: { executablePath(): Promise<string> }): Promise<string> {
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules', '@sparticuz', 'chromium', 'package.json'), 'utf8')) as { version: string };
  const folder = join(tmpdir(), `downhill-chromium-${version}`);
  const binary = join(folder, 'chromium');
  if (existsSync(binary)) return binary;
  const staging = `${folder}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const tmp = process.env.TMPDIR;
  let unpacked: Promise<string>;
  try {
    process.env.TMPDIR = staging;
    // The package reads os.tmpdir() before its first await, so TMPDIR can be put back at once.
    unpacked = packaged.executablePath();
  } finally {
    if (tmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmp;
  }
  const path = await unpacked;
  if (path !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${path}, not into ${staging}`);
  try {
    renameSync(staging, folder);
  } catch (e) {
    // Another process has put its copy in place first: use that one.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw e;
  }
  return binary;
}
