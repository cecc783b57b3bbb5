/**
 * One training session: an {@link Experiment} trained by the library's own `fit`, which the page
 * can play, pause and step. Pausing works through fit's awaited callbacks: before every mini-batch
 * the session passes a gate that either lets the batch run or waits for the next command. So the
 * numbers are exactly fit's, whatever the clicking.
 *
 * Pure TypeScript over the library (timers only); the worker and Node tests both use it.
 */
import {
  type EpochRecord, type History, type JsonValue, type TrainingState, confusionMatrix, decodeCheckpoint,
  encodeCheckpoint, evaluate, fit, noGrad, predict, softmax, tensor, type Dataset,
} from '../src/index.js';
import { type Experiment, buildExperiment } from './experiment.js';
import type { BoundaryEvent, CheckpointEvent, Emit, EpochEvent, HandlerOptions, ReadyEvent, Status } from './messages.js';
import type { TrainSettings } from './state.js';

/** Thrown through fit by a cancelled session's gate; never reported. */
class Cancelled extends Error {}

type Mode = 'pause' | 'run' | 'batch' | 'epoch';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class TrainerSession {
  readonly exp: Experiment;
  readonly settings: TrainSettings;
  /** fit's epoch records so far. */
  readonly history: EpochRecord[] = [];
  /** The 'epoch' events sent so far (epoch 0 first). */
  readonly epochEvents: EpochEvent[] = [];
  /** Resolves with fit's history when training stops (null when cancelled or failed). */
  readonly done: Promise<History | null>;
  status: Status = 'idle';

  private readonly emitRaw: Emit;
  private readonly gridSize: number;
  private readonly boundaryEveryMs: number;
  private readonly progressEveryMs: number;
  private mode: Mode = 'pause';
  private batchBudget = 0;
  private targetEpoch = 0;
  private gateEpoch = 1;
  private release: (() => void) | null = null;
  private cancelled = false;
  private lastBoundary = -Infinity;
  private lastProgress = -Infinity;
  private progress = { epoch: 0, batch: 0, numBatches: 0, step: 0, loss: NaN, lr: 0 };
  private lastState: TrainingState | null = null;
  private readonly grid: { inputs: Dataset['x'] | null; size: number; k: number; dims: 1 | 2; bounds: [number, number, number, number] };

  constructor(settings: TrainSettings, csvText: string | undefined, emit: Emit, options: HandlerOptions = {}) {
    this.settings = settings;
    this.emitRaw = emit;
    this.gridSize = options.gridSize ?? 64;
    this.boundaryEveryMs = options.boundaryEveryMs ?? 120;
    this.progressEveryMs = options.progressEveryMs ?? 60;
    this.exp = buildExperiment(settings, csvText);
    const ready = this.readyEvent();
    this.grid = { inputs: null, size: ready.dims === 2 ? this.gridSize : 200, k: this.exp.task === 'classification' ? this.exp.full.numClasses : 1, dims: ready.dims, bounds: ready.bounds };
    this.grid.inputs = this.gridInputs();
    this.progress.numBatches = ready.numBatches;
    this.emit(ready, [ready.points.buffer as ArrayBuffer, ready.targets.buffer as ArrayBuffer, ready.split.buffer as ArrayBuffer]);
    this.emitEpoch(0, 0, null, this.exp.optimizer.getLearningRate());
    this.emitBoundary();
    this.emit({ type: 'status', status: 'idle' });
    this.done = this.run();
  }

  /** Train continuously. */
  play(): void {
    if (this.status === 'stopped' || this.cancelled) return;
    this.mode = 'run';
    this.setStatus('running');
    this.wake();
  }

  /** Pause before the next mini-batch. */
  pause(): void {
    if (this.status === 'stopped' || this.cancelled) return;
    if (this.mode === 'pause') return;
    this.mode = 'pause';
  }

  /** One mini-batch, or the rest of the current epoch, then pause. */
  step(unit: 'batch' | 'epoch'): void {
    if (this.status === 'stopped' || this.cancelled) return;
    if (unit === 'batch') {
      this.mode = 'batch';
      this.batchBudget = 1;
    } else {
      this.mode = 'epoch';
      this.targetEpoch = this.gateEpoch;
    }
    this.setStatus('running');
    this.wake();
  }

  /** Stops this session for good (its fit call ends at the next gate; nothing more is emitted). */
  cancel(): void {
    this.cancelled = true;
    this.wake();
  }

  /** The current model as a checkpoint file (the format the CLI reads). */
  exportCheckpoint(info: Record<string, string> = {}): CheckpointEvent {
    const e = this.exp;
    const json = (v: unknown): JsonValue => JSON.parse(JSON.stringify(v)) as JsonValue;
    const bytes = encodeCheckpoint({
      modelSpec: e.model.toSpec(),
      weights: e.model.stateDict(),
      optimizer: { name: e.optimizerSpec.name, options: json(e.optimizerSpec.options), state: e.optimizer.stateDict() },
      preprocessing: json({
        task: e.task,
        featureNames: e.full.featureNames,
        classNames: e.full.classNames,
        targetNames: e.full.targetNames,
        scaler: e.scaler ? e.scaler.toJSON() : null,
        targetScaler: e.targetScaler ? e.targetScaler.toJSON() : null,
        csvEncoding: e.csvEncoding,
      }),
      ...(this.lastState ? { training: this.lastState } : {}),
      info: json({ source: 'downhill playground', dataset: e.full.name, loss: e.lossName, epoch: this.progress.epoch, step: this.progress.step, ...info }),
    });
    return { type: 'checkpoint', bytes, fileName: `downhill-${this.settings.dataset}-epoch${this.progress.epoch}.safetensors` };
  }

  /** Loads a checkpoint's weights (its architecture must be this model's), then shows the result. */
  importCheckpoint(bytes: Uint8Array, fileName: string): void {
    const ckpt = decodeCheckpoint(bytes, fileName);
    const want = JSON.stringify(this.exp.model.toSpec());
    if (JSON.stringify(ckpt.modelSpec) !== want) {
      throw new Error(`${fileName}: the checkpoint's architecture ${JSON.stringify(ckpt.modelSpec)} differs from the current model ${want}; set the same dataset and model first`);
    }
    this.exp.model.loadStateDict(ckpt.weights);
    this.emitEpoch(this.progress.epoch, this.progress.step, null, this.exp.optimizer.getLearningRate());
    this.emitBoundary();
  }

  private emit(event: Parameters<Emit>[0], transfer?: ArrayBuffer[]): void {
    if (!this.cancelled) this.emitRaw(event, transfer);
  }

  private setStatus(status: Status): void {
    if (this.status === status) return;
    this.status = status;
    this.emit({ type: 'status', status });
  }

  private wake(): void {
    const r = this.release;
    this.release = null;
    r?.();
  }

  /** Passed before every mini-batch: returns when the batch may run. */
  private async gate(epoch: number): Promise<void> {
    this.gateEpoch = epoch;
    for (;;) {
      if (this.cancelled) throw new Cancelled('cancelled');
      if (this.mode === 'run') return;
      if (this.mode === 'batch' && this.batchBudget > 0) {
        this.batchBudget--;
        return;
      }
      if (this.mode === 'epoch' && epoch <= this.targetEpoch) return;
      this.mode = 'pause';
      if (this.progress.step > 0 || this.status !== 'idle') {
        this.emitProgress();
        this.emitBoundary();
        this.setStatus('paused');
      }
      await new Promise<void>((resolve) => (this.release = resolve));
    }
  }

  private async run(): Promise<History | null> {
    const e = this.exp;
    try {
      const history = await fit(e.model, e.train, {
        ...e.fitOptions,
        yieldEveryMs: 15,
        callbacks: [{
          onTrainBegin: (info) => {
            this.progress.numBatches = info.numBatches;
          },
          onEpochBegin: (epoch) => this.gate(epoch),
          onBatchEnd: (info) => {
            this.progress = { epoch: info.epoch - 1, batch: info.batch + 1, numBatches: info.numBatches, step: info.step, loss: info.loss, lr: info.lr };
            const now = performance.now();
            if (this.mode !== 'run' || now - this.lastProgress >= this.progressEveryMs) this.emitProgress();
            if (info.batch < info.numBatches - 1) return this.gate(info.epoch);
            return undefined;
          },
          onEpochEnd: async (record, _history, state) => {
            const started = performance.now() - record.durationMs;
            this.history.push(record);
            this.lastState = state;
            this.progress.epoch = record.epoch;
            this.progress.batch = 0;
            this.emitEpoch(record.epoch, record.step, record, record.lr);
            if (performance.now() - this.lastBoundary >= this.boundaryEveryMs) this.emitBoundary();
            const wait = this.settings.pace - (performance.now() - started);
            if (this.mode === 'run' && wait > 0) await sleep(wait);
          },
        }],
      });
      if (this.cancelled) return null;
      const restored = history.restoredEpoch ?? null;
      if (restored !== null) this.emitEpoch(this.progress.epoch, this.progress.step, null, this.exp.optimizer.getLearningRate());
      this.emitProgress();
      this.emitBoundary();
      this.status = 'stopped';
      this.emit({ type: 'status', status: 'stopped' });
      this.emit({ type: 'stopped', rule: history.stopReason.rule, message: history.stopReason.message, epoch: history.stopReason.epoch, restoredEpoch: restored });
      return history;
    } catch (err) {
      if (err instanceof Cancelled || this.cancelled) return null;
      this.status = 'error';
      this.emit({ type: 'status', status: 'error' });
      this.emit({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      return null;
    }
  }

  private emitProgress(): void {
    this.lastProgress = performance.now();
    this.emit({ type: 'progress', ...this.progress });
  }

  /** Metrics on every split; `record` (fit's) supplies the training loss and score when given. */
  private emitEpoch(epoch: number, step: number, record: EpochRecord | null, lr: number): void {
    const e = this.exp;
    const scoreName = e.task === 'classification' ? 'accuracy' : 'r2';
    const evalOn = (d: Dataset | null) => (d ? evaluate(e.model, d, { loss: e.loss, metrics: [scoreName] }) : null);
    const train = record ? { loss: record.loss, metrics: record.metrics } : evalOn(e.train)!;
    const val = record && record.valLoss !== undefined ? { loss: record.valLoss, metrics: record.valMetrics ?? {} } : evalOn(e.val);
    const test = evalOn(e.test);
    let confusion: number[][] | null = null;
    let confusionOf: EpochEvent['confusionOf'] = null;
    if (e.task === 'classification') {
      const [set, name] = e.test ? [e.test, 'test' as const] : e.val ? [e.val, 'validation' as const] : [e.train, 'training' as const];
      confusion = confusionMatrix(predict(e.model, set.x), set.y, e.full.numClasses);
      confusionOf = name;
    }
    const event: EpochEvent = {
      type: 'epoch', epoch, step, lr, scoreName, confusion, confusionOf,
      loss: train.loss,
      valLoss: val ? val.loss : null,
      testLoss: test ? test.loss : null,
      score: { train: train.metrics[scoreName] ?? null, val: val ? val.metrics[scoreName] ?? null : null, test: test ? test.metrics[scoreName] ?? null : null },
    };
    this.epochEvents.push(event);
    this.emit(event);
  }

  private readyEvent(): ReadyEvent {
    const e = this.exp;
    const n = e.full.length;
    const d = e.full.numFeatures;
    const cols = e.plotColumns;
    const dims: 1 | 2 = cols.length === 1 ? 1 : 2;
    const points = new Float32Array(n * dims);
    const targets = new Float32Array(n);
    const split = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < dims; c++) points[i * dims + c] = e.full.x.data[i * d + cols[c]];
      targets[i] = e.full.y.data[i * (e.task === 'classification' ? 1 : e.full.y.shape[1])];
    }
    e.indices.val.forEach((i) => (split[i] = 1));
    e.indices.test.forEach((i) => (split[i] = 2));
    const range = (values: ArrayLike<number>, stride: number, offset: number): [number, number] => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = offset; i < values.length; i += stride) {
        lo = Math.min(lo, values[i]);
        hi = Math.max(hi, values[i]);
      }
      const pad = Math.max((hi - lo) * 0.08, 1e-6);
      return [lo - pad, hi + pad];
    };
    const [x0, x1] = range(points, dims, 0);
    const [y0, y1] = dims === 2 ? range(points, 2, 1) : e.task === 'classification' ? [-0.5, e.full.numClasses - 0.5] : range(targets, 1, 0);
    const names = e.full.featureNames;
    const axisNames = dims === 2 ? [names[cols[0]], names[cols[1]]] : [names[cols[0]], e.task === 'classification' ? 'class' : e.full.targetNames[0] ?? 'y'];
    const numBatches = e.fitOptions.batchSize === 'full' ? 1 : Math.ceil(e.train.length / (e.fitOptions.batchSize ?? 32));
    return {
      type: 'ready', task: e.task, points, dims, targets, split, bounds: [x0, x1, y0, y1], axisNames,
      classNames: [...e.full.classNames], numClasses: e.full.numClasses,
      counts: { train: e.indices.train.length, val: e.indices.val.length, test: e.indices.test.length },
      numBatches, lossName: e.lossName, parameters: e.model.numParameters(), notes: e.notes,
    };
  }

  /** The model inputs for every grid cell (or curve point), scaled as the training data. */
  private gridInputs(): Dataset['x'] {
    const e = this.exp;
    const { size, dims, bounds } = this.grid;
    const d = e.full.numFeatures;
    const cells = dims === 2 ? size * size : size;
    const x = new Float32Array(cells * d);
    const [x0, x1, y0, y1] = bounds;
    for (let c = 0; c < cells; c++) {
      for (let j = 0; j < d; j++) x[c * d + j] = e.featureMeans[j];
      const i = dims === 2 ? c % size : c;
      x[c * d + e.plotColumns[0]] = x0 + ((i + 0.5) / size) * (x1 - x0);
      if (dims === 2) x[c * d + e.plotColumns[1]] = y0 + ((Math.floor(c / size) + 0.5) / size) * (y1 - y0);
    }
    const t = tensor(x, { shape: [cells, d] });
    return e.scaler ? e.scaler.transform(t) : t;
  }

  private emitBoundary(): void {
    this.lastBoundary = performance.now();
    const e = this.exp;
    const { size, k } = this.grid;
    const out = noGrad(() => {
      const raw = predict(e.model, this.grid.inputs!);
      if (e.task === 'classification') return softmax(raw, -1);
      return e.targetScaler ? e.targetScaler.inverseTransform(raw) : raw;
    });
    const values = Float32Array.from(out.data);
    const event: BoundaryEvent = { type: 'boundary', epoch: this.progress.epoch, step: this.progress.step, size, values, k };
    this.emit(event, [values.buffer]);
  }
}

export { buildExperiment };
