// An independent, minimal safetensors reader for the tests: 8-byte little-endian header length, the
// JSON header, then F32 data read with a DataView. It shares no code with the library's reader.
import { readFileSync } from 'node:fs';

export interface RawTensor {
  shape: number[];
  data: Float32Array;
}

export interface RawSafetensors {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

export function readSafetensors(path: string): RawSafetensors {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, data_offsets: [begin, end] } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (dtype !== 'F32') throw new Error(`test reader: ${name} has dtype ${dtype}, only F32 is read`);
    const count = (end - begin) / 4;
    if (count !== shape.reduce((a, b) => a * b, 1)) throw new Error(`test reader: ${name} size does not match its shape`);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + begin + 4 * i, true);
    tensors.set(name, { shape, data });
  }
  return { tensors, metadata };
}
