// Reading checkpoints given as a file or a run folder, with one-line errors for missing and corrupt files.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Checkpoint, CheckpointError, SafetensorsError, decodeCheckpoint } from '../src/index.js';
import { CliError } from './errors.js';

export const CHECKPOINT_FILE = 'checkpoint.safetensors';

/** The checkpoint file for a path that is either the file itself or a run folder holding one. */
export function checkpointPath(path: string): string {
  if (!existsSync(path)) throw new CliError('no such checkpoint file or run folder', path);
  if (statSync(path).isDirectory()) {
    const file = join(path, CHECKPOINT_FILE);
    if (!existsSync(file)) throw new CliError(`the folder has no ${CHECKPOINT_FILE} (is it a run folder?)`, path);
    return file;
  }
  return path;
}

/** Reads and decodes a checkpoint; a truncated or corrupt file is a one-line error naming it. */
export function readCheckpoint(path: string): { checkpoint: Checkpoint; file: string } {
  const file = checkpointPath(path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new CliError(`cannot read the checkpoint: ${(e as Error).message}`, file);
  }
  try {
    return { checkpoint: decodeCheckpoint(bytes, file), file };
  } catch (e) {
    if (e instanceof CheckpointError || e instanceof SafetensorsError) {
      const message = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
      throw new CliError(`corrupt or truncated checkpoint: ${message.replace(/ \(not a readable checkpoint\)$/, '')}`, file);
    }
    throw e;
  }
}
