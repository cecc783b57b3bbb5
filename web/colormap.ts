/**
 * Colour-blind-safe colours: the viridis colour map for heights and values, and the Okabe–Ito
 * palette for classes. Pure.
 */

/** Viridis, sampled at 17 evenly spaced points (matplotlib's table), interpolated linearly. */
const VIRIDIS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84], [72, 24, 106], [72, 40, 120], [69, 55, 129], [63, 71, 136], [57, 85, 140], [50, 100, 142], [45, 113, 142],
  [39, 126, 142], [35, 138, 141], [31, 150, 139], [32, 163, 134], [41, 175, 127], [62, 188, 116], [86, 198, 103],
  [117, 208, 84], [253, 231, 37],
];

/** The viridis colour at t in [0, 1] (clamped), as [r, g, b] in 0–255. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/** A 256-entry lookup table of viridis, r, g, b interleaved. */
export const VIRIDIS_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(viridis(i / 255), i * 3);
  return lut;
})();

/** Writes viridis at t (clamped to [0, 1]) into the r, g, b bytes at `p` of an RGBA pixel buffer. */
export function putViridis(rgba: Uint8ClampedArray, p: number, t: number): void {
  const c = Math.max(0, Math.min(255, Math.round(t * 255))) * 3;
  rgba[p] = VIRIDIS_LUT[c];
  rgba[p + 1] = VIRIDIS_LUT[c + 1];
  rgba[p + 2] = VIRIDIS_LUT[c + 2];
}

/** Okabe–Ito class colours: blue, orange, bluish green, reddish purple, sky blue, vermillion. */
export const CLASS_COLORS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'] as const;

/** A '#rrggbb' colour as [r, g, b]. */
export function hexToRgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** The class colour of label c. */
export function classColor(c: number): string {
  return CLASS_COLORS[((c % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
}
