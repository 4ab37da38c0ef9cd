// The one place that imports tfjs: core (its CommonJS build, the same instance users get from
// `import * as tf from '@tensorflow/tfjs-core'`), the cpu backend the native backend builds on, and the
// gradient + chained-op registrations that core's CommonJS build leaves out (see scripts/tfjs-extras.mjs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dir;
}

const root = packageRoot();
const extras = join(root, 'build', 'tfjs-extras.cjs');
if (!existsSync(extras)) {
  throw new Error(`${extras} is missing: run \`npm install\` (or \`node scripts/tfjs-extras.mjs\`) in ${root}. Without it tfjs has no gradients.`);
}
createRequire(import.meta.url)(extras);

export { tf, root as packageRoot };
