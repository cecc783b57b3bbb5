// A trained run as `eval` and `predict` use it: the model, its preprocessing and its config.
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
  config: TrainConfig;
  info: RunInfo;
}

/** Loads a checkpoint file or run folder. */
export function loadTrainedRun(path: string): TrainedRun {
  const { checkpoint, file } = readCheckpoint(path);
  const info = checkpoint.info as unknown as RunInfo;
  const config = configFromJson(info?.config, file);
  const prep = Preprocessor.fromJSON(checkpoint.preprocessing, file);
  const model = modelFromCheckpoint(checkpoint, file);
  return { file, checkpoint, model, prep, config, info };
}
