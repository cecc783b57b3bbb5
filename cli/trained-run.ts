// A trained model as `eval` and `predict` use it: the model, its preprocessing, its loss and, for a
// checkpoint written by `downhill train`, the run's config (the playground's exports have none).
import type { Checkpoint, Module } from '../src/index.js';
import { readCheckpoint } from './checkpoint-file.js';
import { type TrainConfig, configFromJson } from './config.js';
import { modelFromCheckpoint } from './model.js';
import { Preprocessor } from './preprocess.js';
import type { RunInfo } from './session.js';

export interface TrainedRun {
  file: string;
  checkpoint: Checkpoint;
  model: Module;
  prep: Preprocessor;
  /** The training run's config; null for a checkpoint exported by the playground. */
  config: TrainConfig | null;
  /** The loss the model was trained with (a library loss name), for the held-out loss. */
  loss: string;
  info: RunInfo | null;
}

/** What the playground writes as a checkpoint's `info`. */
interface PlaygroundInfo {
  source: 'downhill playground';
  loss: string;
}

const fromPlayground = (info: unknown): info is PlaygroundInfo =>
  typeof info === 'object' && info !== null && (info as PlaygroundInfo).source === 'downhill playground' && typeof (info as PlaygroundInfo).loss === 'string';

/** Loads a checkpoint file or run folder (from `downhill train` or exported by the playground). */
export function loadTrainedRun(path: string): TrainedRun {
  const { checkpoint, file } = readCheckpoint(path);
  const prep = Preprocessor.fromJSON(checkpoint.preprocessing, file);
  const model = modelFromCheckpoint(checkpoint, file);
  if (fromPlayground(checkpoint.info)) return { file, checkpoint, model, prep, config: null, loss: checkpoint.info.loss, info: null };
  const info = checkpoint.info as unknown as RunInfo;
  const config = configFromJson(info?.config, file);
  return { file, checkpoint, model, prep, config, loss: config.loss, info };
}
