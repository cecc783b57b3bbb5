import type { OptimizerStateDict } from '../optim/optimizer.js';
import type { RNGState } from '../tensor/rng.js';
import { Tensor } from '../tensor/tensor.js';
import type { JsonValue } from './json.js';
import { SafetensorsError, decodeSafetensors, encodeSafetensors } from './safetensors.js';
import type { TrainingState } from './types.js';

/**
 * A checkpoint is ONE safetensors file: the model's weights as tensors named `model.<param>`
 * (e.g. `model.layers.0.weight`), the weights training continues from when they differ as
 * `resume.<param>`, the optimizer's state tensors as `optimizer.<param>.<key>`, the
 * weights stopping rules keep (the best epoch's) as `training.<rule>.<param>`, and everything else — architecture, optimizer options, preprocessing, RNG and training state,
 * history — as JSON in the header's `__metadata__` under the key `downhill`. Any safetensors reader
 * (NumPy, PyTorch) can read the weights; one file means one atomic rename when saving.
 */
export interface Checkpoint {
  /** The model's architecture (`module.toSpec()`), enough to rebuild it with `nn.moduleFromSpec`. */
  modelSpec: JsonValue;
  /** Parameter values by dotted name: the model to evaluate and predict with. */
  weights: Record<string, Tensor>;
  /**
   * The weights training continues from, when they differ from `weights`: a stopping rule put
   * back an earlier epoch's at the end (early stopping's best), while the optimizer state and the
   * training state are the last epoch's. Stored as tensors named `resume.<param>`.
   */
  trainingWeights?: Record<string, Tensor>;
  /** Optimizer name and constructor options (for rebuilding it) and its state. */
  optimizer?: {
    /** The optimizer's name as the caller chose it, to pick the class when rebuilding. */
    name: string;
    /** The constructor options (without the parameters). */
    options: JsonValue;
    /** What `optimizer.stateDict()` returned; its tensors are stored as `optimizer.<param>.<key>`. */
    state: OptimizerStateDict;
  };
  /** Fitted preprocessing (scalers, CSV encoding, task and class names). */
  preprocessing?: JsonValue;
  /** Where training was, to resume it exactly. */
  training?: TrainingState;
  /** State of other generators the run uses (e.g. dropout). */
  rng?: Record<string, RNGState>;
  /** Free-form information: the command line, the dataset, the library version. */
  info?: JsonValue;
}

const FORMAT = 'downhill-checkpoint';
const VERSION = 1;

/** Raised when bytes are not a valid downhill checkpoint. */
export class CheckpointError extends Error {
  /** Always `'CheckpointError'`. */
  override name = 'CheckpointError';
}

interface Header {
  format: string;
  version: number;
  modelSpec: JsonValue;
  optimizer?: { name: string; options: JsonValue; stepCount: number; paramGroups: OptimizerStateDict['paramGroups']; numbers: Record<string, Record<string, number>> };
  preprocessing?: JsonValue;
  training?: TrainingState;
  rng?: Record<string, RNGState>;
  info?: JsonValue;
}

/** Serialises a checkpoint to the bytes of one safetensors file. */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(checkpoint.weights)) tensors[`model.${name}`] = t;
  for (const [name, t] of Object.entries(checkpoint.trainingWeights ?? {})) tensors[`resume.${name}`] = t;
  const header: Header = { format: FORMAT, version: VERSION, modelSpec: checkpoint.modelSpec };
  if (checkpoint.optimizer) {
    const { name, options, state } = checkpoint.optimizer;
    const numbers: Record<string, Record<string, number>> = {};
    for (const [param, entries] of Object.entries(state.state)) {
      for (const [key, value] of Object.entries(entries)) {
        if (value instanceof Tensor) tensors[`optimizer.${param}.${key}`] = value;
        else (numbers[param] ??= {})[key] = value;
      }
    }
    header.optimizer = { name, options, stepCount: state.stepCount, paramGroups: state.paramGroups, numbers };
  }
  if (checkpoint.preprocessing !== undefined) header.preprocessing = checkpoint.preprocessing;
  if (checkpoint.training !== undefined) {
    const { ruleWeights, ...training } = checkpoint.training;
    for (const [rule, weights] of Object.entries(ruleWeights ?? {})) {
      if (rule.includes('.')) throw new CheckpointError(`stopping rule name '${rule}' cannot contain '.' (it names checkpoint tensors)`);
      for (const [name, t] of Object.entries(weights)) tensors[`training.${rule}.${name}`] = t;
    }
    header.training = training;
  }
  if (checkpoint.rng !== undefined) header.rng = checkpoint.rng;
  if (checkpoint.info !== undefined) header.info = checkpoint.info;
  return encodeSafetensors(tensors, { downhill: JSON.stringify(header) });
}

/** Parses and validates checkpoint bytes; `source` (a file name) prefixes error messages. */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Checkpoint {
  let contents;
  try {
    contents = decodeSafetensors(bytes, source);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new CheckpointError(`${e.message} (not a readable checkpoint)`);
    throw e;
  }
  const raw = contents.metadata.downhill;
  if (raw === undefined) throw new CheckpointError(`${source}: a safetensors file, but not a downhill checkpoint (no 'downhill' metadata)`);
  let header: Header;
  try {
    header = JSON.parse(raw) as Header;
  } catch (e) {
    throw new CheckpointError(`${source}: checkpoint metadata is not valid JSON (${(e as Error).message})`);
  }
  if (header.format !== FORMAT) throw new CheckpointError(`${source}: unknown format ${JSON.stringify(header.format)}`);
  if (header.version !== VERSION) throw new CheckpointError(`${source}: checkpoint version ${header.version} is not supported (this version reads ${VERSION})`);
  if (header.modelSpec === undefined || header.modelSpec === null) throw new CheckpointError(`${source}: checkpoint has no model architecture`);

  const weights: Record<string, Tensor> = {};
  const trainingWeights: Record<string, Tensor> = {};
  const optimizerTensors: Record<string, Record<string, Tensor>> = {};
  const ruleWeights: Record<string, Record<string, Tensor>> = {};
  for (const [name, t] of Object.entries(contents.tensors)) {
    if (name.startsWith('model.')) weights[name.slice(6)] = t;
    else if (name.startsWith('resume.')) trainingWeights[name.slice(7)] = t;
    else if (name.startsWith('training.')) {
      const rest = name.slice(9);
      const dot = rest.indexOf('.');
      if (dot <= 0 || dot === rest.length - 1) throw new CheckpointError(`${source}: malformed training tensor name '${name}'`);
      (ruleWeights[rest.slice(0, dot)] ??= {})[rest.slice(dot + 1)] = t;
    }
    else if (name.startsWith('optimizer.')) {
      const rest = name.slice(10);
      const dot = rest.lastIndexOf('.');
      if (dot <= 0) throw new CheckpointError(`${source}: malformed optimizer tensor name '${name}'`);
      (optimizerTensors[rest.slice(0, dot)] ??= {})[rest.slice(dot + 1)] = t;
    } else throw new CheckpointError(`${source}: unexpected tensor '${name}'`);
  }
  const checkpoint: Checkpoint = { modelSpec: header.modelSpec, weights };
  if (Object.keys(trainingWeights).length > 0) checkpoint.trainingWeights = trainingWeights;
  if (header.optimizer) {
    const o = header.optimizer;
    const state: OptimizerStateDict['state'] = {};
    for (const [param, entries] of Object.entries(o.numbers ?? {})) state[param] = { ...entries };
    for (const [param, entries] of Object.entries(optimizerTensors)) state[param] = { ...(state[param] ?? {}), ...entries };
    checkpoint.optimizer = { name: o.name, options: o.options, state: { stepCount: o.stepCount, paramGroups: o.paramGroups, state } };
  } else if (Object.keys(optimizerTensors).length > 0) {
    throw new CheckpointError(`${source}: optimizer tensors without optimizer metadata`);
  }
  if (header.preprocessing !== undefined) checkpoint.preprocessing = header.preprocessing;
  if (header.training !== undefined) {
    checkpoint.training = Object.keys(ruleWeights).length > 0 ? { ...header.training, ruleWeights } : header.training;
  } else if (Object.keys(ruleWeights).length > 0) {
    throw new CheckpointError(`${source}: training tensors without training state`);
  }
  if (header.rng !== undefined) checkpoint.rng = header.rng;
  if (header.info !== undefined) checkpoint.info = header.info;
  return checkpoint;
}
