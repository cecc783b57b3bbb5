// Held-out reports, computed the same way by `train` (summary.json and its closing lines) and
// `eval`: classification scores per class with their averages, the confusion matrix and the
// majority-class baseline; regression errors beside the predict-the-training-mean baseline.
import {
  type AveragedScores, type Dataset, type LossFunction, type Module, Tensor, classificationReport, evaluate, meanAbsoluteError,
  meanSquaredError, predict, r2Score, reportFromConfusion, resolveLoss,
} from '../src/index.js';
import type { Preprocessor } from './preprocess.js';

/** One class's scores, by name. */
export interface ClassRow {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** What a model scores on held-out data, and what a trivial predictor scores there. */
export interface HeldOutReport {
  samples: number;
  /** Flat metrics: accuracy, macro_f1, weighted_f1, loss (classification); mse, rmse, mae, r2, loss (regression). */
  metrics: Record<string, number>;
  /** The baseline: what it predicts, where that comes from, and its metrics (the same names, but loss). */
  baseline: { predicts: string; from: 'training split' | 'this data'; metrics: Record<string, number> };
  /** Classification only. */
  classes?: ClassRow[];
  averages?: { macro: AveragedScores; weighted: AveragedScores };
  /** Counts M[true][predicted], classes in `classes` order. */
  confusionMatrix?: number[][];
  /** Regression only: actual and predicted values of the first target column, for the plot. */
  points?: { actual: number[]; predicted: number[] };
}

/** The report of `model` on raw (unscaled) data; `loss` is the run's (class-weighted) training loss. */
export function heldOutReport(model: Module, raw: Dataset, prep: Preprocessor, loss: LossFunction | string): HeldOutReport {
  const scaled = prep.dataset(raw);
  // A name comes from a saved run (a config or a playground checkpoint): resolveLoss checks it.
  const { loss: lossValue } = evaluate(model, scaled, { loss: typeof loss === 'string' ? resolveLoss(loss) : loss });
  const outputs = predict(model, scaled.x);
  return raw.task === 'classification' ? classificationPart(outputs, raw, prep, lossValue) : regressionPart(prep.outputsToTargets(outputs), raw, prep, lossValue);
}

function classificationPart(outputs: Tensor, raw: Dataset, prep: Preprocessor, lossValue: number): HeldOutReport {
  const k = raw.numClasses;
  const r = classificationReport(outputs, raw.y, k);
  const counts = prep.baseline.classCounts ?? raw.classCounts();
  const majority = counts.indexOf(Math.max(...counts));
  // The majority baseline predicts one class for every row: its confusion matrix is one column.
  const truth = raw.classCounts();
  const b = reportFromConfusion(truth.map((n) => Array.from({ length: k }, (_, j) => (j === majority ? n : 0))));
  return {
    samples: raw.length,
    metrics: { accuracy: r.accuracy, macro_f1: r.macro.f1, weighted_f1: r.weighted.f1, loss: lossValue },
    baseline: {
      predicts: `always '${raw.classNames[majority]}'`,
      from: prep.baseline.classCounts ? 'training split' : 'this data',
      metrics: { accuracy: b.accuracy, macro_f1: b.macro.f1, weighted_f1: b.weighted.f1 },
    },
    classes: r.perClass.map((s, c) => ({ name: raw.classNames[c], ...s })),
    averages: { macro: r.macro, weighted: r.weighted },
    confusionMatrix: r.confusion,
  };
}

function regressionPart(predicted: Tensor, raw: Dataset, prep: Preprocessor, lossValue: number): HeldOutReport {
  const [n, k] = raw.y.shape;
  const scores = (p: Tensor): Record<string, number> => {
    const mse = meanSquaredError(p, raw.y);
    return { mse, rmse: Math.sqrt(mse), mae: meanAbsoluteError(p, raw.y), r2: r2Score(p, raw.y) };
  };
  const trainMean = prep.baseline.targetMean;
  const mean = trainMean ?? Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += raw.y.data[i * k + j];
    return s / n;
  });
  const constant = new Tensor(Float32Array.from({ length: n * k }, (_, i) => mean[i % k]), [n, k]);
  const first = (t: Tensor): number[] => Array.from({ length: n }, (_, i) => t.data[i * k]);
  return {
    samples: raw.length,
    metrics: { ...scores(predicted), loss: lossValue },
    baseline: { predicts: `the mean ${mean.map((m) => Number(m.toPrecision(5))).join(', ')}`, from: trainMean ? 'training split' : 'this data', metrics: scores(constant) },
    points: { actual: first(raw.y), predicted: first(predicted) },
  };
}
