import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemberPool, poolSize } from '../../src/ensembles/member_pool.js';
import { BLOB_MLP, blobDataset } from './synthetic_member_data.js';
import { nativeAvailable } from '../helpers.js';

test('poolSize never runs more busy threads than cores', () => {
  for (const cores of [1, 2, 3, 8, 16]) {
    for (const jobs of [1, 2, 3, 5, 32]) {
      const { workers, threadsPerWorker } = poolSize(jobs, cores);
      assert.ok(workers * threadsPerWorker <= cores, `${jobs} jobs on ${cores} cores: ${workers} x ${threadsPerWorker}`);
      assert.ok(workers >= 1 && workers <= Math.min(jobs, cores));
    }
  }
  assert.deepEqual(poolSize(1, 8), { workers: 1, threadsPerWorker: 8 });
  assert.deepEqual(poolSize(3, 8), { workers: 3, threadsPerWorker: 2 });
  assert.deepEqual(poolSize(8, 2, 1), { workers: 1, threadsPerWorker: 2 });
});

test('MemberPool trains members in worker threads, in job order, with the results of trainMember', async () => {
  const data = blobDataset();
  const pool = new MemberPool(data, 3, { cores: 2, native: false });
  try {
    assert.equal(pool.size.workers, 2);
    const jobs = [0, 1, 2].map((id) => ({ id, family: BLOB_MLP, width: 4 + id, training: { epochs: 2, batchSize: 32, seed: 10 + id } }));
    const done: number[] = [];
    const results = await pool.run(jobs, (job) => done.push(job.id));
    assert.deepEqual(results.map((r) => r.width), [4, 5, 6]);
    assert.deepEqual(done.sort(), [0, 1, 2]);
    for (const r of results) assert.equal(r.testLogits.length, data.test.count * 3);
    const bad = [{ id: 9, family: BLOB_MLP, width: 0, training: { epochs: 1, seed: 1 } }];
    await assert.rejects(pool.run(bad), /member job 9 failed.*width must be an integer >= 1/s);
  } finally {
    await pool.close();
  }
});

test('by default MemberPool runs one native worker per core; they train and close without crashing', { skip: !nativeAvailable && 'native addon not built' }, async () => {
  const data = blobDataset();
  const pool = new MemberPool(data, 4, { cores: 2 });
  try {
    assert.deepEqual(pool.size, { workers: 2, threadsPerWorker: 1 });
    const jobs = [0, 1, 2, 3].map((id) => ({ id, family: BLOB_MLP, width: 4 + id, training: { epochs: 1, batchSize: 32, seed: 20 + id } }));
    const results = await pool.run(jobs);
    assert.deepEqual(results.map((r) => r.width), [4, 5, 6, 7]);
    for (const r of results) assert.ok(Number.isFinite(r.finalTrainLoss));
  } finally {
    await pool.close();
  }
});
