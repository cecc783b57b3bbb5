// Vite configuration of the browser playground (web/): `npm run playground` serves it on
// 127.0.0.1, `npm run build:web` writes a static build with relative URLs to dist/web.
import { defineConfig } from 'vite';

// Cross-origin isolation: the wasm engine's shared memory needs SharedArrayBuffer, which browsers
// give only to isolated pages. A static host of dist/web must send the same two headers (without
// them the playground still works, on the js engine).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: false,
  clearScreen: false,
  server: { host: '127.0.0.1', strictPort: false, headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
  worker: { format: 'es' },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
});
