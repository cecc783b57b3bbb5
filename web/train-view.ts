/**
 * The train view: pick data, a network and an optimizer; train in a Web Worker; watch the decision
 * boundary (or the regression fit), the loss curves, the scores and the confusion matrix live.
 */
import type { App } from './app.js';
import { el } from './controls.js';
import { csvHeader } from './experiment.js';
import type { BoundaryEvent, Command, EngineEvent, EpochEvent, ReadyEvent, Status, TrainEvent } from './protocol.js';
import { type SettingKey, type State, isTrainSetting, trainSettings } from './state.js';
import { drawEpochCharts } from './train-charts.js';
import { acceptDroppedFiles, checkpointSettings, download, restoreCsv, storeCsv } from './train-files.js';
import { type TrainPanel, buildTrainPanel, showRelevantControls } from './train-panel.js';
import { DataPlot } from './train-plot.js';
import { type Progress, STATUS_TEXT, countersHtml, markerLegendHtml, playLabel, scoresHtml, showConfusion, stopReasonText } from './train-readout.js';
import { stateToQuery } from './url.js';

export class TrainView {
  readonly root: HTMLElement;
  private readonly app: App;
  private readonly worker: Worker;
  private readonly panel: TrainPanel;
  private readonly plot: DataPlot;
  private csvText: string | undefined;
  private csvColumns: string[] = [];
  private ready: ReadyEvent | null = null;
  private boundary: BoundaryEvent | null = null;
  private epochs: EpochEvent[] = [];
  private status: Status = 'idle';
  private dirty = true;
  private chartsDirty = true;
  private lastCharts = 0;
  /** Set when training pauses or stops: the next frame shows the numbers, whatever the throttle says. */
  private chartsNow = false;
  private configureTimer: ReturnType<typeof setTimeout> | null = null;
  private playAfterReset = false;
  /** Latest numbers, for tests and screen readers: epoch, step, scores. */
  private progress: Progress = { epoch: 0, step: 0, batch: 0, numBatches: 0, lr: 0 };

  constructor(root: HTMLElement, app: App) {
    this.root = root;
    this.app = app;
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<TrainEvent>) => this.onEvent(e.data);
    this.worker.onerror = (e) => this.showError(`The training worker failed: ${e.message}`);
    this.csvText = restoreCsv();
    if (this.csvText) this.csvColumns = csvHeader(this.csvText);
    this.panel = buildTrainPanel(root, () => this.app.state, {
      onChange: (key, value) => this.app.update({ [key]: value }),
      csvColumns: () => this.csvColumns,
      loadCsv: (file) => void this.loadCsv(file),
      importCheckpoint: (file) => void this.importCheckpoint(file),
      exportCheckpoint: () => this.send({ type: 'export', info: { playground: stateToQuery(this.app.state) } }),
      togglePlay: () => this.togglePlay(),
      step: (unit) => this.send({ type: 'step', unit }),
      reset: () => this.send({ type: 'reset' }),
    });
    this.plot = new DataPlot(this.panel.canvas);
    acceptDroppedFiles(root, (file) => void this.loadCsv(file));
    this.send({ type: 'engine', choice: app.state.engine });
    this.configureNow();
  }

  private send(command: Command, transfer: Transferable[] = []): void {
    // A setting changed a moment ago: configure first, so this command acts on the new experiment.
    if (command.type !== 'configure' && this.configureTimer) this.configureNow();
    this.worker.postMessage(command, transfer);
  }

  private togglePlay(): void {
    if (this.status === 'running') this.send({ type: 'pause' });
    else if (this.status === 'stopped' || this.status === 'error') {
      this.playAfterReset = true;
      this.send({ type: 'reset' });
    } else this.send({ type: 'start' });
  }

  /** Reads a CSV, makes it the dataset and picks a target and two plotted columns. */
  async loadCsv(file: File): Promise<void> {
    const text = await file.text();
    this.csvText = text;
    this.csvColumns = csvHeader(text);
    storeCsv(text);
    const s = this.app.state;
    const target = this.csvColumns.includes(s.csvTarget) ? s.csvTarget : this.csvColumns[this.csvColumns.length - 1];
    const features = this.csvColumns.filter((h) => h !== target);
    this.app.update({ dataset: 'csv', csvTarget: target, csvX: features[0] ?? '', csvY: features[1] ?? '' });
    this.configureNow();
    this.app.notify(`Loaded ${file.name}: ${this.csvColumns.length} columns. Target: ${target}.`);
  }

  private async importCheckpoint(file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      const patch = checkpointSettings(bytes, file.name);
      if (patch) {
        this.app.update(patch);
        this.configureNow();
      }
      this.send({ type: 'import', bytes, fileName: file.name }, [bytes.buffer]);
      this.app.notify(`Imported ${file.name}.`);
    } catch (e) {
      this.showError(e instanceof Error ? e.message : String(e));
    }
  }

  onState(state: State, changed: ReadonlySet<SettingKey>): void {
    for (const c of this.panel.controls) c.set(state);
    showRelevantControls(this.panel, state);
    if (changed.has('engine')) this.send({ type: 'engine', choice: state.engine });
    if ([...changed].some((k) => isTrainSetting(k))) {
      // Debounced: dragging a slider would otherwise rebuild the experiment on every pixel.
      if (this.configureTimer) clearTimeout(this.configureTimer);
      this.configureTimer = setTimeout(() => this.configureNow(), 120);
    }
  }

  private configureNow(): void {
    if (this.configureTimer) clearTimeout(this.configureTimer);
    this.configureTimer = null;
    const settings = trainSettings(this.app.state);
    this.send({ type: 'configure', settings, ...(settings.dataset === 'csv' && this.csvText ? { csvText: this.csvText } : {}) });
  }

  private onEvent(e: TrainEvent): void {
    const p = this.panel;
    switch (e.type) {
      case 'engine':
        showEngine(e);
        break;
      case 'ready':
        this.ready = e;
        this.boundary = null;
        this.plot.invalidate();
        this.epochs = [];
        p.stopReason.textContent = '';
        p.notes.replaceChildren(...e.notes.map((n) => el('p', { class: 'note' }, n)));
        p.markerLegend.innerHTML = markerLegendHtml(e);
        this.progress = { epoch: 0, step: 0, batch: 0, numBatches: e.numBatches, lr: 0 };
        this.dirty = true;
        this.chartsDirty = true;
        break;
      case 'boundary':
        this.boundary = e;
        this.plot.invalidate();
        this.dirty = true;
        break;
      case 'epoch':
        if (e.epoch === 0 || this.epochs.length === 0 || e.epoch > this.epochs[this.epochs.length - 1].epoch) this.epochs.push(e);
        else this.epochs[this.epochs.length - 1] = e; // re-evaluated (restored or imported weights)
        this.progress.epoch = e.epoch;
        this.progress.step = e.step;
        this.progress.lr = e.lr;
        this.chartsDirty = true;
        break;
      case 'progress':
        this.progress = { epoch: e.epoch, step: e.step, batch: e.batch, numBatches: e.numBatches, lr: e.lr };
        this.chartsDirty = true;
        break;
      case 'status':
        this.status = e.status;
        p.playButton.textContent = playLabel(e.status);
        p.playButton.setAttribute('aria-pressed', String(e.status === 'running'));
        this.root.setAttribute('data-status', e.status);
        p.statusText.textContent = STATUS_TEXT[e.status];
        if (e.status !== 'running') this.chartsNow = true;
        if (e.status === 'idle' && this.playAfterReset) {
          this.playAfterReset = false;
          this.send({ type: 'start' });
        }
        break;
      case 'stopped':
        p.stopReason.textContent = stopReasonText(e);
        p.stopReason.setAttribute('data-rule', e.rule);
        this.chartsNow = true;
        break;
      case 'checkpoint':
        download(e.bytes, e.fileName);
        break;
      case 'error':
        this.showError(e.message);
        break;
    }
  }

  private showError(message: string): void {
    this.panel.notes.replaceChildren(el('p', { class: 'error', role: 'alert' }, message));
  }

  /** Called every animation frame while the view is visible. */
  frame(now: number): void {
    if (this.dirty) {
      this.dirty = false;
      this.plot.draw(this.ready, this.boundary);
    }
    // Epoch and progress events can arrive far faster than anyone reads; ten updates a second suffice
    // while training runs. Once it pauses or stops, the numbers on screen must be the last ones.
    if (this.chartsDirty && (this.chartsNow || now - this.lastCharts > 100)) {
      this.chartsDirty = false;
      this.chartsNow = false;
      this.lastCharts = now;
      this.updateNumbers();
      drawEpochCharts(this.panel.lossChart, this.panel.scoreChart, this.epochs);
    }
  }

  private updateNumbers(): void {
    const p = this.panel;
    p.counters.innerHTML = countersHtml(this.progress);
    const last = this.epochs[this.epochs.length - 1];
    if (!last) return;
    p.scores.innerHTML = scoresHtml(last);
    showConfusion(p.confusion, last, this.ready);
  }
}

/** The footer's note of the backend training computes on (data attributes for tests). */
function showEngine(e: EngineEvent): void {
  const label = document.getElementById('engine');
  if (!label) return;
  const fma = e.build === 'fma' ? ', FMA' : '';
  label.textContent = e.name === 'wasm' ? `engine: wasm (${e.threads} thread${e.threads === 1 ? '' : 's'}${fma})` : 'engine: js';
  const kernels = e.build === 'fma' ? 'WebAssembly SIMD kernels with fused multiply-add' : 'WebAssembly SIMD kernels';
  const shared = e.threads > 1 ? `; ${e.sharedJobs} matrix products and optimizer steps shared among threads so far` : '';
  label.title = e.note ?? (e.name === 'wasm' ? `${kernels}${shared}` : 'the reference TypeScript backend');
  label.dataset.engine = e.name;
  label.dataset.threads = String(e.threads);
  label.dataset.build = e.build ?? '';
  label.dataset.sharedJobs = String(e.sharedJobs);
}
