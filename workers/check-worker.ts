import { runProcess } from '../src/server/run-process.ts';

// A worker process: scale these horizontally; each takes jobs from the shared Redis queues
// (checks, chat-ops commands, pushes and the reconciler, whose schedule BullMQ keeps once) and
// serves its own /metrics and /healthz on METRICS_PORT.
await runProcess('worker', async (runtime) => {
  runtime.startWorker();
  await runtime.startBranchWorker();
  await runtime.startMetricsServer();
});
