/**
 * Sending for digital signing through GetAccept, against the local stand-in with the real
 * API, worker, Temporal and PostgreSQL: the tenant's own words for a purpose's message are
 * what GetAccept sends; the digital status reads Utkast (draft) from the moment of sending
 * until GetAccept says sent, and the start page counts it; a refusal by GetAccept is an event
 * the seller reads, with GetAccept's message.
 */
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { startSigningStack, type SigningStack } from '../support/getaccept';
import { saveClosedHistory } from '../replay/record';

let signing: SigningStack;

beforeAll(async () => {
  signing = await startSigningStack();
});
afterAll(async () => {
  await signing?.close();
});

/** Fails every GetAccept call until cleared: the workflow's create retries meanwhile. */
async function failGetAcceptUntilCleared(): Promise<() => Promise<void>> {
  await signing.office.failProvider({ status: 503 });
  return async () => {
    const cleared = await fetch(`${signing.standIn.url}/_dev/fault`, { method: 'DELETE' });
    if (!cleared.ok) throw new Error(`clearing the stand-in's fault answered ${cleared.status}`);
  };
}

/** The start page's count of documents in each digital status. */
async function signatureCounts() {
  return (await succeeded(signing.office.api.GET('/v1/signatures/summary'), 200)).counts;
}

const sendThroughGetAccept = (id: string) =>
  succeeded(signing.office.api.POST('/v1/documents/{id}/send', { params: { path: { id } }, body: { signature: { provider: 'getaccept' } } }), 202);

async function waitForProviderCall(after: number): Promise<void> {
  await eventually(async () => ((await signing.office.providerCalls()) > after ? true : undefined), { what: 'the workflow to call GetAccept' });
}

type Signer = { email: string; name: string; role: 'signer'; step: number };

/**
 * A quote sent to an approver on the portal (Carl Chef, step 1), then to its contact as
 * GetAccept's signer (step 2) and any later signers: once the approver's invitation is out, with
 * their link, and how many calls GetAccept had before the send.
 */
async function sentToApproverThenSigners(laterSigners: Signer[] = []) {
  const { office, stack } = signing;
  const { documentId, email } = await office.createDocument();
  const { number } = await office.document(documentId);
  const chef = `chef-${documentId}@example.test`;
  const callsBefore = await office.providerCalls();
  await succeeded(
    office.api.POST('/v1/documents/{id}/send', {
      params: { path: { id: documentId } },
      body: { signature: { provider: 'getaccept' }, deciders: [{ email: chef, name: 'Carl Chef', role: 'approver' }, ...laterSigners, { email, name: 'Åsa Öberg', role: 'signer', step: 2 }] },
    }),
    202,
  );
  const invitation = await eventually(async () => (await stack.readOutbox()).find((message) => message.to.includes(chef) && message.subject.includes(number)), { what: "the approver's invitation" });
  const link = invitation.links.find((candidate) => candidate.startsWith(`${stack.baseUrl}/d/`)) as string;
  return { documentId, number, email, chef, link, callsBefore };
}

/** The approver's decision on their link, as the portal's script posts it. */
async function decide(link: string, action: 'accept' | 'refuse') {
  const response = await fetch(`${link}/${action}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' });
  return { status: response.status, body: (await response.json()) as { status?: string; detail?: string } };
}

/**
 * A quote sent to approvers then GetAccept, closed before its signing started: its run over, it reads
 * as a quote sent without a signature (no digital status, no signature to show or to count on the
 * start page) and GetAccept was never asked. Its history kept for the replay test when recording.
 */
async function closedWithoutSignature(documentId: string, status: 'cancelled' | 'refused', callsBefore: number, history: string): Promise<void> {
  const { office, stack } = signing;
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();
  expect(await office.document(documentId)).toMatchObject({ status, digitalStatus: null });
  expect((await office.api.GET('/v1/documents/{id}/signature', { params: { path: { id: documentId } } })).response.status).toBe(404);
  expect(await office.providerCalls()).toBe(callsBefore);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, `quote-${documentId}`, history);
}

it("sends a purpose's message in the tenant's own words; the catalogue checks them like any template", async () => {
  const { office } = signing;
  const refused = await office.api.PATCH('/v1/settings', {
    body: { templates: { digital_quick_quote: { sv: { subject: 'Snabboffert {{number}}', body: 'Signera här: {{link}}' } } } },
  });
  // GetAccept adds its own signing link: ours has no place in its message.
  expect(refused.response.status).toBe(422);
  expect(refused.error?.errors).toEqual([{ path: 'templates.digital_quick_quote.sv.body', message: expect.stringContaining('unknown placeholder {{link}}') }]);

  const ours = {
    subject: '{{seller}}: din snabboffert {{number}}',
    body: 'Hej {{customer}}!\n\nSnabboffert {{number}} på {{total}} väntar på din signatur.\n\n/{{seller}}',
    sms: '{{seller}}: snabboffert {{number}} på {{total}}, signera i länken.',
  };
  await office.settings({ templates: { digital_quick_quote: { sv: ours } } });

  const byEmail = await office.createDocument();
  const sent = await office.sendForSignature(byEmail.documentId, { purpose: 'quick_quote' });
  const number = (await office.document(byEmail.documentId)).number;
  expect(sent.email_send_subject).toMatch(new RegExp(`^Servicebolaget \\w+: din snabboffert ${number}$`));
  expect(sent.email_send_message).toMatch(new RegExp(`^Hej Åsa Öberg!\\n\\nSnabboffert ${number} på .+ väntar på din signatur\\.\\n\\n/Servicebolaget \\w+$`));

  const bySms = await office.createDocument();
  const texted = await office.sendForSignature(bySms.documentId, { purpose: 'quick_quote', channel: 'sms' });
  expect(texted.is_sms_sending).toBe(true);
  expect(texted.email_send_message).toMatch(/^Servicebolaget \w+: snabboffert \S+ på .+, signera i länken\.$/);

  // Another purpose keeps Greenlight's words.
  const order = await office.createDocument('order');
  expect((await office.sendForSignature(order.documentId)).email_send_subject).toMatch(/^Orderbekräftelse /);
});

it('shows Utkast (draft) from the send until GetAccept reports it sent, and the start page counts it', async () => {
  const { office } = signing;
  const draftsBefore = (await signatureCounts()).draft ?? 0;
  const { documentId } = await office.createDocument();
  const clearFault = await failGetAcceptUntilCleared();
  const callsBefore = await office.providerCalls();
  try {
    await sendThroughGetAccept(documentId);
    // Draft as soon as the send is answered, and still draft while the workflow is at GetAccept's door.
    expect((await office.document(documentId)).digitalStatus).toBe('draft');
    await waitForProviderCall(callsBefore);
    expect((await office.document(documentId)).digitalStatus).toBe('draft');
    expect((await signatureCounts()).draft).toBe(draftsBefore + 1);
    const listed = await succeeded(office.api.GET('/v1/documents', { params: { query: { digitalStatus: 'draft' } } }), 200);
    expect(listed.data.map((row) => row.id)).toContain(documentId);
  } finally {
    await clearFault();
  }
  await office.waitForDigitalStatus(documentId, 'sent');
  expect((await signatureCounts()).draft).toBe(draftsBefore);
});

it("records GetAccept's refusal as signature_failed with its message, and the digital status says failed", async () => {
  const { office, stack } = signing;
  const { documentId } = await office.createDocument();
  const clearFault = await failGetAcceptUntilCleared();
  const callsBefore = await office.providerCalls();
  try {
    await sendThroughGetAccept(documentId);
    await waitForProviderCall(callsBefore);
    // Meanwhile the signer's address and number turn out unusable: GetAccept will refuse the recipient.
    await stack.prisma.externalSignature.update({ where: { documentId }, data: { recipientEmail: null, recipientMobile: null } });
  } finally {
    await clearFault();
  }
  await office.waitForDigitalStatus(documentId, 'failed');
  const failed = (await office.events(documentId)).filter((event) => event.type === 'signature_failed');
  expect(failed).toHaveLength(1);
  expect(failed[0]?.data.provider).toBe('getaccept');
  expect(failed[0]?.data.error).toContain('All recipients must have either a valid e-mail or a mobile number');
  expect(failed[0]?.data.error).toContain('400');
  // The workflow ends there (nothing left to poll), without failing: the trail says why.
  const view = await stack.client.workflow.getHandle(`signature-${documentId}`).result();
  expect(view).toMatchObject({ digitalStatus: 'failed' });
  expect((await signatureCounts()).failed).toBeGreaterThanOrEqual(1);
});

it("sends several signers as GetAccept's recipients in their signing order, and refuses approvers without signers there", async () => {
  const { office } = signing;
  const { documentId, email } = await office.createDocument();
  const send = (body: object) => office.api.POST('/v1/documents/{id}/send', { params: { path: { id: documentId } }, body: { signature: { provider: 'getaccept' }, ...body } as never });
  const problems = [
    [{ deciders: [{ email: 'chef@example.test', role: 'approver' }] }, 'deciders.0.role'],
    [{ deciders: [{ email, role: 'signer' }, { email: 'chef@example.test', role: 'approver', step: 2 }] }, 'deciders.1.step'],
    [{ deciders: [{ email: 'chef@example.test', role: 'approver' }, { email, role: 'signer', step: 2 }], rule: 'any' }, 'rule'],
  ] as const;
  for (const [body, path] of problems) {
    const refused = await send(body);
    expect([refused.response.status, refused.error?.errors?.[0]?.path]).toEqual([422, path]);
  }

  const sent = (await office.sendForSignature(documentId, {
    deciders: [
      { email: 'vd@example.test', name: 'Vera Direktör', role: 'signer', step: 2 },
      { email, name: 'Åsa Öberg', role: 'signer' },
    ],
  }));
  expect(sent.is_signing_order).toBe(true);
  expect(sent.recipients.map((recipient) => [recipient.email, recipient.fullname, recipient.order_num])).toEqual([
    [email, 'Åsa Öberg', '1'],
    ['vd@example.test', 'Vera Direktör', '2'],
  ]);
  // The provider writes to them: no email of ours, and the portal asks nobody.
  expect((await signing.stack.prisma.document.findUniqueOrThrow({ where: { id: documentId } })).deciders).toBeNull();
});

it('cancelled while its approver still decides, a quote sent to approvers then GetAccept reads as one without a signature, its run closed, GetAccept never asked', async () => {
  const { office } = signing;
  const { documentId, callsBefore } = await sentToApproverThenSigners();
  await eventually(async () => ((await office.document(documentId)).status === 'sent' ? true : undefined), { what: 'the quote sent' });
  expect((await office.document(documentId)).digitalStatus).toBe('draft');
  expect((await office.api.POST('/v1/documents/{id}/cancel', { params: { path: { id: documentId } }, body: {} })).response.status).toBe(202);
  await closedWithoutSignature(documentId, 'cancelled', callsBefore, 'quote-deciders-cancelled-before-getaccept');
});

it('refused by its approver on the portal, a quote sent to approvers then GetAccept reads as one without a signature, its run closed, GetAccept never asked', async () => {
  const { office } = signing;
  const { documentId, link, callsBefore } = await sentToApproverThenSigners();
  expect((await office.document(documentId)).digitalStatus).toBe('draft');
  expect((await decide(link, 'refuse')).status).toBe(200);
  await closedWithoutSignature(documentId, 'refused', callsBefore, 'quote-deciders-refused-before-getaccept');
});

it("reminds the approver on the portal, then the signers at GetAccept once the approver agreed; tells the approver a signer declined when GetAccept's signer rejects it", async () => {
  const { office, stack } = signing;
  const { documentId, number, chef, link } = await sentToApproverThenSigners();
  // Each its own reminder (the same body twice would be one decision).
  const remind = (which: string) => office.api.POST('/v1/documents/{id}/remind', { params: { path: { id: documentId }, header: { 'Idempotency-Key': `${documentId}-${which}` } }, body: {} });
  // Before the signing starts, the seller's reminder goes to the approver awaited, on their own link (nothing yet at GetAccept).
  expect((await remind('approver')).response.status).toBe(202);
  const reminder = await eventually(async () => (await stack.readOutbox()).find((message) => message.to.includes(chef) && message.subject === `Påminnelse: offert ${number} väntar på ditt svar`), {
    what: "the approver's reminder",
  });
  expect(reminder.links.some((candidate) => candidate.startsWith(`${stack.baseUrl}/d/`))).toBe(true);
  expect((await decide(link, 'accept')).status).toBe(200);
  await office.waitForDigitalStatus(documentId, 'sent');
  const atProvider = await office.standInDocument(documentId);
  // Then GetAccept reminds its signer.
  expect((await remind('signer')).response.status).toBe(202);
  await eventually(async () => ((await office.remindersAt(atProvider.id)).length === 1 ? true : undefined), { what: 'the signer reminded at GetAccept' });
  await office.moveAtProvider(atProvider.id, 'rejected');
  expect((await office.checkSignature(documentId)).response.status).toBe(202);
  await eventually(async () => ((await office.document(documentId)).status === 'refused' ? true : undefined), { what: 'the quote refused' });
  // GetAccept does not say which signer rejected it: the approver hears "a signer" declined it, on a link of their own.
  const told = await eventually(async () => (await stack.readOutbox()).find((message) => message.to.includes(chef) && message.subject.startsWith(`Offert ${number} avböjd`)), { what: 'the approver told' });
  expect(told.text).toContain('en undertecknare avböjde den');
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, `quote-${documentId}`, 'quote-deciders-then-getaccept-rejected');
});

it('asks the approvers on the portal first, then sends GetAccept its signers in order; their signature accepts the quote, and the approvers hear it', async () => {
  const { office, stack } = signing;
  // The approver gets our email with a link of their own; GetAccept has nothing yet.
  const { documentId, number, email, chef, link } = await sentToApproverThenSigners([{ email: 'vd@example.test', name: 'Vera Direktör', role: 'signer', step: 3 }]);
  await eventually(async () => ((await office.document(documentId)).status === 'sent' ? true : undefined), { what: 'the quote sent' });
  expect((await stack.prisma.externalSignature.findUniqueOrThrow({ where: { documentId } })).providerDocumentId).toBeNull();
  expect((await office.document(documentId)).digitalStatus).toBe('draft');

  expect(await decide(link, 'accept')).toMatchObject({ status: 200, body: { status: 'sent' } });
  await office.waitForDigitalStatus(documentId, 'sent');
  const atProvider = await office.standInDocument(documentId);
  expect(atProvider.is_signing_order).toBe(true);
  expect(atProvider.recipients.map((recipient) => [recipient.email, recipient.fullname, recipient.order_num])).toEqual([
    [email, 'Åsa Öberg', '1'],
    ['vd@example.test', 'Vera Direktör', '2'],
  ]);
  // The approvers have agreed: their links decide nothing more, the signers do.
  expect(await decide(link, 'refuse')).toMatchObject({ status: 409, body: { detail: expect.stringMatching(/^The approvers agreed; the signers now sign/) } });
  expect((await office.document(documentId)).status).toBe('sent');

  await office.moveAtProvider(atProvider.id, 'signed');
  // This tenant polls GetAccept rarely: the seller asks for a check now.
  expect((await office.checkSignature(documentId)).response.status).toBe(202);
  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote accepted' });
  const types = (await office.events(documentId)).map((event) => event.type);
  expect(types.filter((type) => ['decider_approved', 'step_completed', 'signature_sent', 'signed', 'accepted'].includes(type))).toEqual(['decider_approved', 'step_completed', 'signature_sent', 'signed', 'accepted']);
  // The approver hears it on a link of their own (GetAccept sends the signers their copy).
  await eventually(async () => ((await stack.readOutbox()).some((message) => message.to.includes(chef) && message.subject.startsWith(`Offert ${number} godkänd`)) ? true : undefined), {
    what: 'the approver told',
  });
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, `quote-${documentId}`, 'quote-deciders-then-getaccept-signed');
});
