/**
 * Loss surfaces over two parameters (w, b) for the descent view. Each is written twice, on
 * purpose: `loss` with the library's differentiable ops on two parameter tensors (so gradients
 * come from autodiff, exactly as in training), and `value` with plain numbers for drawing the
 * height map fast. Tests check that the two agree and that autodiff matches finite differences.
 *
 * Pure: no DOM.
 */
import { RNG, type Tensor, tensor, valueAndGrad } from '../src/index.js';
import type { SURFACES } from './state.js';

export type SurfaceName = (typeof SURFACES)[number];

export interface Surface {
  name: SurfaceName;
  title: string;
  /** One or two sentences tying the surface to the lecture. */
  caption: string;
  /** The plotted region [wMin, wMax, bMin, bMax]. */
  bounds: [number, number, number, number];
  /** Axis names. */
  axes: [string, string];
  /** A global minimum (w, b) and its loss. */
  minimum: { w: number; b: number; loss: number };
  /** Settings that show the surface well: GD learning rate, Adam's, and a start point. */
  suggested: { lr: number; adamLr: number; start: [number, number] };
  /** Largest stable plain-GD learning rate where it is known (2 / largest curvature), for captions. */
  stableLr?: number;
  /** Data points behind the loss (linear regression); 0 when the surface is a plain function. */
  samples: number;
  /** The data (linear regression): x and y values. */
  data?: { x: Float64Array; y: Float64Array };
  /** The loss as a differentiable function of the parameter tensors w and b (shape [1]); `rows` selects a mini-batch. */
  loss(w: Tensor, b: Tensor, rows?: Int32Array): Tensor;
  /** The same loss with plain numbers (the whole data set). */
  value(w: number, b: number): number;
}

export interface SurfaceOptions {
  /** Data points for the linear regression (default 40). */
  points?: number;
  /** Noise of its targets (default 0.5). */
  noise?: number;
  /** Seed of its data (default 0). */
  seed?: number;
}

/** ½(w² + b²): every direction alike; GD is stable for α < 2 and lands in one step at α = 1. */
function bowl(): Surface {
  return {
    name: 'bowl',
    title: 'Quadratic bowl',
    caption: 'L = ½(w² + b²). The gradient points straight away from the minimum: the ball rolls straight down. GD is stable for α < 2 (at α = 1 it lands in one step); above 1 it overshoots, above 2 it diverges.',
    bounds: [-3, 3, -3, 3],
    axes: ['w', 'b'],
    minimum: { w: 0, b: 0, loss: 0 },
    suggested: { lr: 0.1, adamLr: 0.1, start: [-2.4, 1.8] },
    stableLr: 2,
    samples: 0,
    loss: (w, b) => w.square().add(b.square()).mul(0.5).sum(),
    value: (w, b) => 0.5 * (w * w + b * b),
  };
}

/** ½(w² + 100b²): curvature 1 along w, 100 across; GD zig-zags across and crawls along. */
function ravine(): Surface {
  return {
    name: 'ravine',
    title: 'Elongated ravine',
    caption: 'L = ½(w² + 100b²): steep across the valley, nearly flat along it. A step size safe for the steep direction (α < 2/100 = 0.02) crawls along the flat one, so GD zig-zags across and creeps along; momentum builds up speed along the valley; Adam rescales each coordinate.',
    bounds: [-3, 3, -3, 3],
    axes: ['w', 'b'],
    minimum: { w: 0, b: 0, loss: 0 },
    suggested: { lr: 0.018, adamLr: 0.1, start: [-2.5, 1.2] },
    stableLr: 0.02,
    samples: 0,
    loss: (w, b) => w.square().add(b.square().mul(100)).mul(0.5).sum(),
    value: (w, b) => 0.5 * (w * w + 100 * b * b),
  };
}

/** (1 − w)² + 100(b − w²)²: a curved, flat-bottomed valley; the minimum (1, 1) is hard to reach. */
function rosenbrock(): Surface {
  return {
    name: 'rosenbrock',
    title: 'Rosenbrock banana',
    caption: 'L = (1 − w)² + 100(b − w²)²: finding the curved valley is easy, following it to the minimum at (1, 1) is slow. The valley walls are so steep that GD needs a tiny step size.',
    bounds: [-2, 2, -1, 3],
    axes: ['w', 'b'],
    minimum: { w: 1, b: 1, loss: 0 },
    suggested: { lr: 0.0015, adamLr: 0.05, start: [-1.5, 2.5] },
    samples: 0,
    loss: (w, b) => w.neg().add(1).square().add(b.sub(w.square()).square().mul(100)).sum(),
    value: (w, b) => (1 - w) ** 2 + 100 * (b - w * w) ** 2,
  };
}

/** ½w² + ¼b⁴ − ½b²: a saddle at the origin between two minima at (0, ±1). */
function saddle(): Surface {
  return {
    name: 'saddle',
    title: 'Saddle',
    caption: 'L = ½w² + ¼b⁴ − ½b²: at the origin the gradient vanishes although it is no minimum (a saddle point). Started near the ridge, GD slows to a crawl at the saddle before it rolls off to a minimum at b = ±1; momentum passes it faster.',
    bounds: [-2.5, 2.5, -2.5, 2.5],
    axes: ['w', 'b'],
    minimum: { w: 0, b: 1, loss: -0.25 },
    suggested: { lr: 0.1, adamLr: 0.05, start: [-2.2, 0.02] },
    samples: 0,
    loss: (w, b) => w.square().mul(0.5).add(b.pow(4).mul(0.25)).sub(b.square().mul(0.5)).sum(),
    value: (w, b) => 0.5 * w * w + 0.25 * b ** 4 - 0.5 * b * b,
  };
}

/**
 * The lecture's linear regression ŷ = w·x + b on n points, L(w, b) = 1/(2n)·Σ(w·xᵢ + b − yᵢ)².
 * The inputs x ~ N(1, 1) are not centred, so w and b are coupled: the bowl is a tilted ellipse.
 */
function linreg(options: SurfaceOptions): Surface {
  const n = options.points ?? 40;
  const noise = options.noise ?? 0.5;
  const rng = new RNG(options.seed ?? 0);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 1 + rng.normal();
    y[i] = 2 * x[i] - 1 + noise * rng.normal();
  }
  // Sufficient statistics: L = ½(w²·E[x²] + 2wb·E[x] + b² − 2w·E[xy] − 2b·E[y] + E[y²]).
  let sx = 0, sxx = 0, sy = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]; sxx += x[i] * x[i]; sy += y[i]; sxy += x[i] * y[i]; syy += y[i] * y[i];
  }
  sx /= n; sxx /= n; sy /= n; sxy /= n; syy /= n;
  const value = (w: number, b: number): number => 0.5 * (w * w * sxx + 2 * w * b * sx + b * b - 2 * w * sxy - 2 * b * sy + syy);
  // Least squares: the normal equations [[sxx, sx], [sx, 1]]·(w, b) = (sxy, sy).
  const det = sxx - sx * sx;
  const wStar = det > 1e-12 ? (sxy - sx * sy) / det : 0;
  const bStar = sy - wStar * sx;
  const largest = (sxx + 1) / 2 + Math.sqrt(((sxx - 1) / 2) ** 2 + sx * sx);
  const xt = tensor(x);
  const yt = tensor(y);
  return {
    name: 'linreg',
    title: 'Linear regression ŷ = w·x + b',
    caption: `The lecture's model on ${n} points: L(w, b) = 1/(2n)·Σ(w·xᵢ + b − yᵢ)². Full-batch GD follows the true gradient; mini-batch SGD estimates it from m points per step, so its path jitters — less as m grows. One epoch = ⌈n/m⌉ steps.`,
    bounds: [-2, 6, -5, 3],
    axes: ['w', 'b'],
    minimum: { w: wStar, b: bStar, loss: value(wStar, bStar) },
    suggested: { lr: 0.3, adamLr: 0.2, start: [-1.5, 2.5] },
    stableLr: 2 / largest,
    samples: n,
    data: { x, y },
    loss: (w, b, rows) => {
      const xs = rows ? xt.indexSelect(rows) : xt;
      const ys = rows ? yt.indexSelect(rows) : yt;
      return w.mul(xs).add(b).sub(ys).square().sum().div(2 * xs.size);
    },
    value,
  };
}

/** The surface called `name`. */
export function makeSurface(name: SurfaceName, options: SurfaceOptions = {}): Surface {
  switch (name) {
    case 'bowl': return bowl();
    case 'ravine': return ravine();
    case 'rosenbrock': return rosenbrock();
    case 'saddle': return saddle();
    case 'linreg': return linreg(options);
  }
}

/** Loss and gradient (∂L/∂w, ∂L/∂b) at a point, by autodiff through `surface.loss`. */
export function gradientAt(surface: Surface, w: number, b: number, rows?: Int32Array): { loss: number; grad: [number, number] } {
  const f = valueAndGrad((wt, bt) => surface.loss(wt, bt, rows));
  const { value, grads } = f(tensor([w], { dtype: 'float64' }), tensor([b], { dtype: 'float64' }));
  return { loss: value.item(), grad: [grads[0].data[0], grads[1].data[0]] };
}
