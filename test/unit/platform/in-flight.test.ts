import { RequestsInFlight } from '../../../platform/in-flight';

describe('RequestsInFlight', () => {
  it('drains once every request begun, and one begun while draining, has settled — failed ones too', async () => {
    const requests = new RequestsInFlight();
    const settled: string[] = [];
    let finishLate: () => void = () => {};
    const late = new Promise<void>((resolve) => (finishLate = resolve)).then(() => settled.push('late'));
    const failing = requests.track(new Promise<void>((_, reject) => setTimeout(() => reject(new Error('the handler failed')), 5)));
    failing.catch(() => settled.push('failed'));
    requests.track(new Promise<void>((resolve) => setTimeout(resolve, 10)).then(() => {
      settled.push('first');
      requests.track(late);
      setTimeout(finishLate, 10);
    }));
    expect(await requests.drained(5_000)).toBe(0);
    expect(settled).toEqual(['failed', 'first', 'late']);
  });

  it('drains at once when nothing is in flight', async () => {
    await expect(new RequestsInFlight().drained(5_000)).resolves.toBe(0);
  });

  it('gives up on a handler that never ends once the grace is over, saying how many are left', async () => {
    const requests = new RequestsInFlight();
    requests.track(new Promise<void>(() => {}));
    const started = Date.now();
    expect(await requests.drained(50)).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
