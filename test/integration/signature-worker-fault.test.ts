/**
 * The worker dies the hard way (SIGKILL) while a status check is at GetAccept (the stand-in
 * holds the call): the signer's view happened meanwhile. Once a new worker process is up,
 * the check is retried after its timeout, the view is recorded once, polling goes on, and
 * the signature ends signed and the quote accepted, with every transition exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { startGetAcceptStandIn, type GetAcceptStandIn } from '../../devtools/getaccept/server';
import { stopChild } from '../../scripts/lib/child-process';
import { eventually } from '../support/eventually';
import { signingOffice, useStandIn, type SigningOffice } from '../support/getaccept';
import { testRunDir } from '../support/harness-state';
import { startStack, type Stack } from '../support/stack';

const root = path.resolve(__dirname, '..', '..');

function startWorkerProcess(stack: Stack, name: string): ChildProcess {
  const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: root, env: stack.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(path.join(testRunDir(), `${stack.taskQueue}-${name}.log`));
  worker.stdout?.pipe(log);
  worker.stderr?.pipe(log);
  return worker;
}

function killHard(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.kill('SIGKILL');
  });
}

let standIn: GetAcceptStandIn;
let stack: Stack;
let office: SigningOffice;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  standIn = await startGetAcceptStandIn({ port: 0 });
  useStandIn(standIn);
  stack = await startStack({ inProcessWorker: false });
  office = await signingOffice(stack, standIn);
  await office.settings({ signaturePollInterval: 'PT1S' });
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => stopChild(worker)));
  await stack?.close();
  await standIn?.close();
});

it('resumes polling after the worker is killed during a check, without double transitions', async () => {
  const first = startWorkerProcess(stack, 'first');
  workers.push(first);
  const { documentId } = await office.createDocument();
  const sent = await office.sendForSignature(documentId);

  // The next check hangs at GetAccept; the signer opens the document meanwhile.
  const heldBefore = await office.heldCalls();
  await office.failProvider({ delayMs: 120_000, calls: 1 });
  await eventually(async () => ((await office.heldCalls()) > heldBefore ? true : undefined), { what: 'a check held at the provider' });
  await office.moveAtProvider(sent.id, 'viewed');
  await killHard(first);

  workers.push(startWorkerProcess(stack, 'second'));
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
