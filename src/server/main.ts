import { runProcess } from './run-process.ts';

await runProcess('server', async (runtime) => {
  await runtime.startServer();
  // Prometheus scrapes METRICS_PORT, never the public webhook port.
  await runtime.startMetricsServer();
});
