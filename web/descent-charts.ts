/**
 * The descent view's side charts: each optimizer's loss per step, and (for linear regression)
 * the data with each optimizer's current fitted line.
 */
import { drawChart, type Series } from './chart.js';
import { RUNNERS, type Race } from './descent.js';
import { PlotArea, setupCanvas, withinArea } from './plot.js';
import type { Surface } from './surfaces.js';

/** Loss above the minimum, on a log scale, so convergence reads as a straight descent. */
export function drawRaceLosses(canvas: HTMLCanvasElement, width: number, race: Race, surface: Surface): void {
  const min = surface.minimum.loss;
  const series: Series[] = race.runners.map((r) => ({
    name: RUNNERS[r.kind].label,
    color: RUNNERS[r.kind].chartColor,
    dash: RUNNERS[r.kind].dash,
    x: r.losses.map((_, i) => i),
    y: r.losses.map((l) => (Number.isFinite(l) ? Math.max(l - min, 1e-16) : Infinity)),
  }));
  drawChart(canvas, width, 200, series, { title: 'Loss above the minimum, L − L*, per step (log scale): a rising curve means the step size is too large', xLabel: 'step', log: true, maxDecades: 14 });
}

/** For linear regression: the data and each runner's current line ŷ = w·x + b; hidden otherwise. */
export function drawRegressionLines(canvas: HTMLCanvasElement, race: Race, surface: Surface): void {
  canvas.hidden = !surface.data;
  if (!surface.data) return;
  const W = 280, H = 200;
  const ctx = setupCanvas(canvas, W, H);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  const { x, y } = surface.data;
  const xs = [Math.min(...x) - 0.3, Math.max(...x) + 0.3];
  const ys = [Math.min(...y) - 1, Math.max(...y) + 1];
  const area = new PlotArea(W, H, [xs[0], xs[1], ys[0], ys[1]], { left: 34, right: 8, top: 20, bottom: 28 });
  area.drawAxes(ctx, ['x', 'y']);
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillStyle = '#222';
  ctx.fillText('Data and the lines ŷ = w·x + b', 8, 12);
  ctx.fillStyle = '#444';
  for (let i = 0; i < x.length; i++) {
    ctx.beginPath();
    ctx.arc(area.x(x[i]), area.y(y[i]), 2.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  withinArea(ctx, area, () => {
    for (const r of race.runners) {
      const [w, b] = r.point;
      if (!Number.isFinite(w) || !Number.isFinite(b)) continue;
      ctx.strokeStyle = RUNNERS[r.kind].chartColor;
      ctx.setLineDash(RUNNERS[r.kind].dash);
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(area.x(xs[0]), area.y(w * xs[0] + b));
      ctx.lineTo(area.x(xs[1]), area.y(w * xs[1] + b));
      ctx.stroke();
    }
  });
  ctx.setLineDash([]);
}
