// Vite configuration of the browser playground (web/): `npm run playground` serves it on
// 127.0.0.1, `npm run build:web` writes a static build with relative URLs to dist/web.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: false,
  clearScreen: false,
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
  worker: { format: 'es' },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
});
