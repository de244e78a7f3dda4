/**
 * A proof revision's files as the seller and the customer fetch them: a page image (preview in
 * one of its widths, zoom or thumbnail) and the watermarked medium-resolution PDF, of a ready
 * revision of the document asked about (anything else is not found); and, for the seller only,
 * the newest revision's original (GET /v1/documents/:id/pdf). The customer never gets an original.
 */
import { openFileStore } from '../../services/files/store';
import { assembleOriginal } from '../../services/render/proof-original';
import { AppError } from '../../domain/errors';
import { awaitZoomRender } from '../../services/render/zoom-start';
import type { AppDeps } from '../app';
import type { PAGE_IMAGE_SIZES } from '../schemas';

export type PageImageSize = (typeof PAGE_IMAGE_SIZES)[number];

const KEY_OF_SIZE = { preview: 'previewKey', medium: 'mediumKey', small: 'smallKey', zoom: 'zoomKey', thumbnail: 'thumbnailKey' } as const;

/** The preview's smaller widths: a revision rendered before they existed answers its preview. */
const PREVIEW_WIDTHS: PageImageSize[] = ['medium', 'small'];

type FileDeps = Pick<AppDeps, 'prisma' | 'config'>;

/** What a revision file answers: its bytes and the revision they belong to (an immutable name for caches). */
export interface RevisionFile {
  bytes: Buffer;
  revisionId: string;
}

async function readyRevision(deps: FileDeps, documentId: string, number: number) {
  const revision = await deps.prisma.revision.findUnique({ where: { documentId_number: { documentId, number } } });
  if (!revision || revision.status !== 'ready') throw new AppError('not_found', `Revision ${number} of this proof is not ready or does not exist.`);
  return revision;
}

/**
 * Page `position` (1-based) of revision `number` of the document, in the size asked. A zoom
 * image is rendered by a worker on the page's first zoom request (services/render/zoom-start.ts).
 */
export async function readRevisionPage(deps: FileDeps & Pick<AppDeps, 'temporal'>, documentId: string, number: number, position: number, size: PageImageSize): Promise<RevisionFile> {
  const revision = await readyRevision(deps, documentId, number);
  const page = await deps.prisma.revisionPage.findUnique({ where: { revisionId_position: { revisionId: revision.id, position } } });
  if (!page) throw new AppError('not_found', `Revision ${number} has no page ${position}.`);
  const key =
    size === 'zoom' && !page.zoomKey
      ? await awaitZoomRender({ client: deps.temporal, taskQueue: deps.config.taskQueue }, { revisionId: revision.id, position })
      : (page[KEY_OF_SIZE[size]] ?? (PREVIEW_WIDTHS.includes(size) ? page.previewKey : null));
  if (!key) throw new AppError('not_found', `Page ${position} of revision ${number} has no ${size} image.`);
  return { bytes: await openFileStore(deps.config).get(key), revisionId: revision.id };
}

/** The watermarked PDF of revision `number`: pages at about 150 dpi with the watermark in their pixels. */
export async function readWatermarkedPdf(deps: FileDeps, documentId: string, number: number): Promise<RevisionFile> {
  const revision = await readyRevision(deps, documentId, number);
  if (!revision.watermarkedPdfKey) throw new AppError('not_found', `Revision ${number} has no watermarked PDF.`);
  return { bytes: await openFileStore(deps.config).get(revision.watermarkedPdfKey), revisionId: revision.id };
}

/** The seller's proof, scoped by tenant: another tenant's id, or a document that is not a proof, is not found. */
export async function findSellerProof(deps: FileDeps, tenantId: string, documentId: string): Promise<{ id: string; number: string }> {
  const document = await deps.prisma.document.findFirst({ where: { id: documentId, tenantId, kind: 'proof' }, select: { id: true, number: true } });
  if (!document) throw new AppError('not_found', `No proof ${documentId}.`);
  return document;
}

/**
 * The original of the proof's newest revision, rendered or not (the seller's files are there
 * from the upload): one PDF uploaded is served as it is; several files as one PDF assembled
 * from them, in page order (services/render/proof-original.ts).
 */
export async function readProofOriginal(deps: FileDeps, documentId: string): Promise<RevisionFile & { revision: number }> {
  const revision = await deps.prisma.revision.findFirst({
    where: { documentId },
    orderBy: { number: 'desc' },
    select: { id: true, number: true, pages: { orderBy: { position: 'asc' }, select: { sourceKey: true } } },
  });
  if (!revision) throw new AppError('not_found', 'This proof has no revision yet; upload one (POST /v1/documents/:id/revisions).');
  const store = openFileStore(deps.config);
  const keys = [...new Set(revision.pages.map((page) => page.sourceKey))];
  const files = await Promise.all(keys.map(async (key) => ({ key, bytes: await store.get(key) })));
  return { bytes: Buffer.from(await assembleOriginal(files)), revisionId: revision.id, revision: revision.number };
}
