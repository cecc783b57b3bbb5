// The data a run was trained on, found again (for --resume and eval) and checked to be unchanged:
// at the path it was given as, or at the absolute path recorded, or where the user says it moved
// (recognised by its SHA-256). A CSV is read with the run's saved encoding, so its rows, fills and
// one-hot categories are exactly the training run's.
import { existsSync } from 'node:fs';
import { type CsvEncoding, encodeCsv } from '../src/index.js';
import type { TrainConfig } from './config.js';
import { type LoadedData, loadData, readTextFile, sha256 } from './data-source.js';
import { CliError } from './errors.js';
import type { RunInfo } from './session.js';

/** The run's data, and warnings from reading it (held-out rows with categories the training rows lack). */
export interface SavedData extends LoadedData {
  warnings: string[];
}

/**
 * The run's data again, checked to be the same as when it was trained. `override` is where the
 * file is now; `howToPass` shows how to give it (`downhill eval <run> <file>`).
 */
export async function loadSavedData(
  config: TrainConfig, info: RunInfo, override: string | undefined, where: string, encoding: CsvEncoding, howToPass: string,
): Promise<SavedData> {
  if (info.data?.kind !== 'csv') {
    const loaded = await loadData({ data: override ?? config.data, seed: config.seed });
    return { ...loaded, warnings: [] };
  }
  const candidates = override ? [override] : [...new Set([config.data, info.data.path].filter((p): p is string => typeof p === 'string'))];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    const also = candidates.length > 1 ? ` (nor at ${candidates.slice(1).join(', ')})` : '';
    throw new CliError(`the training data '${config.data}' is not where it was${also}, and its held-out rows can only be found in it; ` +
      `pass the file where it is now (${howToPass}): it is recognised by its SHA-256 ${info.data.sha256?.slice(0, 12) ?? ''}…`, where);
  }
  const text = readTextFile(found, 'data file');
  const hash = sha256(text);
  if (info.data.sha256 && hash !== info.data.sha256) {
    throw new CliError(`the data file differs from the one the run was trained on (SHA-256 ${hash.slice(0, 12)}… instead of ${info.data.sha256.slice(0, 12)}…), ` +
      'so its held-out rows cannot be found; pass the original file', found);
  }
  const encoded = encodeCsv(text, encoding, { fileName: found });
  if (!encoded.dataset) throw new CliError(`the data file has no target column '${encoding.target}'`, found);
  return {
    dataset: encoded.dataset, encoding, kind: 'csv', name: found, target: config.target, sha256: hash, inspection: null, warnings: encoded.warnings,
  };
}
