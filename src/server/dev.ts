import { runProcess } from './run-process.ts';

// Server and workers in one process, for a laptop.
await runProcess('dev', async (runtime) => {
  await runtime.startServer();
  await runtime.startMetricsServer();
  runtime.startWorker();
  await runtime.startBranchWorker();
});
