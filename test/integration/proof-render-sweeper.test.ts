/**
 * A render is never lost: a revision stored while Temporal could not be reached (the row
 * committed, no workflow started) is rendered by the worker's sweeper, and a render that gives
 * up ends the revision failed with the reason instead of leaving it rendering for ever.
 * Once through a real API whose Temporal address answers nothing, then with rows written as
 * the upload writes them (api/operations/proof-revisions.ts), minus the start.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import { findFreePort } from '../../scripts/lib/ports';
import { sourceKey } from '../../services/files/keys';
import { openFileStore } from '../../services/files/store';
import { revisionRenderWorkflowId } from '../../services/render/render-start';
import { newId } from '../../platform/ids';
import { eventually } from '../support/eventually';
import { greenlightClient, succeeded } from '../support/api';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let documentId: string;

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Balayage'));
  const api = greenlightClient(stack.baseUrl, apiKey);
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Client balayé' } }));
  documentId = (await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId: customer.id, title: 'Dépliant' } }))).id;
});

afterAll(async () => {
  await stack?.close();
});

/** A revision as the upload commits it, a minute ago, whose render was never started. */
async function orphanRevision(number: number, source: Uint8Array | undefined): Promise<string> {
  const revisionId = newId('rev');
  const key = sourceKey(documentId, revisionId, 0, 'pdf');
  if (source) await openFileStore(stack.config).put(key, source);
  await stack.prisma.revision.create({
    data: {
      id: revisionId,
      documentId,
      number,
      createdAt: new Date(Date.now() - 60_000),
      pages: { create: [{ id: newId('pag'), position: 1, sourceKey: key, sourcePage: 1 }] },
    },
  });
  return revisionId;
}

async function settled(revisionId: string) {
  return eventually(
    async () => {
      const revision = await stack.prisma.revision.findUniqueOrThrow({ where: { id: revisionId } });
      return revision.status === 'rendering' ? undefined : revision;
    },
    { what: `revision ${revisionId} rendered or failed`, timeoutMs: 120_000 },
  );
}

describe('render sweeper', () => {
  it('renders an upload whose API could not reach Temporal to start it', async () => {
    // The same API, with a Temporal address where nothing listens and no retries: every start fails at once.
    const unreachable = new Client({ connection: Connection.lazy({ address: `127.0.0.1:${await findFreePort()}`, interceptors: [] }) });
    const server = await new Promise<Server>((resolve) => {
      const listening: Server = createApp({ prisma: stack.prisma, temporal: unreachable, config: stack.config }).listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const uploaded = await uploadRevision(baseUrl, apiKey, documentId, [{ name: 'depliant.pdf', bytes: await textPdf('Dépliant') }]);
      // Stored, and said so: the render starts later, so a retry would only store it twice.
      expect(uploaded.status).toBe(201);
      expect(uploaded.body.revision.status).toBe('rendering');
      const revision = await settled(uploaded.body.revision.id);
      expect(revision.status).toBe('ready');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await unreachable.connection.close();
    }
  });

  it('renders a revision left rendering without a workflow', async () => {
    const revisionId = await orphanRevision(2, await textPdf('Orphelin'));
    const revision = await settled(revisionId);
    expect(revision.status).toBe('ready');
    expect(revision.watermarkedPdfKey).toBeTruthy();
    // Its render workflow, started by the sweeper under the revision's own id, ran to the end.
    expect(await stack.client.workflow.getHandle(revisionRenderWorkflowId(revisionId)).result()).toBe('ready');
  });

  it('ends a revision whose render gives up as failed, with the reason, so the sweeper leaves it', async () => {
    // The original is missing from the store: every attempt fails, none is about the file's content.
    const revisionId = await orphanRevision(3, undefined);
    const revision = await settled(revisionId);
    expect(revision.status).toBe('failed');
    expect(revision.failureReason).toMatch(/^Rendering failed: /);
    // The run completed (a failed run would throw here), so the sweeper's start leaves it be.
    expect(await stack.client.workflow.getHandle(revisionRenderWorkflowId(revisionId)).result()).toBe('failed');
  });
});
