/**
 * Waits for something that happens asynchronously (a workflow sends an email, an activity
 * writes a row): polls `probe` until it returns a value other than undefined. The deadline
 * only bounds a broken run; no test asserts on how long it took.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, options: { what: string; timeoutMs?: number; everyMs?: number }): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Gave up waiting for ${options.what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 100));
  }
}
