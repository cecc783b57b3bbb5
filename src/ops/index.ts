/** The ops layer: differentiable operations and tensor creation. */
import './tensor-methods.js';

export * from './core.js';
export * from './creation.js';
export * from './elementwise.js';
export * from './shape-ops.js';
export * from './reduce.js';
export * from './matmul.js';
export * from './indexing.js';
export * from './activations.js';
