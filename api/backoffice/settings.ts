/** GET and PATCH /v1/settings. */
import type { TenantLogo, TenantSettings } from '../../generated/prisma/client';
import type { TemplateOverride } from '../../services/notify/templates';
import { tenantProofType } from '../../domain/proof-types';
import { binaryBodyRoute, jsonRoute } from '../openapi';
import { getLogo, getSettings, setLogo, updateSettings } from '../operations/settings';
import { logoSchema, settingsSchema, updateSettingsSchema } from '../schemas';
import { logoPath, storedIdentity } from '../../services/seller/identity';
import { LOGO_MAX_BYTES } from '../../services/seller/logo';

function presentLogo(logo: TenantLogo) {
  return { url: logoPath(logo), width: logo.width, height: logo.height, updatedAt: logo.updatedAt.toISOString() };
}

function presentSettings(settings: TenantSettings, logo: TenantLogo | null) {
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
    withdrawalWindow: settings.withdrawalWindow,
    signatureProvider: settings.signatureProvider,
    allowPrivateWebhookUrls: settings.allowPrivateWebhookUrls,
    payOnline: settings.payOnline,
    templates: settings.templates as Record<string, Record<string, TemplateOverride>>,
    notifyEmail: settings.notifyEmail,
    seller: storedIdentity(settings.seller),
    timeZone: settings.timeZone,
    logo: logo ? presentLogo(logo) : null,
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
    handle: async ({ deps, caller }) => {
      const [settings, logo] = await Promise.all([getSettings(deps.prisma, caller.tenantId), getLogo(deps.prisma, caller.tenantId)]);
      return presentSettings(settings, logo);
    },
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
    handle: async ({ deps, caller, body }) => {
      const settings = await updateSettings(deps.prisma, caller.tenantId, body, { devMode: deps.config.devMode });
      return presentSettings(settings, await getLogo(deps.prisma, caller.tenantId));
    },
  }),
  binaryBodyRoute({
    method: 'put',
    path: '/settings/logo',
    operationId: 'setLogo',
    tag: 'Settings',
    summary: "Set the seller's logo, shown on portal pages, PDFs and emails",
    description:
      'The body is the image itself (PNG, JPEG or WebP, 5 MB at most), its Content-Type agreeing with its content. It is decoded whole and stored as a PNG fitting 800×320 pixels; its address changes with it.',
    mediaTypes: ['image/png', 'image/jpeg', 'image/webp'],
    maxBytes: LOGO_MAX_BYTES,
    problems: ['payload_too_large', 'unsupported_media_type', 'unprocessable'],
    response: { status: 200, description: 'The logo as stored', schema: logoSchema },
    handle: async ({ deps, caller, bytes, contentType }) => presentLogo(await setLogo(deps.prisma, caller.tenantId, bytes, contentType)),
  }),
];
