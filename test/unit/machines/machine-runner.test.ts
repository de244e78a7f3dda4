/**
 * The interpreter every workflow runs its machine on (workflows/machine-runner.ts), without
 * Temporal: an activity's answer goes back to the machine as the rest of its step, the read
 * model sees each state before its actions, and handlers are checked against the machine's
 * own action names by the compiler (`tsc` fails on the marked lines if they compile).
 */
import { MachineRunner, type ActionHandlers } from '../../../workflows/machine-runner';
import { subscriptionMachine, subscriptionStatus, type ChargeCardParams } from '../../../workflows/machines/subscription';
import { quoteMachine, quoteStatus } from '../../../workflows/machines/quote';

const plan = { name: 'Basic', amount: 1000, currency: 'EUR', period: 'monthly' };
const seller = { kind: 'seller', userId: 'user-1' } as const;

/** A subscription billed by card: its handlers charge, and never issue an invoice. */
function startedNow(handlers: Pick<ActionHandlers<typeof subscriptionMachine>, 'chargeCard'>, seen: string[] = []) {
  const byCard = { ...handlers, issueInvoice: () => Promise.reject(new Error('billed by card')) };
  return MachineRunner.start(subscriptionMachine, { now: 1_000, plan, startAt: 1_000, retryDelaysMs: [] }, byCard, {
    beforeActions: async (snapshot) => {
      seen.push(`${subscriptionStatus(snapshot)}:${JSON.stringify(snapshot.value)}`);
    },
  });
}

it("feeds an activity's answer back before any event queued meanwhile", async () => {
  let charging!: (params: ChargeCardParams) => void;
  const charged = new Promise<ChargeCardParams>((resolve) => (charging = resolve));
  let answer!: () => void;
  const providerAnswered = new Promise<void>((resolve) => (answer = resolve));
  const seen: string[] = [];
  const runner = startedNow(
    {
      chargeCard: async ({ params }) => {
        charging(params);
        await providerAnswered;
        return { type: 'CHARGE_SUCCEEDED', period: params.period, attempt: params.attempt, at: 2_000 };
      },
    },
    seen,
  );
  // The seller terminates while the provider is still charging: the charge's outcome is the rest of its step.
  const terminated = runner.send({ type: 'TERMINATE', at: 1_500, actor: seller });
  expect(await charged).toEqual({ period: 1, attempt: 1, amount: 1000, currency: 'EUR' });
  answer();
  const after = await terminated;
  // Paid first (the charge happened), then terminated.
  expect(seen).toEqual(['active:{"active":"charging"}', 'active:{"active":"paid"}', 'inactive:"inactive"']);
  expect(after.context).toMatchObject({ statusReason: 'terminated', period: 1 });
});

it('shows every state to the read model before its actions run', async () => {
  const seen: string[] = [];
  const runner = startedNow(
    {
      chargeCard: async ({ params }) => {
        seen.push(`charge period ${params.period}`);
        return { type: 'CHARGE_FAILED', period: params.period, attempt: params.attempt, at: 2_000, failureCode: 'card_declined' };
      },
    },
    seen,
  );
  await runner.entered();
  expect(seen).toEqual(['active:{"active":"charging"}', 'charge period 1', 'inactive:"inactive"']);
});

it('fails the run when the first actions fail for good, instead of waiting forever', async () => {
  const runner = startedNow({
    chargeCard: async () => {
      throw new Error('the charge can never succeed');
    },
  });
  await expect(runner.entered()).rejects.toThrow('the charge can never succeed');
});

it('types handlers by the machine: a wrong name or a missing handler does not compile', () => {
  const charge: ActionHandlers<typeof subscriptionMachine>['chargeCard'] = async ({ params }) => {
    // @ts-expect-error ChargeCardParams has no such field.
    void params.cardNumber;
    return undefined;
  };
  // @ts-expect-error a handler for an action the machine does not name.
  const misspelled: ActionHandlers<typeof subscriptionMachine> = { chargeCard: charge, chargeCards: charge };
  // @ts-expect-error the machine's chargeCard has no handler.
  const missing: ActionHandlers<typeof subscriptionMachine> = {};
  // @ts-expect-error assign actions are XState's own: not the workflow's to run.
  const assignHandled: ActionHandlers<typeof subscriptionMachine> = { chargeCard: charge, keepTime: charge };
  expect([misspelled, missing, assignHandled]).toHaveLength(3);
});

describe('with actions behind the answer', () => {
  const customer = { kind: 'customer', linkId: 'link-1' } as const;

  /** A quote's handlers that note each action as it runs; `hold` keeps the named record waiting, `fail` throws in it. */
  function quoteRunner(ran: string[], { hold, fail }: { hold?: { type: string; reached: () => void; until: Promise<void> }; fail?: string } = {}) {
    const noted = (name: string) => async () => void ran.push(name);
    return MachineRunner.start(
      quoteMachine,
      { now: 1_000, reminderAfterMs: 0, maxReminders: 0 },
      {
        recordTransition: async ({ params }) => {
          if (params.type === fail) throw new Error(`the ${fail} record can never be written`);
          if (params.type === hold?.type) {
            hold.reached();
            await hold.until;
          }
          ran.push(`record ${params.type}`);
        },
        notifyAssignee: async ({ params }) => void ran.push(`notify ${params.what}`),
        sendFirstEmail: noted('first email'),
        inviteDeciders: noted('invite deciders'),
        sendReminderEmail: noted('reminder'),
        recordSignature: noted('signature'),
        applyRevision: noted('revision'),
        sendRevisionEmail: noted('revision email'),
        withdrawSignature: noted('withdraw'),
        cancelPortalSigning: noted('cancel signing'),
        openDepositPayment: noted('deposit page'),
        recordDeposit: noted('deposit'),
        closeHostedPayments: noted('close deposit pages'),
        confirmToCustomer: async ({ params }) => void ran.push(`confirm ${params.confirmation}`),
        tellRoundDecision: async ({ params }) => void ran.push(`tell the round ${params.outcome}`),
        startSigningAtProvider: noted('signing at the provider'),
      },
      { actionsRunBehind: true },
    );
  }

  it('answers a decision once the machine took it; its actions follow those taken before, in order', async () => {
    const ran: string[] = [];
    let release!: () => void;
    let reached!: () => void;
    const held = new Promise<void>((resolve) => (reached = resolve));
    const runner = quoteRunner(ran, { hold: { type: 'sent', reached, until: new Promise<void>((resolve) => (release = resolve)) } });
    const sent = runner.send({ type: 'SEND', at: 1_000, actor: seller });
    await held;
    const accepted = await runner.decide({ type: 'ACCEPT', at: 1_100, actor: customer });
    expect(quoteStatus(accepted)).toBe('accepted');
    expect(runner.snapshot.value).toBe('accepted');
    // The send's record is still held: nothing of the acceptance ran yet.
    expect(ran).toEqual(['first email']);
    release();
    expect(quoteStatus(await sent)).toBe('sent');
    await runner.idle();
    expect(ran).toEqual(['first email', 'record sent', 'record accepted', 'notify accepted', 'confirm accepted']);
  });

  it('fails the run with an action that failed behind the answer, and runs nothing queued after it', async () => {
    const ran: string[] = [];
    const runner = quoteRunner(ran, { fail: 'accepted' });
    await runner.send({ type: 'SEND', at: 1_000, actor: seller });
    expect(quoteStatus(await runner.decide({ type: 'ACCEPT', at: 1_100, actor: customer }))).toBe('accepted');
    const viewed = runner.send({ type: 'VIEWED', at: 1_200, occurredAt: 1_200, eventId: 'view-1', actor: customer });
    await expect(viewed).rejects.toThrow('the accepted record can never be written');
    await expect(runner.idle()).rejects.toThrow('the accepted record can never be written');
    expect(ran).toEqual(['first email', 'record sent']);
  });

  it('refuses at once a decision its admission refuses, and runs none of its actions', async () => {
    const ran: string[] = [];
    const runner = quoteRunner(ran);
    await runner.send({ type: 'SEND', at: 1_000, actor: seller });
    const refused = runner.decide({ type: 'REFUSE', at: 1_100, actor: customer }, () => {
      throw new Error('not now');
    });
    await expect(refused).rejects.toThrow('not now');
    await runner.idle();
    expect(runner.snapshot.value).toBe('sent');
    expect(ran).toEqual(['first email', 'record sent']);
  });
});
