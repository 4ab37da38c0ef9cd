#!/usr/bin/env node
// tfjs-core's CommonJS build (what Node loads) lacks gradient registrations and chained ops (t.add(..));
// they ship only as extension-less ES modules that Node cannot import. Bundle them once into
// build/tfjs-extras.cjs, as the @tensorflow/tfjs union bundle does. Engine, registries and the Tensor
// class are process-wide singletons in tfjs-core, so the bundled copies register into the same engine.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

export function bundleTfjsExtras(root = join(dirname(fileURLToPath(import.meta.url)), '..')) {
  const outfile = join(root, 'build', 'tfjs-extras.cjs');
  mkdirSync(dirname(outfile), { recursive: true });
  buildSync({
    stdin: {
      contents: "import '@tensorflow/tfjs-core/dist/register_all_gradients';\nimport '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';\n",
      resolveDir: root,
    },
    bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`[parsimony] wrote ${bundleTfjsExtras()}`);
