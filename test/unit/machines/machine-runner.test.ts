/**
 * The interpreter every workflow runs its machine on (workflows/machine-runner.ts), without
 * Temporal: an activity's answer goes back to the machine as the rest of its step, the read
 * model sees each state before its actions, and handlers are checked against the machine's
 * own action names by the compiler (`tsc` fails on the marked lines if they compile).
 */
import { MachineRunner, type ActionHandlers } from '../../../workflows/machine-runner';
import { subscriptionMachine, subscriptionStatus, type ChargeCardParams } from '../../../workflows/machines/subscription';

const plan = { name: 'Basic', amount: 1000, currency: 'EUR', period: 'monthly' };
const seller = { kind: 'seller', userId: 'user-1' } as const;

function startedNow(handlers: ActionHandlers<typeof subscriptionMachine>, seen: string[] = []) {
  return MachineRunner.start(subscriptionMachine, { now: 1_000, plan, startAt: 1_000, retryDelaysMs: [] }, handlers, async (snapshot) => {
    seen.push(`${subscriptionStatus(snapshot)}:${JSON.stringify(snapshot.value)}`);
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
