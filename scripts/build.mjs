// Builds the package's JavaScript and types into dist/src, dist/node and dist/cli (what package.json
// ships), from a clean slate so no file of an older build is packed. Runs on `npm run build` and,
// through `prepare`, on `npm pack` and `npm publish`, on installs from git (`npm i git+<url>`:
// npm runs only `prepare` there) and on `npm ci` in a checkout. Installs from the registry or a
// tarball run nothing: the package holds its build.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

for (const dir of ['dist/src', 'dist/node', 'dist/cli']) rmSync(dir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const { status } = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(status ?? 1);
