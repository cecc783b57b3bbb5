import { ValueError } from '../util/errors.js';

/** The whole state of an {@link RNG}: plain numbers, so it can be saved in a checkpoint as JSON. */
export interface RNGState {
  /** xoshiro128** state words (unsigned 32-bit). */
  s: [number, number, number, number];
  /** The second normal deviate of the last Box–Muller pair, if not yet used. */
  spareNormal: number | null;
}

/**
 * A seeded pseudo-random generator (xoshiro128**, seeded through splitmix32). Every random thing in
 * downhill (initialisers, shuffles, dropout, synthetic data) draws from an explicit `RNG`, never from an unseeded
 * global source, so a seed reproduces a run bit for bit in Node and in the browser.
 *
 * @example
 * const rng = new RNG(42);
 * rng.uniform();          // in [0, 1)
 * rng.normal();           // standard normal
 * rng.permutation(5);     // e.g. Int32Array [3, 0, 4, 1, 2]
 */
export class RNG {
  private s = new Uint32Array(4);
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new ValueError(`RNG seed must be a finite number, got ${seed}`);
    // splitmix32 spreads any seed (including 0) over the whole state.
    let x = (Math.trunc(seed) >>> 0) ^ 0x9e3779b9;
    const hi = Math.trunc(seed / 4294967296) >>> 0;
    x = (x ^ Math.imul(hi, 0x85ebca6b)) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform float in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** A standard normal deviate (Box–Muller; the pair's second value is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) {
      throw new ValueError(`RNG.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T extends {
    /** Element count; indices 0..length-1 are shuffled. */
    length: number;
    [i: number]: unknown;
  }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** A new generator whose stream is independent of this one's (seeded from it). */
  spawn(): RNG {
    return new RNG(this.nextUint32() * 4294967296 + this.nextUint32());
  }

  /** A snapshot of the state, for checkpoints. */
  getState(): RNGState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]], spareNormal: this.spareNormal };
  }

  /** Restores a snapshot taken by {@link RNG.getState}. */
  setState(state: RNGState): void {
    if (!state || !Array.isArray(state.s) || state.s.length !== 4 || state.s.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new ValueError('RNG.setState: state.s must be four unsigned 32-bit integers');
    }
    this.s.set(state.s);
    this.spareNormal = state.spareNormal ?? null;
  }

  /** A generator restored from a snapshot. */
  static fromState(state: RNGState): RNG {
    const rng = new RNG(0);
    rng.setState(state);
    return rng;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let defaultRng = new RNG(0);

/**
 * The generator used when a call is given none. Seed it with {@link manualSeed} for a reproducible
 * program, as with `torch.manual_seed`.
 */
export function defaultGenerator(): RNG {
  return defaultRng;
}

/** Re-seeds the default generator. */
export function manualSeed(seed: number): RNG {
  defaultRng = new RNG(seed);
  return defaultRng;
}
