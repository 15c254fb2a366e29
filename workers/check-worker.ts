import { runProcess } from '../src/server/run-process.ts';

// A worker process: scale these horizontally; each takes jobs from the shared Redis queue.
await runProcess('worker', async (runtime) => {
  runtime.startWorker();
});
