/**
 * Renders a proof revision, page by page: each page becomes a ~1600 px JPEG preview, a
 * thumbnail and a 3200 px zoom image, and the revision gets a watermarked medium-resolution
 * PDF (pages at 150 dpi, watermark in the pixels). PDF pages are rasterized by pdftoppm in a
 * bounded child process (services/render/poppler.ts); images go straight to sharp.
 *
 * Idempotent by revision: a revision already ready or failed is left alone, and a retry
 * rewrites the same keys. A file that cannot be rendered within the bounds marks the revision
 * failed with the reason — a fact about the file, not a fault to retry.
 */
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import type { PrismaClient } from '../../generated/prisma/client';
import type { RenderLimits } from '../../platform/config';
import type { FileStore } from '../files/store';
import { pageImageKey, watermarkedPdfKey } from '../files/keys';
import { FileRefused, rasterizePages, readPdfInfo, withTempPdf, type PageSize } from './poppler';
import { DOWNLOAD_DPI, IMAGE_PAGE_WIDTH_PT, PREVIEW_WIDTH, THUMBNAIL_WIDTH, ZOOM_WIDTH } from './proof-sizes';
import { watermarkedJpeg } from './watermark';

export interface RenderProofRevisionInput {
  revisionId: string;
}

export interface ProofRenderDeps {
  files: FileStore;
  render: RenderLimits;
}

type RenderDeps = ProofRenderDeps & { prisma: PrismaClient };

/** How the render ended, with what the proof's workflow needs to send a ready revision. */
export interface RenderedRevision {
  status: string;
  /** The revision's number. */
  revision: number;
  pageCount: number;
}

/** Pages per pdftoppm run: the file is parsed once per range; each run has its own time bound. */
const PAGES_PER_RUN = 8;

interface PageSource {
  position: number;
  sourceKey: string;
  sourcePage: number;
}

/** One rendered page of the download: its JPEG and its size in points. */
interface DownloadPage {
  jpeg: Buffer;
  size: PageSize;
}

export async function renderProofRevision(deps: RenderDeps, input: RenderProofRevisionInput): Promise<RenderedRevision> {
  const revision = await deps.prisma.revision.findUniqueOrThrow({
    where: { id: input.revisionId },
    include: { pages: { orderBy: { position: 'asc' } }, document: { select: { tenant: { select: { locale: true } } } } },
  });
  const outcome = (status: string): RenderedRevision => ({ status, revision: revision.number, pageCount: revision.pages.length });
  if (revision.status !== 'rendering') return outcome(revision.status);
  const locale = revision.document.tenant.locale;
  try {
    const download: DownloadPage[] = [];
    for (const group of groupBySource(revision.pages)) {
      const bytes = await deps.files.get(group[0]!.sourceKey);
      const rendered =
        group[0]!.sourceKey.endsWith('.pdf')
          ? await renderPdfPages(deps, revision.documentId, revision.id, bytes, group, locale)
          : [await renderImagePage(deps, revision.documentId, revision.id, bytes, group[0]!, locale)];
      download.push(...rendered);
    }
    const pdf = await downloadPdf(download);
    const key = watermarkedPdfKey(revision.documentId, revision.id);
    await deps.files.put(key, pdf);
    await deps.prisma.revision.update({ where: { id: revision.id }, data: { status: 'ready', watermarkedPdfKey: key } });
    return outcome('ready');
  } catch (error) {
    if (!(error instanceof FileRefused)) throw error;
    await deps.prisma.revision.update({ where: { id: revision.id }, data: { status: 'failed', failureReason: error.reason } });
    return outcome('failed');
  }
}

/** Consecutive pages from the same file, so a PDF is opened once for all its pages. */
function groupBySource(pages: PageSource[]): PageSource[][] {
  const groups: PageSource[][] = [];
  for (const page of pages) {
    const last = groups.at(-1);
    if (last && last[0]!.sourceKey === page.sourceKey) last.push(page);
    else groups.push([page]);
  }
  return groups;
}

async function renderPdfPages(deps: RenderDeps, documentId: string, revisionId: string, bytes: Buffer, pages: PageSource[], locale: string): Promise<DownloadPage[]> {
  return withTempPdf(bytes, async (file, workDir) => {
    const sizes = await readPdfInfo(file, deps.render, Number.MAX_SAFE_INTEGER);
    const rendered: DownloadPage[] = [];
    for (let start = 0; start < pages.length; start += PAGES_PER_RUN) {
      const chunk = pages.slice(start, start + PAGES_PER_RUN);
      const zooms = await rasterizePages(file, workDir, { first: chunk[0]!.sourcePage, last: chunk.at(-1)!.sourcePage }, ZOOM_WIDTH, deps.render);
      for (const [index, page] of chunk.entries()) {
        rendered.push(await renderPage(deps, documentId, revisionId, zooms[index]!, page, sizes[page.sourcePage - 1]!, locale));
      }
    }
    return rendered;
  });
}

async function renderImagePage(deps: RenderDeps, documentId: string, revisionId: string, bytes: Buffer, page: PageSource, locale: string): Promise<DownloadPage> {
  // Upright (EXIF orientation) and at most zoom size; every other size comes from this JPEG.
  const { data: zoom, info } = await sharp(bytes)
    .rotate()
    .resize({ width: ZOOM_WIDTH, withoutEnlargement: true })
    .jpeg({ quality: 90 })
    .toBuffer({ resolveWithObject: true })
    .catch((error: Error) => {
      // The upload read only the header; pixels that do not decode are the file's fault.
      throw new FileRefused(`page ${page.position}: the image cannot be decoded (${error.message})`);
    });
  const size = { width: IMAGE_PAGE_WIDTH_PT, height: (IMAGE_PAGE_WIDTH_PT * info.height) / info.width };
  return renderPage(deps, documentId, revisionId, zoom, page, size, locale);
}

/**
 * From the page's zoom JPEG: the preview and thumbnail into the store and the page's row, and
 * the watermarked 150 dpi JPEG for the download. Smaller sizes decode the JPEG shrunk on load.
 */
async function renderPage(deps: RenderDeps, documentId: string, revisionId: string, zoom: Buffer, page: PageSource, size: PageSize, locale: string): Promise<DownloadPage> {
  const { width: zoomWidth = ZOOM_WIDTH } = await sharp(zoom).metadata();
  const jpeg = (width: number, quality: number) => sharp(zoom).resize({ width: Math.min(width, zoomWidth) }).jpeg({ quality }).toBuffer({ resolveWithObject: true });
  const [preview, thumbnail] = await Promise.all([jpeg(PREVIEW_WIDTH, 82), jpeg(THUMBNAIL_WIDTH, 75)]);
  const keys = {
    zoomKey: pageImageKey(documentId, revisionId, page.position, 'zoom'),
    previewKey: pageImageKey(documentId, revisionId, page.position, 'preview'),
    thumbnailKey: pageImageKey(documentId, revisionId, page.position, 'thumbnail'),
  };
  await Promise.all([deps.files.put(keys.zoomKey, zoom), deps.files.put(keys.previewKey, preview.data), deps.files.put(keys.thumbnailKey, thumbnail.data)]);
  await deps.prisma.revisionPage.update({
    where: { revisionId_position: { revisionId, position: page.position } },
    data: { ...keys, width: preview.info.width, height: preview.info.height },
  });

  const downloadWidth = Math.min(zoomWidth, Math.round((size.width / 72) * DOWNLOAD_DPI));
  const resized = await sharp(zoom).resize({ width: downloadWidth }).raw().toBuffer({ resolveWithObject: true });
  const watermarked = await watermarkedJpeg(
    sharp(resized.data, { raw: { width: resized.info.width, height: resized.info.height, channels: resized.info.channels } }),
    resized.info.width,
    resized.info.height,
    locale,
  );
  return { jpeg: watermarked, size };
}

async function downloadPdf(pages: DownloadPage[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const page of pages) {
    const image = await pdf.embedJpg(page.jpeg);
    pdf.addPage([page.size.width, page.size.height]).drawImage(image, { x: 0, y: 0, width: page.size.width, height: page.size.height });
  }
  return pdf.save();
}
