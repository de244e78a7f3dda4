/** POST /v1/users — the tenant's salespeople and their notification preferences. */
import type { User } from '../../generated/prisma/client';
import type { NotifyPreferences } from '../../domain/documents';
import { jsonRoute } from '../openapi';
import { createUser } from '../operations/users';
import { createUserSchema, userSchema } from '../schemas';

function presentUser(user: User) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    phone: user.phone,
    notify: user.notify as NotifyPreferences,
    createdAt: user.createdAt.toISOString(),
  };
}

export const userRoutes = [
  jsonRoute({
    method: 'post',
    path: '/users',
    operationId: 'createUser',
    tag: 'Users',
    summary: 'Create a user (a salesperson who owns documents and is notified about them)',
    auth: 'tenant',
    body: createUserSchema,
    bodyExample: { name: 'Camille Durand', email: 'camille@imprimerie-durand.example', notify: { viewed: ['email'], decided: ['email', 'sms'] } },
    response: { status: 201, description: 'The user', schema: userSchema },
    handle: async ({ deps, caller, body }) => presentUser(await createUser(deps.prisma, caller.tenantId, body)),
  }),
];
