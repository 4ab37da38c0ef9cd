import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeRunReport } from '../../src/report/write_report.js';
import { writeSyntheticRun } from './synthetic_run.js';

test('writeRunReport writes report.md and valid SVG plots, with relative image links', async () => {
  const dir = writeSyntheticRun({ epochs: 4, allPrunedLast: true });
  try {
    const t0 = performance.now();
    const report = await writeRunReport({ runDir: dir });
    const ms = performance.now() - t0;
    assert.ok(ms < 4000, `report took ${ms} ms`);
    const out = join(dir, 'report');
    assert.equal(report.markdown, join(out, 'report.md'));
    assert.deepEqual(readdirSync(out).sort(), ['compression.svg', 'gate_heatmap.svg', 'kept_structure.svg', 'learning_curves.svg', 'report.md'],
      'no temporary files left behind');

    const svg = (name: string) => readFileSync(join(out, name), 'utf8');
    const expected: Record<string, string[]> = {
      'learning_curves.svg': ['Learning curves', 'train objective', 'accuracy', 'nll', 'validation', 'test', 'mark-line'],
      'compression.svg': ['Compression ratio and sparsity', 'compression ratio (log)', 'sparsity %', '1 epoch(s) with every weight pruned', 'mark-line'],
      'kept_structure.svg': ['Kept structure', 'kept hidden neurons (of 8)', 'gate o', 'constant gates by type', 'mark-line'],
      'gate_heatmap.svg': ['Gate states per hidden unit', '5 of 8 units kept', 'computed', 'constant', 'removed', 'mark-rect'],
    };
    for (const [name, labels] of Object.entries(expected)) {
      const text = svg(name);
      assert.ok(text.startsWith('<svg') && text.trimEnd().endsWith('</svg>'), `${name} is not an SVG document`);
      assert.ok(!text.includes('NaN') && !text.includes('Infinity'), `${name} has a non-finite coordinate`);
      for (const label of labels) assert.ok(text.includes(label), `${name} lacks "${label}"`);
    }

    const md = readFileSync(report.markdown, 'utf8');
    assert.match(md, /^# Run report: parsimony-run-/);
    assert.match(md, /\| preset \| LCLCCL \|/);
    assert.match(md, /\| optimizer\.name \| adam \|/, 'nested config keys are dotted');
    assert.match(md, /## Final epoch \(4\)/);
    assert.match(md, /\| compression ratio \| ∞ \(every weight pruned\) \|/);
    assert.match(md, /\| accuracy \| 0\.75 \| 0\.78 \|/);
    assert.match(md, /\| kept hidden neurons \| 0 \/ 8 \(0 %\) \|/);
    assert.match(md, /\| constant gates \| 0 \(i 0, f 0, g 0, o 0\) \|/);
    // Validation accuracy 0.6, 0.7, 0.8, 0.75: the best is epoch 3 (accuracy: higher is better, known by name).
    assert.match(md, /By validation accuracy \(higher is better\): epoch 3\./);
    assert.match(md, /\| kept gates \| 15 \/ 32 \(46\.88 %\) \(i 5, f 5, g 5, o 0\) \|/);
    assert.match(md, /\| 3 \| 0\.5333 \| 0\.8 \| 0\.78 \|/, 'per-epoch table row');
    for (const file of ['learning_curves.svg', 'compression.svg', 'kept_structure.svg', 'gate_heatmap.svg']) {
      assert.ok(md.includes(`](${file})`), `no link to ${file}`);
    }
    assert.match(md, /250 kept word\(s\) of 300; the first 200, most frequent first:/);
    assert.ok(md.includes('w0 w1 w2 "two words" w4'));
    assert.ok(md.includes('w199') && !md.includes('w200'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--out, a declared primary metric, and a run without structure.json', async () => {
  const dir = writeSyntheticRun({ epochs: 3, structure: false, config: { task: 'ptb', primaryMetric: { name: 'nll', higherIsBetter: false } } });
  try {
    const out = join(dir, 'elsewhere');
    const report = await writeRunReport({ runDir: dir, outDir: out });
    assert.equal(report.images.length, 3, 'no gate heatmap without gate states');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /Task: ptb/);
    assert.match(md, /By validation nll \(lower is better\): epoch 3 \(the final epoch\)\./);
    assert.ok(!md.includes('## Kept words'));
    assert.ok(!md.includes('gate_heatmap.svg'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
