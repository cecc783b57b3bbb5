/**
 * Decides, per product shape, whether sharing a matrix product among threads pays here and now.
 * Sharing a product above the size threshold is expected to pay, so it is the default. But whether
 * it does depends on more than the size: how fast workers wake, and whether their cores are busy
 * with other work (a shared machine), so both ways are timed and compared.
 *
 * Each way keeps its last few times and is judged by their median. A lone stall (a preempted
 * worker holding a chunk can hold a shared product up for a whole time slice) or a lone fast run
 * moves a median nowhere, while slowness that persists moves it within a few calls. The way not
 * taken is retried now and then, so its times stay current. The choice switches only for a clear
 * margin (HYSTERESIS). The choice changes only speed: results are bit-identical either way.
 */
export class SharePolicy {
  private readonly shapes = new Map<string, ShapeTimes>();

  /** Whether the next product of shape `key` should be shared. */
  shouldShare(key: string): boolean {
    const t = this.shapes.get(key);
    if (t === undefined || t.calls < WARMUP) return true;
    // Both ways a few times first, then the chosen way, and the other one call in RETRY_*.
    if (t.shared.count < MIN_RUNS || t.single.count < MIN_RUNS) return t.shared.count <= t.single.count;
    const shared = t.shared.median;
    const single = t.single.median;
    if (t.sharing ? single * HYSTERESIS < shared : shared * HYSTERESIS < single) t.sharing = !t.sharing;
    return t.calls % (t.sharing ? RETRY_SINGLE : RETRY_SHARED) === 0 ? !t.sharing : t.sharing;
  }

  /** Records how long a product of shape `key` took (ms), shared or not. */
  record(key: string, shared: boolean, ms: number): void {
    let t = this.shapes.get(key);
    if (t === undefined) {
      t = { shared: newWindow(), single: newWindow(), calls: 0, sharing: true };
      this.shapes.set(key, t);
    }
    // The first calls of a shape also pay for compiling and first touches of memory: not timed.
    if (t.calls++ < WARMUP) return;
    const w = shared ? t.shared : t.single;
    w.times[w.count % WINDOW] = ms;
    w.count++;
    w.median = median(w);
  }
}

/** The last WINDOW times of one way (a ring; `count` is how many were ever recorded) and their median. */
interface Window {
  times: Float64Array;
  count: number;
  median: number;
}

interface ShapeTimes {
  shared: Window;
  single: Window;
  /** Products of this shape so far. */
  calls: number;
  /** The way chosen now. */
  sharing: boolean;
}

/** Calls of a shape that are shared without being timed. */
const WARMUP = 2;
/** Times each way needs before the choice is made. */
const MIN_RUNS = 3;
/** Times kept per way: an odd count, so the median is one of them. */
const WINDOW = 5;
/**
 * Calls between retries of the way not taken. Sharing is retried often: it is the usual winner,
 * and what makes it lose (a neighbour on a worker's core) often passes within a few steps. One
 * thread is retried rarely: each retry of a large product costs nearly its whole time again (at
 * 1 in 32, 1.5% of a benchmark step), and sharing that turns slow is noticed without one, against
 * the one-thread times already held.
 */
const RETRY_SINGLE = 128;
const RETRY_SHARED = 8;
/** How much faster the other way must be to switch to it. */
const HYSTERESIS = 1.15;

const newWindow = (): Window => ({ times: new Float64Array(WINDOW), count: 0, median: 0 });

/** Scratch for sorting a window (a median per recorded time, so it allocates nothing). */
const sorted = new Float64Array(WINDOW);

/** Median of the times a window holds (all of them once it is full). */
function median(w: Window): number {
  const n = Math.min(w.count, WINDOW);
  for (let i = 0; i < n; i++) {
    const x = w.times[i];
    let j = i;
    for (; j > 0 && sorted[j - 1] > x; j--) sorted[j] = sorted[j - 1];
    sorted[j] = x;
  }
  return sorted[n >> 1];
}
