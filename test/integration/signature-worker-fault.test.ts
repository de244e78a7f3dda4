/**
 * The worker dies the hard way (SIGKILL) while a status check is at GetAccept (the stand-in
 * holds the call): the signer's view happened meanwhile. Once a new worker process is up,
 * the check is retried after its timeout, the view is recorded once, polling goes on, and
 * the signature ends signed and the quote accepted, with every transition exactly once.
 */
import { eventually } from '../support/eventually';
import { startSigningStack, type SigningOffice, type SigningStack } from '../support/getaccept';
import type { Stack } from '../support/stack';
import { killHard, WorkerProcesses } from '../support/worker-process';

let signing: SigningStack;
let stack: Stack;
let office: SigningOffice;
const workers = new WorkerProcesses();

beforeAll(async () => {
  signing = await startSigningStack({ stack: { inProcessWorker: false } });
  ({ stack, office } = signing);
  await office.settings({ signaturePollInterval: 'PT1S' });
}, 120_000);
afterAll(async () => {
  await workers.stopAll();
  await signing?.close();
});

it('resumes polling after the worker is killed during a check, without double transitions', async () => {
  const first = workers.start(stack, 'first');
  const { documentId } = await office.createDocument();
  const sent = await office.sendForSignature(documentId);

  // The next check hangs at GetAccept; the signer opens the document meanwhile.
  const heldBefore = await office.heldCalls();
  await office.failProvider({ delayMs: 120_000, calls: 1 });
  await eventually(async () => ((await office.heldCalls()) > heldBefore ? true : undefined), { what: 'a check held at the provider' });
  await office.moveAtProvider(sent.id, 'viewed');
  await killHard(first);

  workers.start(stack, 'second');
  await office.waitForDigitalStatus(documentId, 'viewed');
  await office.moveAtProvider(sent.id, 'signed');
  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote accepted' });

  const events = await office.events(documentId);
  const count = (type: string) => events.filter((event) => event.type === type).length;
  expect({
    signature_sent: count('signature_sent'),
    signature_viewed: count('signature_viewed'),
    signed: count('signed'),
    accepted: count('accepted'),
  }).toEqual({ signature_sent: 1, signature_viewed: 1, signed: 1, accepted: 1 });
  expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
}, 180_000);
