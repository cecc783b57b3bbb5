// User-facing errors: one line on stderr, `downhill: error: <what> (<where>)`, no stack trace.
import { CheckpointError, DataError, type DataErrorHint, SafetensorsError, ShapeError, ValueError, printable } from '../src/index.js';

/** A problem with the user's input (options, files, data); `where` is a file, or file:line:column. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly where?: string, readonly exitCode = 1) {
    super(message);
  }
}

/** Exit code for Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

interface NodeSystemError extends Error {
  code?: string;
  path?: string;
  syscall?: string;
}

const FS_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a folder, expected a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
};

/** Drops a message's leading `file:` or `file:line:column:` prefix (the location goes at the end). */
function stripSourcePrefix(message: string, source: string | undefined): string {
  if (source && message.startsWith(`${source}: `)) return message.slice(source.length + 2);
  return message;
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A library hint in the command line's terms: `use --missing drop, mean or zero to …`, `use --categorical city to …`. */
export function cliHint(hint: DataErrorHint): string {
  const v = hint.values;
  const value = hint.list ? v.join(',') : v.length > 1 ? `${v.slice(0, -1).join(', ')} or ${v[v.length - 1]}` : v[0];
  return `use --${kebab(hint.option)} ${value} ${hint.purpose}`;
}

/** The one-line description of an error for people, or null when it is a bug (show the stack). */
export function describeError(e: unknown): { message: string; where?: string; exitCode: number } | null {
  if (e instanceof CliError) return { message: e.message, where: e.where, exitCode: e.exitCode };
  if (e instanceof DataError) return { message: `${e.problem}${e.hint ? ` (${cliHint(e.hint)})` : ''}`, where: `${e.file}:${e.line}:${e.column}`, exitCode: 1 };
  if (e instanceof RangeError && /^wasm backend: out of memory/.test(e.message)) {
    const needs = /\(needs .*? MiB, the limit is .*? MiB\)/.exec(e.message)?.[0] ?? '';
    return { message: `out of memory on the wasm backend ${needs}; use smaller --layers or --batch-size, or --backend js`.replace(/\s+;/, ';'), exitCode: 1 };
  }
  if (e instanceof CheckpointError || e instanceof SafetensorsError) return { message: `unreadable checkpoint: ${e.message}`, exitCode: 1 };
  if (e instanceof ValueError || e instanceof ShapeError) return { message: e.message, exitCode: 1 };
  const sys = e as NodeSystemError;
  if (e instanceof Error && typeof sys.code === 'string' && sys.code in FS_PROBLEMS) {
    const verb = sys.syscall === 'open' || sys.syscall === 'read' ? 'cannot open' : sys.syscall === 'mkdir' ? 'cannot create folder' : 'cannot write';
    return { message: `${verb}: ${FS_PROBLEMS[sys.code]}`, where: sys.path, exitCode: 1 };
  }
  return null;
}

/** Formats the single stderr line for a user error; control characters are escaped, never echoed. */
export function formatErrorLine(message: string, where?: string): string {
  const oneLine = stripSourcePrefix(message, where).replace(/\s*\n\s*/g, ' ').trim();
  return printable(`downhill: error: ${oneLine}${where ? ` (${where})` : ''}`);
}

/** Prints a note (something worth knowing, not a problem) on stderr. */
export function note(message: string): void {
  process.stderr.write(`${printable(`downhill: note: ${message}`)}\n`);
}

/** Prints a warning line on stderr (control characters escaped). */
export function warn(message: string): void {
  process.stderr.write(`${printable(`downhill: warning: ${message}`)}\n`);
}

/** Prints an error the user can act on as one line; anything else (a bug) with its stack. Returns the exit code. */
export function reportError(e: unknown, debug = process.env.DOWNHILL_DEBUG === '1'): number {
  const described = describeError(e);
  if (debug && e instanceof Error) process.stderr.write(`${e.stack ?? e.message}\n`);
  if (described) {
    process.stderr.write(`${formatErrorLine(described.message, described.where)}\n`);
    return described.exitCode;
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`${formatErrorLine(`internal error: ${message} (set DOWNHILL_DEBUG=1 for the stack trace)`)}\n`);
  return 70;
}
