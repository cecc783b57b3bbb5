import { Dataset } from './dataset.js';
import { IRIS_ROWS } from './iris-data.js';

/** Iris feature names, in column order (centimetres). */
export const IRIS_FEATURES: readonly string[] = Object.freeze(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
/** Iris species, label i ↔ `IRIS_CLASSES[i]`. */
export const IRIS_CLASSES: readonly string[] = Object.freeze(['setosa', 'versicolor', 'virginica']);

/**
 * Fisher's Iris flowers: 150 samples, 4 features (sepal and petal length and width in cm),
 * 3 classes (species, 50 each), in the data's original order (sorted by species: split with
 * shuffling, as `trainValTestSplit` does by default).
 *
 * @example
 * const ds = iris();  // ds.x: [150, 4] float32, ds.y: [150] int32, ds.classNames: setosa, …
 */
export function iris(): Dataset {
  const x = new Float32Array(IRIS_ROWS.length * 4);
  const y = new Int32Array(IRIS_ROWS.length);
  IRIS_ROWS.forEach((row, i) => {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = row[j];
    y[i] = row[4];
  });
  return new Dataset(x, y, { task: 'classification', featureNames: IRIS_FEATURES, classNames: IRIS_CLASSES, name: 'iris', featureShape: [4] });
}
