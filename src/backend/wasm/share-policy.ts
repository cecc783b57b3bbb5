/**
 * Decides, per product shape, whether sharing a matrix product among threads pays here and now.
 * Whether it does depends on more than the size: how fast workers wake, and whether their cores are
 * busy with other work (a shared machine) — so it is measured. Each shape is timed both ways a few
 * times, then runs the faster way, retrying the other now and then to follow changing conditions.
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
    const sharedFaster = t.shared < t.single;
    return t.calls % RETRY === 0 ? !sharedFaster : sharedFaster;
  }

  /** Records how long a product of shape `key` took (ms), shared or not. */
  record(key: string, shared: boolean, ms: number): void {
    let t = this.shapes.get(key);
    if (t === undefined) {
      t = { shared: 0, single: 0, sharedRuns: 0, singleRuns: 0, calls: 0 };
      this.shapes.set(key, t);
    }
    if (shared) {
      t.shared = t.sharedRuns === 0 ? ms : t.shared + DECAY * (ms - t.shared);
      t.sharedRuns++;
    } else {
      t.single = t.singleRuns === 0 ? ms : t.single + DECAY * (ms - t.single);
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
}

const WARMUP = 3;
const RETRY = 16;
/** Weight of the newest time in the moving averages. */
const DECAY = 0.5;
