/**
 * The activities, built from their dependencies. Workers pass real ones (workers/main.ts);
 * tests pass real services or in-memory stand-ins, never module mocks.
 */
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../platform/config';
import { recordTransition } from './db/record-transition';
import { failingClearly } from './failures';
import type { Mailer } from './notify/mailer';
import { notifyAssignee } from './notify/notify-assignee';
import { sendDocumentEmail } from './notify/send-document-email';
import type { SmsSender } from './notify/sms';
import type { GreenlightActivities } from './types';

export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  /** appSecret derives the tokens of emailed links (see createMessageAccessLink). */
  config: Pick<Config, 'publicUrl' | 'mailFrom' | 'appSecret'>;
  /** Where SMS notifications go; without one, SMS preferences are not served. */
  sms?: SmsSender;
}

export function createActivities(deps: ActivityDeps): GreenlightActivities {
  return {
    recordTransition: failingClearly(async (input) => {
      await recordTransition(deps.prisma, input);
    }),
    sendDocumentEmail: failingClearly((input) => sendDocumentEmail(deps, input)),
    notifyAssignee: failingClearly((input) => notifyAssignee(deps, input)),
  };
}
