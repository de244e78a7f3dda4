/** Tenant settings: reminder and validity delays, terms of sale, templates. */
import type { z } from 'zod';
import type { Prisma, PrismaClient, TenantSettings } from '../../generated/prisma/client';
import type { updateSettingsSchema } from '../schemas';
import { templateProblems } from '../../services/notify/template-rules';
import { AppError } from '../../domain/errors';

/** What the API accepts (api/schemas.ts), as validated. */
export type SettingsPatch = z.output<typeof updateSettingsSchema>;

/** Every tenant has settings (created with it); an older tenant without gets the defaults on first read. */
export async function getSettings(prisma: PrismaClient, tenantId: string): Promise<TenantSettings> {
  return prisma.tenantSettings.upsert({ where: { tenantId }, create: { tenantId }, update: {} });
}

export async function updateSettings(
  prisma: PrismaClient,
  tenantId: string,
  patch: SettingsPatch,
  environment: { devMode: boolean },
): Promise<TenantSettings> {
  if (patch.allowPrivateWebhookUrls && !environment.devMode) {
    // Webhooks to private addresses would let a tenant probe the internal network.
    throw new AppError('unprocessable', 'allowPrivateWebhookUrls can only be set in development.', [
      { path: 'allowPrivateWebhookUrls', message: 'development only' },
    ]);
  }
  const { termsOfSale, templates, ...plain } = patch;
  const problems = templates ? templateProblems(templates) : [];
  if (problems.length > 0) {
    throw new AppError('unprocessable', `The templates cannot be saved: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}.`, problems);
  }
  const fields = {
    ...plain,
    ...(termsOfSale !== undefined ? { termsVersion: termsOfSale?.version ?? null, termsText: termsOfSale?.text ?? null } : {}),
    ...(templates !== undefined ? { templates: templates as Prisma.InputJsonObject } : {}),
  };
  return prisma.tenantSettings.upsert({
    where: { tenantId },
    create: { ...fields, tenantId },
    update: fields,
  });
}
