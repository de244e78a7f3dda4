/** /v1/users — the tenant's salespeople and their notification preferences: made, listed, read, changed. */
import type { User } from '../../generated/prisma/client';
import { notifyPreferencesWithDefaults, type NotifyPreferences } from '../../domain/documents';
import { rowFields } from '../../platform/rows';
import { jsonRoute } from '../openapi';
import { mapPage } from '../operations/pagination';
import { createUser, getUser, listUsers, updateUser } from '../operations/users';
import { createUserSchema, idParamsSchema, pageQuerySchema, updateUserSchema, userListSchema, userSchema } from '../schemas';

function presentUser(user: User) {
  return {
    ...rowFields(user, ['id', 'name', 'email', 'phone', 'createdAt']),
    // Written by this API as NotifyPreferences (createUser, updateUser).
    notify: notifyPreferencesWithDefaults(user.notify as NotifyPreferences),
  };
}

const theUser = { status: 200, description: 'The user', schema: userSchema } as const;

export const userRoutes = [
  jsonRoute({
    method: 'post',
    path: '/users',
    operationId: 'createUser',
    tag: 'Users',
    summary: 'Create a user (a salesperson who owns documents and is notified about them); events notify leaves out take the defaults',
    body: createUserSchema,
    bodyExample: { name: 'Camille Durand', email: 'camille@imprimerie-durand.example', phone: '+33612345678', notify: { viewed: ['email'], decided: ['email', 'sms'] } },
    problems: ['unprocessable'],
    response: { ...theUser, status: 201 },
    handle: async ({ deps, caller, body, createdId }) => presentUser(await createUser(deps.prisma, caller.tenantId, body, createdId('usr'))),
  }),
  jsonRoute({
    method: 'get',
    path: '/users',
    operationId: 'listUsers',
    tag: 'Users',
    summary: "The tenant's users, newest first",
    query: pageQuerySchema,
    response: { status: 200, description: 'A page of users', schema: userListSchema },
    handle: async ({ deps, caller, query }) => mapPage(await listUsers(deps.prisma, caller.tenantId, query), presentUser),
  }),
  jsonRoute({
    method: 'get',
    path: '/users/:id',
    operationId: 'getUser',
    tag: 'Users',
    summary: 'A user, with the channels of every event',
    params: idParamsSchema,
    response: theUser,
    handle: async ({ deps, caller, params }) => presentUser(await getUser(deps.prisma, caller.tenantId, params.id)),
  }),
  jsonRoute({
    method: 'patch',
    path: '/users/:id',
    operationId: 'updateUser',
    tag: 'Users',
    summary: 'Change a user; fields not sent keep their value, and notify changes only the events it names',
    params: idParamsSchema,
    body: updateUserSchema,
    bodyExample: { phone: '+33612345678', notify: { message: ['email', 'sms'], viewed: [] } },
    problems: ['unprocessable'],
    response: theUser,
    handle: async ({ deps, caller, params, body }) => presentUser(await updateUser(deps.prisma, caller.tenantId, params.id, body)),
  }),
];
