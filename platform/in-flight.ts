/**
 * Requests being handled, for a process that closes: its HTTP server's close() waits for the
 * connections, not for the handlers — a client that hangs up (a browser closing with a view
 * beacon on its way) ends its connection while the handler still reads the database and asks
 * Temporal. Closing waits for these too before letting go of what they use.
 */
export class RequestsInFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** How many requests are being handled now. */
  get size(): number {
    return this.pending.size;
  }

  /** Counts `handling` until it settles, and hands it back as it was. */
  track<T>(handling: Promise<T>): Promise<T> {
    this.pending.add(handling);
    handling.then(
      () => this.pending.delete(handling),
      () => this.pending.delete(handling),
    );
    return handling;
  }

  /**
   * Settles once every request begun so far, and any begun meanwhile, has been handled — or once
   * `graceMs` have passed, answering how many were still being handled then (a handler that never
   * ends must not hold a close forever).
   */
  async drained(graceMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'grace over'>((resolve) => (timer = setTimeout(() => resolve('grace over'), graceMs)));
    try {
      while (this.pending.size > 0) {
        if ((await Promise.race([Promise.allSettled([...this.pending]), graceOver])) === 'grace over') break;
      }
      return this.pending.size;
    } finally {
      clearTimeout(timer);
    }
  }
}
