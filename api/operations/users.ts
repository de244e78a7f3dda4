/** The tenant's people: salespeople who own documents and hear about them as they prefer. */
import type { PrismaClient, User } from '../../generated/prisma/client';
import type { NotifyPreferences } from '../../domain/documents';
import { AppError } from '../../domain/errors';
import { dialablePhone, phoneRegion } from '../../domain/phone';
import { storedIdentity } from '../../services/seller/identity';
import { insertOnce } from '../../platform/db';
import { NEWEST_FIRST, readPage, type Page, type PageRequest } from './pagination';

export interface CreateUserInput {
  name: string;
  email: string;
  phone?: string;
  notify?: NotifyPreferences;
}

/** A PATCH: fields left out keep their value; null clears the phone; notify changes the events it names. */
export interface UpdateUserInput {
  name?: string;
  email?: string;
  phone?: string | null;
  notify?: NotifyPreferences;
}

/**
 * A salesperson's mobile, where their SMS notices go: checked and stored in E.164, a national
 * number read in the seller's country (the country of the seller's own phone, when written
 * internationally). One that cannot be dialled is a 422 naming `phone`.
 */
async function salespersonPhone(prisma: PrismaClient, tenantId: string, phone: string): Promise<string> {
  const settings = await prisma.tenantSettings.findUnique({ where: { tenantId }, select: { seller: true } });
  return dialablePhone(phone, phoneRegion(storedIdentity(settings?.seller)?.phone), 'phone');
}

/**
 * Stored as given: an event the user never chose stays absent and takes its default when read
 * (domain/documents.ts notifyPreferencesWithDefaults), so a change of defaults reaches them.
 */
export async function createUser(prisma: PrismaClient, tenantId: string, input: CreateUserInput, id: string): Promise<User> {
  const phone = input.phone ? await salespersonPhone(prisma, tenantId, input.phone) : null;
  return insertOnce(
    () => prisma.user.create({ data: { id, tenantId, name: input.name, email: input.email, phone, notify: input.notify ?? {} } }),
    () => prisma.user.findFirst({ where: { id, tenantId } }),
  );
}

export async function getUser(prisma: PrismaClient, tenantId: string, userId: string): Promise<User> {
  const user = await prisma.user.findFirst({ where: { id: userId, tenantId } });
  if (!user) throw new AppError('not_found', `No user ${userId}.`);
  return user;
}

/** The tenant's users, newest first. */
export function listUsers(prisma: PrismaClient, tenantId: string, page: PageRequest): Promise<Page<User>> {
  return readPage(page, NEWEST_FIRST, ({ after, orderBy, take }) => prisma.user.findMany({ where: { tenantId, ...after }, orderBy, take }));
}

export async function updateUser(prisma: PrismaClient, tenantId: string, userId: string, input: UpdateUserInput): Promise<User> {
  const { notify, phone, ...fields } = input;
  const dialled = phone ? await salespersonPhone(prisma, tenantId, phone) : phone;
  return prisma.$transaction(async (tx) => {
    // Locked while its preferences are merged, so two PATCHes naming different events both stay.
    const [user] = await tx.$queryRaw<{ notify: NotifyPreferences }[]>`SELECT "notify" FROM "User" WHERE "id" = ${userId} AND "tenantId" = ${tenantId} FOR UPDATE`;
    if (!user) throw new AppError('not_found', `No user ${userId}.`);
    return tx.user.update({ where: { id: userId }, data: { ...fields, ...(dialled !== undefined ? { phone: dialled } : {}), ...(notify ? { notify: { ...user.notify, ...notify } } : {}) } });
  });
}
