// An intake worker's loop: validate an NDJSON body, answer with the compact batch (its numbers and log bytes transferred).
import { parentPort } from 'node:worker_threads';
import { intakeNdjson, type IntakeRequest, type NdjsonBody } from './intake.ts';

export interface IntakeJob extends IntakeRequest {
  id: number;
  body: NdjsonBody;
}

const port = parentPort!;
port.on('message', (job: IntakeJob) => {
  try {
    const intake = intakeNdjson(job.body, job);
    port.postMessage({ id: job.id, intake }, [intake.batch.nums.buffer, intake.batch.log.buffer]);
  } catch (error) {
    port.postMessage({ id: job.id, error: { message: (error as Error).message } });
  }
});
