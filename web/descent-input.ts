/**
 * Pointer and keyboard input on the descent map: click or arrow keys move the start point, the
 * pointer's position shows the local slope, Enter or Space plays and pauses.
 */
import type { PlotArea } from './plot.js';

export interface MapInputHandlers {
  /** The current start point (w, b). */
  start(): [number, number];
  /** Asks for a new start point, already rounded for a tidy URL. */
  moveStart(w: number, b: number): void;
  /** The parameters under the pointer, or null when it leaves the plot. */
  hover(at: [number, number] | null): void;
  togglePlay(): void;
}

/** Wires `canvas`; `area` maps its pixels to parameters (its bounds follow the surface). */
export function wireMapInput(canvas: HTMLCanvasElement, area: PlotArea, on: MapInputHandlers): void {
  const pointer = (e: MouseEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  canvas.addEventListener('click', (e) => {
    const [px, py] = pointer(e);
    if (!area.contains(px, py)) return;
    const [w, b] = area.invert(px, py);
    on.moveStart(round2(w), round2(b));
  });
  canvas.addEventListener('pointermove', (e) => {
    const [px, py] = pointer(e);
    on.hover(area.contains(px, py) ? area.invert(px, py) : null);
  });
  canvas.addEventListener('pointerleave', () => on.hover(null));
  canvas.addEventListener('keydown', (e) => {
    const [x0, x1, y0, y1] = area.bounds;
    const [w, b] = on.start();
    // Fifty key presses cross the plot: fine enough to aim, quick enough to travel.
    const dx = (x1 - x0) / 50;
    const dy = (y1 - y0) / 50;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, dy], ArrowDown: [0, -dy] };
    if (e.key in moves) {
      e.preventDefault();
      const [mx, my] = moves[e.key];
      on.moveStart(round2(w + mx), round2(b + my));
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      on.togglePlay();
    }
  });
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
