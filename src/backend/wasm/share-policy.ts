/**
 * Decides, per product shape, whether sharing a matrix product among threads pays here and now.
 * Whether it does depends on more than the size: how fast workers wake, and whether their cores are
 * busy with other work (a shared machine) — so it is measured. Each shape is timed both ways a few
 * times, then runs the faster way, retrying the other now and then to follow changing conditions.
 * It changes its mind only for a clear margin (HYSTERESIS): on a noisy machine a few slow shared
 * runs would otherwise flip a big product to one thread now and then, at half the speed.
 * The choice changes only speed: results are bit-identical either way.
 */
export class SharePolicy {
  private readonly shapes = new Map<string, ShapeTimes>();

  /** Whether the next product of shape `key` should be shared. */
  shouldShare(key: string): boolean {
    const t = this.shapes.get(key);
    if (t === undefined) return true;
    t.calls++;
    // Both ways a few times first, then the faster, and the slower once every RETRY calls.
    if (t.sharedRuns < WARMUP || t.singleRuns < WARMUP) return t.sharedRuns <= t.singleRuns;
    if (!t.decided) {
      t.decided = true;
      t.sharing = t.shared < t.single;
    } else if (t.sharing ? t.single * HYSTERESIS < t.shared : t.shared * HYSTERESIS < t.single) {
      t.sharing = !t.sharing;
    }
    return t.calls % RETRY === 0 ? !t.sharing : t.sharing;
  }

  /** Records how long a product of shape `key` took (ms), shared or not. */
  record(key: string, shared: boolean, ms: number): void {
    let t = this.shapes.get(key);
    if (t === undefined) {
      t = { shared: 0, single: 0, sharedRuns: 0, singleRuns: 0, calls: 0, sharing: true, decided: false };
      this.shapes.set(key, t);
    }
    if (shared) {
      t.shared = t.sharedRuns === 0 ? ms : follow(t.shared, ms);
      t.sharedRuns++;
    } else {
      t.single = t.singleRuns === 0 ? ms : follow(t.single, ms);
      t.singleRuns++;
    }
  }
}

interface ShapeTimes {
  /** Moving averages of the time a product took, shared and on one thread (ms). */
  shared: number;
  single: number;
  sharedRuns: number;
  singleRuns: number;
  calls: number;
  /** The way chosen now, once the warm-up has decided. */
  sharing: boolean;
  decided: boolean;
}

const WARMUP = 3;
const RETRY = 32;
/** How much faster the other way must have been to switch to it. */
const HYSTERESIS = 1.15;
/** Weight of the newest time in the moving averages, when it is faster / slower than the average. */
const DECAY_DOWN = 0.75;
const DECAY_UP = 0.5;
/** Most a slower time may count for, as a multiple of the average. */
const OUTLIER = 1.5;

/**
 * The moving average after a new time. A shared machine only ever makes a run slower (a preempted
 * worker holding a chunk can stall a shared product for a whole time slice), so a faster time is
 * believed at once while a slower one counts for at most OUTLIER × the average: a lone stall cannot
 * flip the choice (when it could, the big products of a training step ran unshared a fifth of the
 * time, each at twice the time), but slowness that persists still does within a few runs.
 */
function follow(avg: number, ms: number): number {
  if (ms <= avg) return avg + DECAY_DOWN * (ms - avg);
  return avg + DECAY_UP * (Math.min(ms, OUTLIER * avg) - avg);
}
