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
    await requests.drained();
    expect(settled).toEqual(['failed', 'first', 'late']);
  });

  it('drains at once when nothing is in flight', async () => {
    await expect(new RequestsInFlight().drained()).resolves.toBeUndefined();
  });
});
