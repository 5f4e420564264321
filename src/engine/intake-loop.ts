// An intake worker's loop: validate an NDJSON body, answer with the compact batch (its numbers and log
// bytes transferred), and count the bodies finished where the pool can read it at once (intake-pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { intakeNdjson, type IntakeRequest, type NdjsonBody } from './intake.ts';

export interface IntakeJob extends IntakeRequest {
  id: number;
  body: NdjsonBody;
}

const port = parentPort!;
const finished = (workerData as { finished: Int32Array }).finished;
port.on('message', (job: IntakeJob) => {
  try {
    const intake = intakeNdjson(job.body, job);
    Atomics.add(finished, 0, 1);
    port.postMessage({ id: job.id, intake }, [intake.batch.nums.buffer, intake.batch.log.buffer]);
  } catch (error) {
    Atomics.add(finished, 0, 1);
    port.postMessage({ id: job.id, error: { message: (error as Error).message } });
  }
});
