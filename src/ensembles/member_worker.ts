// Worker-thread entry of the member pool: sets its compute threads once (so workers x threads never exceeds the
// cores), activates the best backend, then trains one member per message and posts its logits back.
import { parentPort, workerData } from 'node:worker_threads';
import { setNumThreads } from '../engine/threads.js';
import { useBestBackend } from '../engine/backend.js';
import { trainMember } from './train_member.js';
import type { MemberJob, MemberWorkerData, WorkerReply } from './member_pool.js';

const { dataset, threads } = workerData as MemberWorkerData;
const port = parentPort!;
const ready = useBestBackend().then(() => setNumThreads(threads));

port.on('message', (job: MemberJob) => {
  void ready.then(() => {
    try {
      const result = trainMember(dataset, job.family, job.width, job.training);
      const reply: WorkerReply = { id: job.id, result };
      port.postMessage(reply, [result.validationLogits.buffer as ArrayBuffer, result.testLogits.buffer as ArrayBuffer]);
    } catch (e) {
      const reply: WorkerReply = { id: job.id, error: (e as Error).stack ?? String(e) };
      port.postMessage(reply);
    }
  });
});
