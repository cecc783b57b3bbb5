/** The data pipeline: datasets, samplers and loaders, splits, scalers, CSV, bundled and synthetic data. */
export { Dataset, type Task, type DataSource, type DatasetInfo, type DatasetOptions, type Batch } from './dataset.js';
export { DataError, type DataErrorHint, formatHint } from './errors.js';
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
export {
  parseCsv, encodeCsv, inspectCsv,
  type CsvOptions, type CsvData, type CsvInspection, type EncodedCsv, type UnseenCategories, type TargetMode,
} from './csv.js';
export {
  datasetCsvEncoding,
  type CsvEncoding, type CsvColumnEncoding, type NumericColumnEncoding, type CategoricalColumnEncoding, type DateColumnEncoding,
  type MissingPolicy, type LeftOutColumn, type LeftOutReason,
} from './csv-encoding.js';
export { AUTO_CLASSIFICATION_MAX_CLASSES, type ColumnReport, type ColumnUse, type ColumnWarning } from './csv-infer.js';
export { type ColumnProfile, type ColumnType, ID_MIN_VALUES, HIGH_CARDINALITY } from './csv-profile.js';
export { MISSING_TOKENS } from './csv-table.js';
export {
  FLOAT32_MAX, parseNumber, parseDate, printable, quoteValue, listSome, type DecimalSeparator, type DateFormat,
} from './csv-values.js';

export { iris, IRIS_FEATURES, IRIS_CLASSES } from './iris.js';
export { mnistDigits, MNIST_SIZE, type MnistOptions } from './mnist.js';
export {
  linearRegression, xor, twoMoons, circles, spirals, gaussianBlobs, regression1d,
  type SyntheticOptions, type LinearRegressionOptions, type LinearRegressionData,
} from './synthetic.js';
export { listDatasets, datasetByName, type DatasetByNameOptions, type DatasetDescription } from './registry.js';
