/** The producer connection refuses commands until Redis answers; readiness says when. */
export async function waitUntilReady(base: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await fetch(`${base}/readyz`)).status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('server never became ready');
}
