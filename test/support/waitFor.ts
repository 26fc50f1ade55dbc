/** Polls until `condition` holds; fails with `what` after the timeout rather than hanging the suite. */
export async function waitFor(condition: () => Promise<boolean>, what = 'condition', timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
