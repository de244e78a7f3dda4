/** GET and PATCH /v1/settings. */
import type { TenantSettings } from '../../generated/prisma/client';
import type { TemplateOverride } from '../../services/notify/templates';
import { tenantProofType } from '../../domain/proof-types';
import { jsonRoute } from '../openapi';
import { getSettings, updateSettings } from '../operations/settings';
import { settingsSchema, updateSettingsSchema } from '../schemas';

function presentSettings(settings: TenantSettings) {
  return {
    hourlyRate: settings.hourlyRate,
    defaultProofType: tenantProofType(settings.defaultProofType),
    termsOfSale: settings.termsVersion && settings.termsText ? { version: settings.termsVersion, text: settings.termsText } : null,
    reminderAfter: settings.reminderAfter,
    maxReminders: settings.maxReminders,
    signaturePollInterval: settings.signaturePollInterval,
    quoteValidity: settings.quoteValidity,
    invoiceDueAfter: settings.invoiceDueAfter,
    requireSignature: settings.requireSignature,
    autoConvertToOrder: settings.autoConvertToOrder,
    signatureProvider: settings.signatureProvider,
    allowPrivateWebhookUrls: settings.allowPrivateWebhookUrls,
    payOnline: settings.payOnline,
    templates: settings.templates as Record<string, Record<string, TemplateOverride>>,
    notifyEmail: settings.notifyEmail,
    updatedAt: settings.updatedAt.toISOString(),
  };
}

export const settingsRoutes = [
  jsonRoute({
    method: 'get',
    path: '/settings',
    operationId: 'getSettings',
    tag: 'Settings',
    summary: "The tenant's settings",
    response: { status: 200, description: 'The settings', schema: settingsSchema },
    handle: async ({ deps, caller }) => presentSettings(await getSettings(deps.prisma, caller.tenantId)),
  }),
  jsonRoute({
    method: 'patch',
    path: '/settings',
    operationId: 'updateSettings',
    tag: 'Settings',
    summary: 'Change some settings; fields not sent keep their value',
    body: updateSettingsSchema,
    bodyExample: { reminderAfter: 'P3D', maxReminders: 2, quoteValidity: 'P30D', requireSignature: false },
    problems: ['unprocessable'],
    response: { status: 200, description: 'The settings after the change', schema: settingsSchema },
    handle: async ({ deps, caller, body }) =>
      presentSettings(await updateSettings(deps.prisma, caller.tenantId, body, { devMode: deps.config.devMode })),
  }),
];
