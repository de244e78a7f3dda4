/**
 * Requests being handled, for a process that closes: its HTTP server's close() waits for the
 * connections, not for the handlers — a client that hangs up (a browser closing with a view
 * beacon on its way) ends its connection while the handler still reads the database and asks
 * Temporal. Closing waits for these too before letting go of what they use.
 */
export class RequestsInFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Counts `handling` until it settles, and hands it back as it was. */
  track<T>(handling: Promise<T>): Promise<T> {
    this.pending.add(handling);
    handling.then(
      () => this.pending.delete(handling),
      () => this.pending.delete(handling),
    );
    return handling;
  }

  /** Settles once every request begun so far, and any begun meanwhile, has been handled. */
  async drained(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
