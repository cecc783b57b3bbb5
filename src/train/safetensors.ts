import { Tensor } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';

/**
 * The safetensors format (as written by Hugging Face's `safetensors`, read by NumPy and PyTorch
 * tools): an 8-byte little-endian header length N, N bytes of JSON header, then the raw tensor
 * bytes. The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }`
 * (offsets relative to the byte buffer after the header) and may hold `__metadata__`, a map of
 * strings to strings. Tensors are little-endian and row-major.
 *
 * Decoding validates everything before touching the data — header size, JSON, dtypes, shapes,
 * offsets in bounds, contiguous and non-overlapping — and only ever reads numbers: nothing in a
 * file is executed.
 */

/** Raised when bytes are not a valid safetensors file; the message says what is wrong. */
export class SafetensorsError extends Error {
  /** Always `'SafetensorsError'`. */
  override name = 'SafetensorsError';
}

const DTYPE_CODES: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32' };
const CODE_DTYPES: Record<string, DType> = { F32: 'float32', F64: 'float64', I32: 'int32' };
const BYTES: Record<DType, number> = { float32: 4, float64: 8, int32: 4 };
/** A sanity limit on the JSON header (the reference implementation uses 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

/** Serialises named tensors (and string metadata) to safetensors bytes, tensors in name order. */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const bytes = t.size * BYTES[t.dtype];
    header[name] = { dtype: DTYPE_CODES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name];
    at = writeLittleEndian(t, view, at);
  }
  return out;
}

function writeLittleEndian(t: Tensor, view: DataView, at: number): number {
  const d = t.data;
  if (t.dtype === 'float32') for (let i = 0; i < d.length; i++, at += 4) view.setFloat32(at, d[i], true);
  else if (t.dtype === 'float64') for (let i = 0; i < d.length; i++, at += 8) view.setFloat64(at, d[i], true);
  else for (let i = 0; i < d.length; i++, at += 4) view.setInt32(at, d[i], true);
  return at;
}

/** The parsed contents of a safetensors file. */
export interface SafetensorsContents {
  /** Every tensor by its name in the header, with its stored dtype and shape. */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__` string map (empty when absent). */
  metadata: Record<string, string>;
}

/** Parses and validates safetensors bytes. `source` names the file in error messages. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsContents {
  const fail = (why: string): never => {
    throw new SafetensorsError(`${source}: ${why}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES) fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (8 + headerLength > bytes.length) fail(`truncated: header says ${headerLength} bytes but only ${bytes.length - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const entries = header as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;

  let metadata: Record<string, string> = {};
  if ('__metadata__' in entries) {
    const m = entries.__metadata__;
    if (typeof m !== 'object' || m === null || Array.isArray(m) || Object.values(m).some((v) => typeof v !== 'string')) {
      fail('__metadata__ must be an object of strings');
    }
    metadata = { ...(m as Record<string, string>) };
  }

  const spans: Array<{ name: string; begin: number; end: number; dtype: DType; shape: number[] }> = [];
  for (const [name, raw] of Object.entries(entries)) {
    if (name === '__metadata__') continue;
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof info !== 'object' || info === null) fail(`tensor '${name}': entry is not an object`);
    const dtype = typeof info.dtype === 'string' ? CODE_DTYPES[info.dtype] : undefined;
    if (!dtype) fail(`tensor '${name}': unsupported dtype ${JSON.stringify(info.dtype)} (supported: F32, F64, I32)`);
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(`tensor '${name}': shape must be an array of non-negative integers`);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0)) {
      fail(`tensor '${name}': data_offsets must be two non-negative integers`);
    }
    const [begin, end] = offsets as number[];
    const expected = sizeOf(shape as number[]) * BYTES[dtype as DType];
    if (end - begin !== expected) fail(`tensor '${name}': data_offsets span ${end - begin} bytes but dtype and shape need ${expected}`);
    if (end > dataLength) fail(`truncated: tensor '${name}' ends at byte ${end} but the data section has ${dataLength} bytes`);
    spans.push({ name, begin, end, dtype: dtype as DType, shape: shape as number[] });
  }
  // The data section must be exactly covered by the tensors, without gaps or overlaps.
  const ordered = [...spans].sort((a, b) => a.begin - b.begin);
  let cursor = 0;
  for (const s of ordered) {
    if (s.begin !== cursor) fail(`tensor '${s.name}' starts at byte ${s.begin}, expected ${cursor} (gap or overlap in data_offsets)`);
    cursor = s.end;
  }
  if (cursor !== dataLength) fail(`data section has ${dataLength} bytes but the tensors cover ${cursor}`);

  const tensors: Record<string, Tensor> = {};
  for (const s of spans) tensors[s.name] = readTensor(view, dataStart + s.begin, s.dtype, s.shape);
  return { tensors, metadata };
}

function readTensor(view: DataView, at: number, dtype: DType, shape: number[]): Tensor {
  const n = sizeOf(shape);
  if (dtype === 'float32') {
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++, at += 4) d[i] = view.getFloat32(at, true);
    return new Tensor(d, shape);
  }
  if (dtype === 'float64') {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++, at += 8) d[i] = view.getFloat64(at, true);
    return new Tensor(d, shape);
  }
  const d = new Int32Array(n);
  for (let i = 0; i < n; i++, at += 4) d[i] = view.getInt32(at, true);
  return new Tensor(d, shape);
}
