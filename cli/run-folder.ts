// A run folder: config.json, metrics.csv and events.jsonl (one line per epoch, appended as training
// goes), checkpoint.safetensors (replaced atomically after every epoch), loss.svg and summary.json.
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import type { EpochRecord } from '../src/index.js';
import { atPath, writeFileAtomic } from './atomic-write.js';
import { CHECKPOINT_FILE } from './checkpoint-file.js';
import { CliError } from './errors.js';

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.csv',
  events: 'events.jsonl',
  checkpoint: CHECKPOINT_FILE,
  chart: 'loss.svg',
  confusion: 'confusion.svg',
  predictions: 'predictions.svg',
  summary: 'summary.json',
} as const;

/** The temporary files `writeFileAtomic` leaves when killed mid-write: `.<file>.<pid>.<n>.tmp`. */
const TEMP_FILE = /^\.(.+)\.(\d+)\.(\d+)\.tmp$/;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of run files in `dir` whose writer is gone (killed mid-write: the
 * rename never happened, so nothing reads them). Returns their names.
 */
export function removeStaleTemporaryFiles(dir: string): string[] {
  const runFiles = new Set<string>(Object.values(RUN_FILES));
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (!m || !runFiles.has(m[1]) || processAlive(Number(m[2]))) continue;
    rmSync(join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * True when `dir` holds what a run that stopped before its first checkpoint leaves — its
 * config.json, metrics.csv, events.jsonl, temporary files — and nothing else: a rerun may reuse it.
 */
function unstartedRun(dir: string): boolean {
  const runFiles = new Set<string>(Object.values(RUN_FILES));
  const names = readdirSync(dir);
  return !names.includes(RUN_FILES.checkpoint) && names.every((n) => runFiles.has(n) || TEMP_FILE.test(n));
}

/** What metrics.csv holds besides epoch, loss and val_loss. */
export interface MetricColumns {
  metrics: readonly string[];
  penalty: boolean;
}

/** `runs/<dataset>-<yyyymmdd-hhmmss>` (with a suffix if that exists already). */
export function defaultRunFolder(data: string, now = new Date()): string {
  const name = (basename(data, extname(data)) || 'run').replace(/[^A-Za-z0-9_.-]+/g, '_');
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  let folder = join('runs', `${name}-${stamp}`);
  for (let i = 2; existsSync(folder); i++) folder = join('runs', `${name}-${stamp}-${i}`);
  return folder;
}

/**
 * mkdir -p, one level at a time (Node's recursive mkdir spins forever under /proc), removing the
 * levels it made if a deeper one fails, so a failure leaves nothing behind. Returns the top-most
 * folder it made.
 */
function makeFolders(path: string): string | null {
  const missing: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) {
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  const made: string[] = [];
  try {
    for (const p of missing) {
      mkdirSync(p);
      made.push(p);
    }
  } catch (e) {
    for (const p of made.reverse()) rmSync(p, { recursive: true, force: true });
    throw e;
  }
  return made[0] ?? null;
}

function csvField(v: number | undefined): string {
  return v === undefined ? '' : String(v);
}

export class RunFolder {
  private constructor(readonly path: string, private readonly columns: MetricColumns, private readonly createdRoot: string | null = null) {}

  /**
   * Makes a new run folder. An existing non-empty folder is refused (pass --resume to continue a
   * run), unless it holds only what a run that stopped before its first checkpoint left, which is
   * cleared and reused.
   */
  static create(path: string, columns: MetricColumns): RunFolder {
    const existed = existsSync(path);
    if (existed) {
      if (!statSync(path).isDirectory()) throw new CliError('the output folder is a file', path);
      if (readdirSync(path).length > 0) {
        if (!unstartedRun(path)) throw new CliError('the output folder already exists and is not empty; choose another --out (or --resume the run in it)', path);
        removeStaleTemporaryFiles(path);
        for (const name of Object.values(RUN_FILES)) rmSync(join(path, name), { force: true });
      }
    }
    let createdRoot: string | null;
    try {
      createdRoot = makeFolders(path);
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system'
        : code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file' : code === 'ENOENT' ? 'the file system refuses it' : (e as Error).message;
      throw new CliError(`cannot create the output folder: ${why}`, path);
    }
    return new RunFolder(path, columns, existed ? null : createdRoot);
  }

  /** An existing run folder, continued by a resumed run (temporary files of killed writes are removed). */
  static reuse(path: string, columns: MetricColumns): RunFolder {
    if (!existsSync(path)) return RunFolder.create(path, columns);
    removeStaleTemporaryFiles(path);
    return new RunFolder(path, columns);
  }

  /** True when `dir` is a run folder whose run stopped before its first checkpoint (config.json, no checkpoint). */
  static isUnstarted(dir: string): boolean {
    return existsSync(join(dir, RUN_FILES.config)) && statSync(dir).isDirectory() && unstartedRun(dir);
  }

  /** Deletes what this run wrote (a new run that failed before its first checkpoint); a folder it did not make stays. */
  remove(): void {
    if (this.createdRoot !== null) {
      rmSync(this.path, { recursive: true, force: true });
      // Parent folders it made go too, but only while empty (another run may have appeared in them).
      const root = resolve(this.createdRoot);
      for (let p = dirname(resolve(this.path)); p === root || p.startsWith(`${root}${sep}`); p = dirname(p)) {
        try {
          rmdirSync(p);
        } catch {
          break;
        }
      }
      return;
    }
    for (const name of Object.values(RUN_FILES)) rmSync(join(this.path, name), { force: true });
  }

  file(name: keyof typeof RUN_FILES): string {
    return join(this.path, RUN_FILES[name]);
  }

  writeJson(name: 'config' | 'summary', value: unknown): void {
    writeFileAtomic(this.file(name), `${JSON.stringify(value, null, 2)}\n`);
  }

  private header(): string {
    const { metrics, penalty } = this.columns;
    return ['epoch', 'loss', ...(penalty ? ['penalty'] : []), 'val_loss', ...metrics, ...metrics.map((m) => `val_${m}`), 'lr', 'step'].join(',');
  }

  private metricsRow(r: EpochRecord): string {
    const { metrics, penalty } = this.columns;
    return [
      String(r.epoch), csvField(r.loss), ...(penalty ? [csvField(r.penalty)] : []), csvField(r.valLoss),
      ...metrics.map((m) => csvField(r.metrics[m])), ...metrics.map((m) => csvField(r.valMetrics?.[m])), csvField(r.lr), String(r.step),
    ].join(',');
  }

  private eventLine(r: EpochRecord): string {
    return JSON.stringify({ event: 'epoch', ...r });
  }

  /** Rewrites metrics.csv and events.jsonl from a history (a new run, or one resumed from its checkpoint). */
  writeLogs(history: readonly EpochRecord[]): void {
    writeFileAtomic(this.file('metrics'), [this.header(), ...history.map((r) => this.metricsRow(r))].join('\n') + '\n');
    writeFileAtomic(this.file('events'), history.map((r) => `${this.eventLine(r)}\n`).join(''));
  }

  /** Appends one epoch to metrics.csv and events.jsonl. */
  appendEpoch(record: EpochRecord): void {
    for (const [file, line] of [[this.file('metrics'), this.metricsRow(record)], [this.file('events'), this.eventLine(record)]]) {
      try {
        appendFileSync(file, `${line}\n`);
      } catch (e) {
        throw atPath(e, file);
      }
    }
  }

  writeCheckpoint(bytes: Uint8Array): void {
    writeFileAtomic(this.file('checkpoint'), bytes);
  }

  writeChart(svg: string, name: 'chart' | 'confusion' | 'predictions' = 'chart'): void {
    writeFileAtomic(this.file(name), svg);
  }
}
