/**
 * The renders' sweeper, run beside every worker: a revision still `rendering` a while after
 * its upload gets its render workflow started (services/render/render-start.ts). The upload
 * starts it at once; this catches the uploads whose start did not reach Temporal.
 */
import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../generated/prisma/client';
import { startStalledRenders } from '../services/render/render-start';
import type { SweepScope } from '../services/db/sweep-scope';
import { startSweeper, type Sweeper } from './sweeper';

/** Younger revisions are left to their upload, which starts the render right after its commit. */
const STALE_AFTER_MS = 30_000;
const SWEEP_EVERY_MS = 5_000;

export function startRenderSweeper(options: { prisma: PrismaClient; client: Client; taskQueue: string; scope?: SweepScope }): Sweeper {
  const starter = { client: options.client, taskQueue: options.taskQueue };
  return startSweeper('renders', SWEEP_EVERY_MS, () => startStalledRenders(options.prisma, starter, STALE_AFTER_MS, options.scope));
}
