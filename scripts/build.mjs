// Builds the package's JavaScript and types into dist/src, dist/node and dist/cli (what package.json
// ships), from a clean slate so no file of an older build is packed. Runs on `npm run build` and,
// through `prepack`, on `npm pack`, `npm publish` and installs from git (`npm i git+<url>`).
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

for (const dir of ['dist/src', 'dist/node', 'dist/cli']) rmSync(dir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const { status } = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(status ?? 1);
