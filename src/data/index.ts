/** The data pipeline: datasets, samplers and loaders, splits, scalers, CSV, bundled and synthetic data. */
export { Dataset, type Task, type DataSource, type DatasetInfo, type DatasetOptions, type Batch } from './dataset.js';
export { DataError } from './errors.js';
export {
  RandomSampler, SequentialSampler, BatchSampler, resolveRng,
  type IndexSampler, type IndexSamplerState, type BatchSamplerOptions, type BatchSamplerState, type RandomSource,
} from './sampler.js';
export { DataLoader, type DataLoaderOptions, type DataLoaderState } from './loader.js';
export { trainValTestSplit, type SplitOptions, type Split } from './split.js';
export {
  StandardScaler, MinMaxScaler, scalerFromJSON,
  type Scaler, type ScalerJSON, type StandardScalerJSON, type MinMaxScalerJSON,
} from './scalers.js';
export { parseCsv, encodeCsv, type CsvOptions, type CsvData, type EncodedCsv } from './csv.js';
export {
  AUTO_CLASSIFICATION_MAX_CLASSES, datasetCsvEncoding,
  type CsvEncoding, type CsvColumnEncoding, type NumericColumnEncoding, type CategoricalColumnEncoding, type MissingPolicy,
} from './csv-encoding.js';
export { MISSING_TOKENS } from './csv-table.js';
export { iris, IRIS_FEATURES, IRIS_CLASSES } from './iris.js';
export { mnistDigits, MNIST_SIZE, type MnistOptions } from './mnist.js';
export {
  linearRegression, xor, twoMoons, circles, spirals, gaussianBlobs, regression1d,
  type SyntheticOptions, type LinearRegressionOptions, type LinearRegressionData,
} from './synthetic.js';
export { listDatasets, datasetByName, type DatasetByNameOptions, type DatasetDescription } from './registry.js';
