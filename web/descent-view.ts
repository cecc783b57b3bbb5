/**
 * The descent view: a loss surface over two parameters as a height map with contours, and
 * optimizers racing downhill from the same start, drawn live. Click (or use the arrow keys on) the
 * map to choose the start.
 */
import type { App } from './app.js';
import { drawRaceLosses, drawRegressionLines } from './descent-charts.js';
import { wireMapInput } from './descent-input.js';
import { MAP_SIZE, drawMap, renderSurface } from './descent-map.js';
import { type DescentPanel, buildDescentPanel, showDataControls } from './descent-panel.js';
import { RaceTable, learningRateHint, readoutText, stepCountText } from './descent-readout.js';
import { Race, type RunnerKind } from './descent.js';
import { PlotArea } from './plot.js';
import type { SettingKey, State } from './state.js';
import { type Surface, makeSurface } from './surfaces.js';

const RUNNER_KEYS: Array<[SettingKey, RunnerKind]> = [['dGD', 'gd'], ['dSGD', 'sgd'], ['dMom', 'momentum'], ['dNest', 'nesterov'], ['dAdam', 'adam']];
const SURFACE_KEYS: SettingKey[] = ['surface', 'dPoints', 'dNoise', 'dSeed'];

export class DescentView {
  readonly root: HTMLElement;
  private readonly app: App;
  private readonly panel: DescentPanel;
  private readonly table: RaceTable;
  private readonly area = new PlotArea(MAP_SIZE, MAP_SIZE, [0, 1, 0, 1]);
  private surface!: Surface;
  private background: HTMLCanvasElement | null = null;
  private race!: Race;
  private playing = true;
  private dirty = true;
  private budget = 0;
  private lastTime = 0;
  private selected: RunnerKind | null = null;
  private hover: [number, number] | null = null;
  private lastChart = 0;

  constructor(root: HTMLElement, app: App) {
    this.root = root;
    this.app = app;
    this.panel = buildDescentPanel(root, {
      onChange: (key, value) => this.onChange(key, value),
      togglePlay: () => this.togglePlay(),
      step: () => this.stepOnce(),
      reset: () => this.restart(this.app.state),
    });
    this.table = new RaceTable(this.panel.legendBody);
    wireMapInput(this.panel.canvas, this.area, {
      start: () => [this.app.state.dStartW, this.app.state.dStartB],
      moveStart: (w, b) => this.app.update({ dStartW: w, dStartB: b }),
      hover: (at) => {
        this.hover = at;
        this.dirty = true;
      },
      togglePlay: () => this.togglePlay(),
    });
    this.rebuildSurface(app.state);
    this.restart(app.state);
  }

  private onChange(key: SettingKey, value: unknown): void {
    if (key === 'surface') {
      // A new surface comes with the settings that show it well.
      const s = makeSurface(value as Surface['name']);
      this.app.update({ surface: value, dLr: s.suggested.lr, dAdamLr: s.suggested.adamLr, dStartW: s.suggested.start[0], dStartB: s.suggested.start[1] });
    } else this.app.update({ [key]: value });
  }

  private stepOnce(): void {
    this.playing = false;
    if (!this.race.active) this.restart(this.app.state);
    this.race.step();
    this.dirty = true;
    this.updateButtons();
  }

  private togglePlay(): void {
    if (!this.race.active) {
      this.restart(this.app.state);
      return;
    }
    this.playing = !this.playing;
    this.updateButtons();
  }

  private updateButtons(): void {
    const { playButton } = this.panel;
    playButton.textContent = this.playing && this.race.active ? 'Pause' : 'Play';
    playButton.setAttribute('aria-pressed', String(this.playing && this.race.active));
  }

  /** New settings: rebuild what they affect and start the race again from the start point. */
  onState(state: State, changed: ReadonlySet<SettingKey>): void {
    for (const c of this.panel.controls) c.set(state);
    showDataControls(this.panel.controls, state);
    if (SURFACE_KEYS.some((k) => changed.has(k))) this.rebuildSurface(state);
    if ([...changed].some((k) => k.startsWith('d') && k !== 'dataset') || changed.has('surface')) this.restart(state);
  }

  private rebuildSurface(state: State): void {
    this.surface = makeSurface(state.surface, { points: state.dPoints, noise: state.dNoise, seed: state.dSeed });
    this.area.bounds = this.surface.bounds;
    this.background = null;
    this.panel.caption.textContent = this.surface.caption;
  }

  private restart(state: State): void {
    const kinds = RUNNER_KEYS.filter(([key]) => state[key]).map(([, kind]) => kind);
    this.race = new Race(this.surface, {
      lr: state.dLr, adamLr: state.dAdamLr, momentum: state.dMomentum, batch: state.dBatch,
      start: [state.dStartW, state.dStartB], kinds, maxSteps: state.dSteps, seed: state.dSeed + 1,
    });
    if (!this.selected || !kinds.includes(this.selected)) this.selected = this.race.runners[0]?.kind ?? null;
    this.playing = true;
    this.budget = 0;
    this.dirty = true;
    this.table.reset(this.race.runners, this.selected, (kind) => {
      this.selected = kind;
      this.dirty = true;
    });
    this.panel.hint.textContent = learningRateHint(this.surface, state, kinds);
    this.updateButtons();
  }

  /** Called every animation frame while the view is visible. */
  frame(now: number): void {
    const dt = this.lastTime ? Math.min(100, now - this.lastTime) : 16;
    this.lastTime = now;
    if (this.playing && this.race.active) {
      // dSpeed is in steps per second; the fractional remainder carries over to the next frame.
      this.budget += (dt * this.app.state.dSpeed) / 1000;
      let n = Math.min(200, Math.floor(this.budget));
      this.budget -= n;
      while (n-- > 0 && this.race.step());
      this.dirty = true;
      if (!this.race.active) this.updateButtons();
    }
    if (!this.dirty) return;
    this.dirty = false;
    const p = this.panel;
    this.background ??= renderSurface(this.surface, this.area);
    drawMap(p.canvas, this.background, { area: this.area, surface: this.surface, race: this.race, selected: this.selected, hover: this.hover });
    this.table.update(this.race, this.surface);
    p.stepLabel.textContent = stepCountText(this.race);
    p.readout.textContent = readoutText(this.selected ? this.race.runner(this.selected) : undefined);
    // The charts are costlier and need not keep up with every frame.
    if (now - this.lastChart > 100 || !this.race.active) {
      this.lastChart = now;
      drawRaceLosses(p.chart, MAP_SIZE + 300, this.race, this.surface);
      drawRegressionLines(p.dataCanvas, this.race, this.surface);
    }
  }
}
