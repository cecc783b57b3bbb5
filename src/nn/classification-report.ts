import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { type ClassifyOptions, confusionMatrix } from './metrics.js';

/** Precision, recall and F1 of one class, and its support (samples of that true class). */
export interface ClassScores {
  /** TP / (TP + FP): of the samples predicted as the class, the share that are (0 when none is predicted). */
  precision: number;
  /** TP / (TP + FN): of the samples of the class, the share found (0 without samples). */
  recall: number;
  /** The harmonic mean 2·P·R / (P + R) (0 when both are 0). */
  f1: number;
  /** Samples whose true class it is. */
  support: number;
}

/** Averages of precision, recall and F1 over classes. */
export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

/** What {@link classificationReport} returns (scikit-learn's `classification_report`, as numbers). */
export interface ClassificationReport {
  /** Samples scored. */
  samples: number;
  /** Fraction classified correctly. */
  accuracy: number;
  /** Scores per class, by class index. */
  perClass: ClassScores[];
  /** Unweighted mean over the classes that occur (as truth or prediction). */
  macro: AveragedScores;
  /** Mean over classes weighted by support. */
  weighted: AveragedScores;
  /** Counts M[true][predicted]. */
  confusion: number[][];
}

/**
 * The report of a confusion matrix M[true][predicted]. Macro averages take the classes that occur
 * as a true or a predicted class, as scikit-learn does when it is not given the labels; a class
 * never predicted has precision 0 (scikit-learn's `zero_division=0`).
 */
export function reportFromConfusion(confusion: readonly (readonly number[])[]): ClassificationReport {
  const k = confusion.length;
  const colSums = Array.from({ length: k }, (_, j) => confusion.reduce((s, row) => s + row[j], 0));
  const samples = colSums.reduce((a, b) => a + b, 0);
  if (samples === 0) throw new ValueError('classificationReport: no samples');
  let correct = 0;
  const perClass = confusion.map((row, c) => {
    const tp = row[c];
    correct += tp;
    const support = row.reduce((a, b) => a + b, 0);
    const precision = colSums[c] > 0 ? tp / colSums[c] : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
  const occurring = perClass.filter((s, c) => s.support > 0 || colSums[c] > 0);
  const avg = (weights: (s: ClassScores) => number): AveragedScores => {
    const total = occurring.reduce((a, s) => a + weights(s), 0);
    const mean = (f: (s: ClassScores) => number): number => (total > 0 ? occurring.reduce((a, s) => a + weights(s) * f(s), 0) / total : 0);
    return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) };
  };
  return {
    samples, accuracy: correct / samples, perClass, macro: avg(() => 1), weighted: avg((s) => s.support),
    confusion: confusion.map((row) => [...row]),
  };
}

/**
 * Per-class precision, recall, F1 and support, their macro and support-weighted averages, the
 * accuracy and the confusion matrix of `outputs` (scored as {@link confusionMatrix} does) against
 * class labels.
 *
 * @example
 * const r = classificationReport(model.forward(x), y, 3);
 * r.perClass[2].recall;   // the share of class-2 samples found
 * r.macro.f1;             // unweighted mean F1 over the classes
 */
export function classificationReport(outputs: Tensor, labels: Tensor | ArrayLike<number>, numClasses: number, options: ClassifyOptions = {}): ClassificationReport {
  return reportFromConfusion(confusionMatrix(outputs, labels, numClasses, options));
}
