/** The tenant's people: salespeople who own documents and hear about them as they prefer. */
import type { PrismaClient, User } from '../../generated/prisma/client';
import type { NotifyPreferences } from '../../domain/documents';
import { newId } from '../../platform/ids';

export interface CreateUserInput {
  name: string;
  email: string;
  phone?: string;
  notify?: NotifyPreferences;
}

export async function createUser(prisma: PrismaClient, tenantId: string, input: CreateUserInput): Promise<User> {
  return prisma.user.create({
    data: {
      id: newId('usr'),
      tenantId,
      name: input.name,
      email: input.email,
      phone: input.phone ?? null,
      notify: input.notify ?? {},
    },
  });
}
