import { runProcess } from './run-process.ts';

await runProcess('server', async (runtime) => {
  await runtime.startServer();
});
