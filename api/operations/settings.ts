/** Tenant settings: reminder and validity delays, terms of sale, templates. */
import type { z } from 'zod';
import { Prisma, type PrismaClient, type TenantLogo, type TenantSettings } from '../../generated/prisma/client';
import type { updateSettingsSchema } from '../schemas';
import { templateProblems } from '../../services/notify/template-rules';
import { AppError } from '../../domain/errors';
import { sha256Hex } from '../../platform/ids';
import { prepareLogo } from '../../services/seller/logo';

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
  const { termsOfSale, templates, seller, ...plain } = patch;
  const problems = templates ? templateProblems(templates) : [];
  if (problems.length > 0) {
    throw new AppError('unprocessable', `The templates cannot be saved: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}.`, problems);
  }
  const fields = {
    ...plain,
    ...(termsOfSale !== undefined ? { termsVersion: termsOfSale?.version ?? null, termsText: termsOfSale?.text ?? null } : {}),
    ...(templates !== undefined ? { templates: templates as Prisma.InputJsonObject } : {}),
    ...(seller !== undefined ? { seller: seller ?? Prisma.DbNull } : {}),
  };
  return prisma.tenantSettings.upsert({
    where: { tenantId },
    create: { ...fields, tenantId },
    update: fields,
  });
}

/** PUT /v1/settings/logo: the image checked, resized and stored; the same image again changes nothing. */
export async function setLogo(prisma: PrismaClient, tenantId: string, bytes: Buffer, declaredType: string | undefined): Promise<TenantLogo> {
  const logo = await prepareLogo(bytes, declaredType);
  const fields = { png: new Uint8Array(logo.png), width: logo.width, height: logo.height, sha256: sha256Hex(Buffer.concat([Buffer.from(`${tenantId}\0`), logo.png])) };
  return prisma.tenantLogo.upsert({ where: { tenantId }, create: { tenantId, ...fields }, update: fields });
}

export function getLogo(prisma: PrismaClient, tenantId: string): Promise<TenantLogo | null> {
  return prisma.tenantLogo.findUnique({ where: { tenantId } });
}
