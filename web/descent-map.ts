/**
 * The descent view's main figure: the loss surface as a height map with contours, and each
 * optimizer's path, current point, step and gradient arrows drawn over it.
 */
import { putViridis } from './colormap.js';
import { contourSegments, logLevels } from './contours.js';
import { formatNumber } from './controls.js';
import { RUNNERS, type Race, type RunnerKind, type Runner } from './descent.js';
import { arrow, label, ring, star } from './marks.js';
import { type PlotArea, imageCanvas, setupCanvas, strokeGridSegments, withinArea } from './plot.js';
import { type Surface, gradientAt } from './surfaces.js';

/** The map's width and height in CSS pixels. */
export const MAP_SIZE = 540;
/** Samples per side of the height map; contours are traced on the same grid. */
const GRID = 180;

/** What one frame of the map shows. */
export interface MapScene {
  area: PlotArea;
  surface: Surface;
  race: Race;
  /** The runner whose step and gradient arrows are drawn. */
  selected: RunnerKind | null;
  /** The parameters under the pointer, if it is over the map. */
  hover: [number, number] | null;
}

/** Height map (viridis on a log scale of L − Lmin) and contour lines; cache it per surface. */
export function renderSurface(s: Surface, a: PlotArea): HTMLCanvasElement {
  const [x0, x1, y0, y1] = s.bounds;
  const values = new Float64Array(GRID * GRID);
  let hi = -Infinity;
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      const v = s.value(x0 + ((i + 0.5) / GRID) * (x1 - x0), y0 + ((j + 0.5) / GRID) * (y1 - y0));
      values[j * GRID + i] = v;
      hi = Math.max(hi, v);
    }
  }
  const lo = s.minimum.loss;
  // A log scale shows the valley floor's shape, which a linear one flattens into one colour.
  const eps = Math.max((hi - lo) * 1e-4, 1e-12);
  const la = Math.log(eps);
  const lb = Math.log(hi - lo + eps);
  const image = new ImageData(GRID, GRID);
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      const p = ((GRID - 1 - j) * GRID + i) * 4;
      putViridis(image.data, p, (Math.log(Math.max(values[j * GRID + i] - lo, 0) + eps) - la) / (lb - la));
      image.data[p + 3] = 255;
    }
  }
  const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
  const bg = document.createElement('canvas');
  bg.width = MAP_SIZE * dpr;
  bg.height = MAP_SIZE * dpr;
  const ctx = bg.getContext('2d')!;
  ctx.scale(dpr, dpr);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, MAP_SIZE, MAP_SIZE);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(imageCanvas(image), a.margins.left, a.margins.top, a.innerWidth, a.innerHeight);
  ctx.strokeStyle = 'rgba(255,255,255,0.45)';
  ctx.lineWidth = 1;
  for (const level of logLevels(lo, hi, 14, lo)) strokeGridSegments(ctx, a, contourSegments(values, GRID, GRID, level), GRID, GRID);
  a.drawAxes(ctx, s.axes);
  star(ctx, a.x(s.minimum.w), a.y(s.minimum.b), 7);
  return bg;
}

/** Draws the cached surface, then the race on top of it. */
export function drawMap(canvas: HTMLCanvasElement, background: HTMLCanvasElement, scene: MapScene): void {
  const ctx = setupCanvas(canvas, MAP_SIZE, MAP_SIZE);
  ctx.drawImage(background, 0, 0, MAP_SIZE, MAP_SIZE);
  const { area: a, race } = scene;
  withinArea(ctx, a, () => {
    ring(ctx, a.x(race.options.start[0]), a.y(race.options.start[1]), 6, '#fff');
    for (const r of race.runners) drawRunner(ctx, scene, r);
    if (scene.hover) drawHover(ctx, scene, scene.hover);
  });
  // Divergence markers are drawn unclipped, at the plot's edge when the point left it.
  for (const r of race.runners) if (r.status === 'diverged') drawDiverged(ctx, scene, r);
}

function drawRunner(ctx: CanvasRenderingContext2D, scene: MapScene, r: Runner): void {
  const a = scene.area;
  const info = RUNNERS[r.kind];
  const p = r.path;
  ctx.lineJoin = 'round';
  // A dark halo under the path keeps it visible on every colour of the map.
  for (const [color, width] of [['rgba(0,0,0,0.55)', 4], [info.color, 2]] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.setLineDash(width === 2 ? info.dash : []);
    ctx.beginPath();
    for (let i = 0; i < p.length; i += 2) {
      const x = a.x(clampFar(p[i])), y = a.y(clampFar(p[i + 1]));
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  ctx.setLineDash([]);
  // The iterates, as dots: their spacing shows the step sizes.
  if (p.length / 2 <= 400) {
    ctx.fillStyle = info.color;
    for (let i = 2; i < p.length - 2; i += 2) {
      ctx.beginPath();
      ctx.arc(a.x(p[i]), a.y(p[i + 1]), 1.8, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
  const [w, b] = r.point;
  if (r.status === 'diverged') return;
  const selected = r.kind === scene.selected;
  if (selected && r.steps > 0) {
    // The step just taken, ending at the current point.
    arrow(ctx, a.x(w - r.lastStep[0]), a.y(b - r.lastStep[1]), a.x(w), a.y(b), info.color, 3, []);
  }
  if (selected && Number.isFinite(r.grad[0])) {
    // −∇L, drawn as the plain-GD step −α∇L but at least 18 and at most 110 pixels long.
    const options = scene.race.options;
    const lr = r.kind === 'adam' ? options.adamLr : options.lr;
    let dx = a.x(w - lr * r.grad[0]) - a.x(w);
    let dy = a.y(b - lr * r.grad[1]) - a.y(b);
    const len = Math.hypot(dx, dy);
    // A step of less than half a pixel is no arrow (the gradient has all but vanished).
    if (len > 0.5) {
      const scale = Math.min(110, Math.max(18, len)) / len;
      dx *= scale;
      dy *= scale;
      arrow(ctx, a.x(w), a.y(b), a.x(w) + dx, a.y(b) + dy, '#fff', 2, [5, 3]);
      label(ctx, '−∇L', a.x(w) + dx * 1.1, a.y(b) + dy * 1.1);
    }
  }
  ring(ctx, a.x(w), a.y(b), selected ? 6 : 5, info.color);
}

function drawDiverged(ctx: CanvasRenderingContext2D, scene: MapScene, r: Runner): void {
  const a = scene.area;
  // The last point still inside the plot (or the edge point towards the escape).
  const p = r.path;
  let x = p[p.length - 2], y = p[p.length - 1];
  for (let i = p.length - 2; i >= 0; i -= 2) {
    x = p[i];
    y = p[i + 1];
    if (Number.isFinite(x) && Number.isFinite(y)) break;
  }
  const [x0, x1, y0, y1] = scene.surface.bounds;
  const px = a.x(Math.min(x1, Math.max(x0, x)));
  const py = a.y(Math.min(y1, Math.max(y0, y)));
  const s = 9;
  ctx.lineCap = 'round';
  for (const [color, width] of [['#000', 7], [RUNNERS[r.kind].color, 3.5]] as const) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(px - s, py - s);
    ctx.lineTo(px + s, py + s);
    ctx.moveTo(px + s, py - s);
    ctx.lineTo(px - s, py + s);
    ctx.stroke();
  }
  ctx.lineCap = 'butt';
  const text = `${RUNNERS[r.kind].label}: diverged`;
  ctx.font = 'bold 12px system-ui, sans-serif';
  const width = ctx.measureText(text).width;
  label(ctx, text, Math.max(4, Math.min(px + 14, MAP_SIZE - width - 10)), Math.min(Math.max(py - 14, 14), MAP_SIZE - 14), true);
}

function drawHover(ctx: CanvasRenderingContext2D, scene: MapScene, [w, b]: [number, number]): void {
  const { area: a, surface } = scene;
  const { loss, grad } = gradientAt(surface, w, b);
  const g = Math.hypot(grad[0], grad[1]);
  if (g > 1e-12) {
    // −∇L mapped to pixels, so the arrow points downhill on screen even where the axes' scales differ.
    const dx = (-grad[0] / g) * (a.innerWidth / (surface.bounds[1] - surface.bounds[0]));
    const dy = (grad[1] / g) * (a.innerHeight / (surface.bounds[3] - surface.bounds[2]));
    const n = Math.hypot(dx, dy);
    arrow(ctx, a.x(w), a.y(b), a.x(w) + (dx / n) * 30, a.y(b) + (dy / n) * 30, 'rgba(255,255,255,0.9)', 1.5, [3, 2]);
  }
  const text = `L = ${formatNumber(loss)}, |∇L| = ${formatNumber(g)} — click to start here`;
  ctx.font = '12px system-ui, sans-serif';
  const width = ctx.measureText(text).width;
  label(ctx, text, Math.max(4, Math.min(a.x(w) + 10, MAP_SIZE - width - 10)), Math.max(a.y(b) - 12, 20), false);
}

/** Keeps far-away points drawable (canvas coordinates overflow past ~1e9). */
function clampFar(v: number): number {
  return Number.isFinite(v) ? Math.max(-1e6, Math.min(1e6, v)) : 0;
}
