// The browser playground (web/) with Vite, on 127.0.0.1 only.
//   node scripts/playground.mjs            serve with live reload (port 5173, or the next free one)
//   node scripts/playground.mjs build      static build with relative URLs into dist/web
//   node scripts/playground.mjs preview    serve that build
// Options: --port N (or the environment variable PLAYGROUND_PORT / PORT), --open.
import { build, createServer, preview } from 'vite';

const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? 'serve';
const portIndex = args.findIndex((a) => a === '--port' || a.startsWith('--port='));
let port;
if (portIndex >= 0) port = Number(args[portIndex].includes('=') ? args[portIndex].split('=')[1] : args[portIndex + 1]);
else if (process.env.PLAYGROUND_PORT || process.env.PORT) port = Number(process.env.PLAYGROUND_PORT || process.env.PORT);
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
  console.error(`playground: --port must be an integer in [0, 65535], got ${port}`);
  process.exit(2);
}
const open = args.includes('--open');
const configFile = new URL('../vite.config.ts', import.meta.url).pathname;

if (command === 'build') {
  await build({ configFile, logLevel: 'info' });
  console.log('playground: static build in dist/web (open it from any static file server)');
} else if (command === 'serve' || command === 'dev') {
  const server = await createServer({ configFile, server: { host: '127.0.0.1', port: port ?? 5173, strictPort: port !== undefined, open } });
  await server.listen();
  console.log(`playground: serving on ${server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${server.config.server.port}/`}  (Ctrl-C to stop)`);
} else if (command === 'preview') {
  const server = await preview({ configFile, preview: { host: '127.0.0.1', port: port ?? 4173, strictPort: port !== undefined, open } });
  console.log(`playground: previewing dist/web on ${server.resolvedUrls?.local[0]}  (Ctrl-C to stop)`);
} else {
  console.error(`playground: unknown command '${command}'; use serve (default), build or preview`);
  process.exit(2);
}
