/**
 * The tenants a sweeper looks after. A worker serves every tenant of its task queue, so in
 * production there is none (all of them); test stacks each poll a task queue of their own
 * against one shared database, and a stack must not start another stack's work on its queue
 * (where nothing polls once it closes).
 */
export interface SweepScope {
  tenantIds: ReadonlySet<string>;
}

/** The Prisma filter of a scope: every tenant when there is none. */
export function tenantFilter(scope: SweepScope | undefined): { tenantId?: { in: string[] } } {
  return scope ? { tenantId: { in: [...scope.tenantIds] } } : {};
}
