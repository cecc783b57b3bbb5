// The data a run was trained on, loaded again (for --resume and eval) and checked to be unchanged.
import type { TrainConfig } from './config.js';
import { type LoadedData, loadData } from './data-source.js';
import { CliError } from './errors.js';
import type { RunInfo } from './session.js';

/** The run's data again (for --resume and eval), checked to be the same as when it was trained. */
export async function loadSavedData(config: TrainConfig, info: RunInfo, override: string | undefined, where: string): Promise<LoadedData> {
  const data = override ?? config.data;
  let loaded: LoadedData;
  try {
    loaded = await loadData({ data, target: config.target, task: config.task, missing: config.missing, seed: config.seed });
  } catch (e) {
    if (e instanceof CliError && !override) throw new CliError(`${e.message}; the run was trained on '${config.data}' — pass the data file explicitly if it moved`, e.where);
    throw e;
  }
  if (info.data?.sha256 && loaded.sha256 !== info.data.sha256) {
    throw new CliError(`the data file differs from the one the run was trained on (SHA-256 ${info.data.sha256.slice(0, 12)}…), so its splits cannot be rebuilt`, data);
  }
  return loaded;
}
