/**
 * The typed messages between the page and the training worker: commands (page → worker) and events
 * (worker → page). Types only, so the handler (protocol.ts) and the session (trainer.ts) both
 * import them without importing each other.
 */
import type { TrainSettings } from './state.js';

/** The backend training computes on: 'auto' is wasm where the page allows it, else js. */
export type EngineChoice = 'auto' | 'js';

/** Commands the page sends. */
export type Command =
  /** Which backend to compute on; rebuilds the experiment on it (the worker starts 'auto' unasked). */
  | { type: 'engine'; choice: EngineChoice }
  /** New settings (and the CSV text when the dataset is 'csv'): rebuilds the experiment, paused at epoch 0. */
  | { type: 'configure'; settings: TrainSettings; csvText?: string }
  /** Train continuously until paused or a stopping rule fires. */
  | { type: 'start' }
  | { type: 'pause' }
  /** One mini-batch (one optimizer step) or the rest of the current epoch, then pause. */
  | { type: 'step'; unit: 'batch' | 'epoch' }
  /** Back to the initial weights (same seed: the same run again). */
  | { type: 'reset' }
  /** Asks for a checkpoint of the current model (answered by a 'checkpoint' event). */
  | { type: 'export'; info?: Record<string, string> }
  /** Loads a checkpoint's weights into the model (the architecture must match the settings). */
  | { type: 'import'; bytes: Uint8Array; fileName: string };

export type Status = 'idle' | 'running' | 'paused' | 'stopped' | 'error';

/** The points to plot, sent once per experiment. */
export interface ReadyEvent {
  type: 'ready';
  task: 'classification' | 'regression';
  /** Plotted coordinates per sample: `dims` values each (original units). */
  points: Float32Array;
  dims: 1 | 2;
  /** Class label (classification) or target value (regression) per sample. */
  targets: Float32Array;
  /** 0 train, 1 validation, 2 test, per sample. */
  split: Uint8Array;
  /** Plot bounds [xMin, xMax, yMin, yMax] (for 1-D: x and the target's range). */
  bounds: [number, number, number, number];
  axisNames: string[];
  classNames: string[];
  numClasses: number;
  counts: { train: number; val: number; test: number };
  numBatches: number;
  lossName: string;
  parameters: number;
  notes: string[];
}

/** After batches (throttled) and whenever training pauses. */
export interface ProgressEvent {
  type: 'progress';
  epoch: number;
  /** Batches done in the current epoch. */
  batch: number;
  numBatches: number;
  step: number;
  /** The last batch's loss. */
  loss: number;
  lr: number;
}

/** Metrics of one finished epoch (epoch 0: the initial weights). */
export interface EpochEvent {
  type: 'epoch';
  epoch: number;
  step: number;
  loss: number;
  valLoss: number | null;
  testLoss: number | null;
  /** Accuracy (classification) or R² (regression) per split. */
  score: { train: number | null; val: number | null; test: number | null };
  scoreName: 'accuracy' | 'r2';
  lr: number;
  /** Confusion matrix on the test split (else validation, else training), rows = true class. */
  confusion: number[][] | null;
  confusionOf: 'test' | 'validation' | 'training' | null;
}

/** The model's predictions over the plot: a grid (2-D) or a curve (1-D). */
export interface BoundaryEvent {
  type: 'boundary';
  epoch: number;
  step: number;
  /** 2-D: cells per side; 1-D: number of curve points. */
  size: number;
  /**
   * 2-D classification: size² × k class probabilities (softmax of the outputs), row 0 at the
   * bottom (yMin); 2-D regression: size² predicted values; 1-D: size predicted values at evenly
   * spaced x from xMin to xMax (classification: probability of class 1).
   */
  values: Float32Array;
  k: number;
}

export interface StatusEvent {
  type: 'status';
  status: Status;
}

export interface StoppedEvent {
  type: 'stopped';
  rule: string;
  message: string;
  epoch: number;
  /** The epoch whose weights the model holds (early stopping and divergence restore the best). */
  restoredEpoch: number | null;
}

export interface CheckpointEvent {
  type: 'checkpoint';
  bytes: Uint8Array;
  fileName: string;
}

/** The backend in use, after the first command and after each engine command. */
export interface EngineEvent {
  type: 'engine';
  name: 'wasm' | 'js';
  /** Threads matrix products use (1 on js). */
  threads: number;
  /** The wasm kernels' build ('fma': fused multiply-add in products, 'simd': portable), null on js. */
  build: 'fma' | 'simd' | null;
  /** Why the engine is not the one asked for, or null. */
  note: string | null;
  /** Matrix products and optimizer steps shared among threads so far (0 on one thread or js). */
  sharedJobs: number;
}

export interface ErrorEvent {
  type: 'error';
  message: string;
}

export type TrainEvent = EngineEvent | ReadyEvent | ProgressEvent | EpochEvent | BoundaryEvent | StatusEvent | StoppedEvent | CheckpointEvent | ErrorEvent;

/** Sends an event; `transfer` lists buffers the receiver may take over. */
export type Emit = (event: TrainEvent, transfer?: ArrayBuffer[]) => void;

/** Options of the protocol handler (protocol.ts's `createHandler`). */
export interface HandlerOptions {
  /** Grid cells per side of the decision map (default 64). */
  gridSize?: number;
  /** Least time between boundary events while running, ms (default 120). */
  boundaryEveryMs?: number;
  /** Least time between progress events while running, ms (default 60). */
  progressEveryMs?: number;
  /**
   * Switches the backend (the worker passes engine.ts's). Awaited before the first command, so
   * nothing is computed before the engine is chosen. Without it engine commands are ignored and
   * the caller's backend is used (Node tests).
   */
  startEngine?: (choice: EngineChoice) => Promise<EngineEvent>;
  /**
   * The engine in use now (engine.ts's), sent again just before a training run's 'stopped' event,
   * so the page's engine note shows how much of the run was shared among threads.
   */
  describeEngine?: () => EngineEvent;
}
