/**
 * Contour lines by marching squares, and log-spaced contour levels. Pure: works on a grid of
 * values and returns line segments in grid coordinates.
 */

/**
 * Segments where the grid crosses `level`. `values` is nx × ny, row-major with row j at y index
 * j; the result is flat [x0, y0, x1, y1, …] in grid units (cell centres at integers).
 */
export function contourSegments(values: ArrayLike<number>, nx: number, ny: number, level: number): number[] {
  const out: number[] = [];
  const at = (i: number, j: number): number => values[j * nx + i] - level;
  // Where along an edge from value a to value b the zero lies.
  const cross = (a: number, b: number): number => (a === b ? 0.5 : a / (a - b));
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      const v0 = at(i, j); // bottom-left
      const v1 = at(i + 1, j); // bottom-right
      const v2 = at(i + 1, j + 1); // top-right
      const v3 = at(i, j + 1); // top-left
      if (!(Number.isFinite(v0) && Number.isFinite(v1) && Number.isFinite(v2) && Number.isFinite(v3))) continue;
      const code = (v0 > 0 ? 1 : 0) | (v1 > 0 ? 2 : 0) | (v2 > 0 ? 4 : 0) | (v3 > 0 ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const bottom: [number, number] = [i + cross(v0, v1), j];
      const right: [number, number] = [i + 1, j + cross(v1, v2)];
      const top: [number, number] = [i + cross(v3, v2), j + 1];
      const left: [number, number] = [i, j + cross(v0, v3)];
      const seg = (a: [number, number], b: [number, number]): void => void out.push(a[0], a[1], b[0], b[1]);
      switch (code) {
        case 1: case 14: seg(left, bottom); break;
        case 2: case 13: seg(bottom, right); break;
        case 3: case 12: seg(left, right); break;
        case 4: case 11: seg(top, right); break;
        case 6: case 9: seg(bottom, top); break;
        case 7: case 8: seg(left, top); break;
        case 5: {
          // Saddle cell: decide by the centre value.
          const c = (v0 + v1 + v2 + v3) / 4;
          if (c > 0) { seg(left, top); seg(bottom, right); } else { seg(left, bottom); seg(top, right); }
          break;
        }
        case 10: {
          const c = (v0 + v1 + v2 + v3) / 4;
          if (c > 0) { seg(left, bottom); seg(top, right); } else { seg(left, top); seg(bottom, right); }
          break;
        }
      }
    }
  }
  return out;
}

/** `count` levels between lo and hi, evenly spaced on a log scale of (value − base + ε). */
export function logLevels(lo: number, hi: number, count: number, base = lo): number[] {
  const eps = Math.max((hi - base) * 1e-6, 1e-12);
  const a = Math.log(Math.max(lo - base, 0) + eps);
  const b = Math.log(hi - base + eps);
  return Array.from({ length: count }, (_, i) => base - eps + Math.exp(a + ((i + 1) / (count + 1)) * (b - a)));
}
