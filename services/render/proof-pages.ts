/**
 * Renders a proof revision, page by page, from one raster per page (PREVIEW_WIDTH wide): each
 * page becomes a ~1600 px JPEG preview with its smaller srcset widths and a thumbnail, and the
 * revision gets a watermarked medium-resolution PDF (pages at 150 dpi, watermark in the
 * pixels). A page's watermarked 3200 px zoom image is rendered later, on its first request
 * (renderZoomPage). PDF pages are rasterized by pdftoppm in a bounded child process
 * (services/render/poppler.ts); images are decoded by sharp.
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
import { pageImageKey, watermarkedPdfKey, type PageImageVariant } from '../files/keys';
import { FileRefused, rasterizePages, readPdfInfo, withTempPdf, type PageSize, type RawPage } from './poppler';
import { DOWNLOAD_DPI, IMAGE_PAGE_WIDTH_PT, MEDIUM_WIDTH, PREVIEW_WIDTH, SMALL_WIDTH, THUMBNAIL_WIDTH, ZOOM_WIDTH } from './proof-sizes';
import { watermarker, type Watermarker } from './watermark';

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

// Every image here is made once: libvips' operation cache would only hold on to memory.
sharp.cache(false);

/** Pages per pdftoppm run: the file is parsed once per run, each has its own time bound, and the next draws while this one's pages are made. */
const PAGES_PER_RUN = 4;

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
  const watermark = watermarker(revision.document.tenant.locale);
  const renderPage = (page: PageSource, raster: RawPage, size: PageSize) => renderCustomerImages(deps, { documentId: revision.documentId, revisionId: revision.id, watermark }, page, raster, size);
  try {
    const download: DownloadPage[] = [];
    for (const group of groupBySource(revision.pages)) {
      if (isPdfSource(group[0]!)) {
        download.push(...(await withPdfRasters(deps, group, PREVIEW_WIDTH, renderPage)));
      } else {
        const raster = await imageRaster(await deps.files.get(group[0]!.sourceKey), group[0]!, PREVIEW_WIDTH);
        download.push(await renderPage(group[0]!, raster, imagePageSize(raster)));
      }
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

export interface RenderZoomPageInput {
  revisionId: string;
  /** The page's position in the revision, 1-based. */
  position: number;
}

/**
 * A page's zoom image, rendered on its first request (services/render/zoom-start.ts) rather
 * than with the revision: most pages are never zoomed. Watermarked like the download: at
 * ZOOM_WIDTH (about 550 dpi on A5) a clean image would be print-ready artwork. Idempotent: a
 * page that has its zoom image answers its key; a retry rewrites the same key.
 */
export async function renderZoomPage(deps: RenderDeps, input: RenderZoomPageInput): Promise<string> {
  const page = await deps.prisma.revisionPage.findUniqueOrThrow({
    where: { revisionId_position: { revisionId: input.revisionId, position: input.position } },
    include: { revision: { select: { documentId: true, document: { select: { tenant: { select: { locale: true } } } } } } },
  });
  if (page.zoomKey) return page.zoomKey;
  const watermark = watermarker(page.revision.document.tenant.locale);
  const watermarked = (raster: RawPage) => watermark(raster, ZOOM_QUALITY);
  const [zoom] = isPdfSource(page)
    ? await withPdfRasters(deps, [page], ZOOM_WIDTH, (_page, raster) => watermarked(raster))
    : [await watermarked(await imageRaster(await deps.files.get(page.sourceKey), page, ZOOM_WIDTH))];
  const zoomKey = pageImageKey(page.revision.documentId, input.revisionId, input.position, 'zoom');
  await deps.files.put(zoomKey, zoom!);
  await deps.prisma.revisionPage.update({ where: { id: page.id }, data: { zoomKey } });
  return zoomKey;
}

const ZOOM_QUALITY = 85;

function isPdfSource(page: PageSource): boolean {
  return page.sourceKey.endsWith('.pdf');
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

/**
 * Rasterizes the pages of one PDF `width` pixels wide and hands each to `use` with its size in
 * points. A page's pixels are `use`'s until it resolves: the next page of the same size reuses them.
 */
async function withPdfRasters<T>(deps: ProofRenderDeps, pages: PageSource[], width: number, use: (page: PageSource, raster: RawPage, size: PageSize) => Promise<T>): Promise<T[]> {
  const limits = deps.render;
  const source = pages[0]!.sourceKey;
  const { stream } = deps.files;
  return withTempPdf(stream ? () => stream(source) : await deps.files.get(source), async (file, workDir) => {
    const sizes = await readPdfInfo(file, limits, Number.MAX_SAFE_INTEGER);
    const results: T[] = [];
    let index = 0;
    for await (const raster of rasterizePages(file, workDir, { first: pages[0]!.sourcePage, last: pages.at(-1)!.sourcePage }, width, limits, PAGES_PER_RUN)) {
      const page = pages[index++]!;
      results.push(await use(page, raster, sizes[page.sourcePage - 1]!));
    }
    return results;
  });
}

/** An uploaded image upright (EXIF orientation) and at most `width` wide, as raw pixels. */
async function imageRaster(bytes: Buffer, page: PageSource, width: number): Promise<RawPage> {
  const { data, info } = await sharp(bytes)
    .rotate()
    .resize({ width, withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: Error) => {
      // The upload read only the header; pixels that do not decode are the file's fault.
      throw new FileRefused(`page ${page.position}: the image cannot be decoded (${error.message})`);
    });
  return { pixels: data, width: info.width, height: info.height };
}

function imagePageSize(raster: RawPage): PageSize {
  return { width: IMAGE_PAGE_WIDTH_PT, height: (IMAGE_PAGE_WIDTH_PT * raster.height) / raster.width };
}

function rawImage(raster: RawPage): sharp.Sharp {
  return sharp(raster.pixels, { raw: { width: raster.width, height: raster.height, channels: 3 } });
}

interface RevisionOfPage {
  documentId: string;
  revisionId: string;
  /** In the tenant's language, one for the whole revision: it draws the text once per page size. */
  watermark: Watermarker;
}

/**
 * Everything the customer sees first, from the page's one raster (PREVIEW_WIDTH wide): the
 * preview in each of its srcset widths and the thumbnail into the store and the page's row,
 * then the watermarked 150 dpi JPEG for the download, the watermark burnt into the raster
 * itself once the previews have been made from its clean pixels (no page-sized copy to collect).
 */
async function renderCustomerImages(deps: RenderDeps, revision: RevisionOfPage, page: PageSource, raster: RawPage, size: PageSize): Promise<DownloadPage> {
  const jpeg = async (variant: PageImageVariant, width: number, { quality, optimiseCoding = true }: { quality: number; optimiseCoding?: boolean }) => {
    const key = pageImageKey(revision.documentId, revision.revisionId, page.position, variant);
    const image = await rawImage(raster).resize({ width: Math.min(width, raster.width) }).jpeg({ quality, optimiseCoding }).toBuffer({ resolveWithObject: true });
    await deps.files.put(key, image.data);
    return { key, info: image.info };
  };
  // One at a time: when every encode had optimised Huffman tables (each holding its whole
  // image's DCT coefficients), two at a time saved about a tenth of the bench's wall time but took
  // its peak memory past 3× bare pdftoppm's in half the runs. The wide previews (large screens,
  // tablets) now have standard tables: the same pixels in about 30 % more bytes, for a sixth to a
  // third of the encoding CPU (the coefficients are page-sized memory that the worker's malloc
  // settings map afresh for every image). What a phone shows first keeps optimised tables: it
  // pays for every byte.
  const previews = (async () => ({
    preview: await jpeg('preview', PREVIEW_WIDTH, { quality: 82, optimiseCoding: false }),
    medium: await jpeg('medium', MEDIUM_WIDTH, { quality: 80, optimiseCoding: false }),
    small: await jpeg('small', SMALL_WIDTH, { quality: 78 }),
    thumbnail: await jpeg('thumbnail', THUMBNAIL_WIDTH, { quality: 75 }),
  }))();
  const downloadWidth = Math.min(raster.width, Math.round((size.width / 72) * DOWNLOAD_DPI));
  // The watermark's text is drawn while the previews are made; it goes into the raster after them.
  const [downloadJpeg] = await Promise.all([
    revision.watermark(raster, DOWNLOAD_QUALITY, { width: downloadWidth, after: previews }),
    previews.then(({ preview, medium, small, thumbnail }) =>
      deps.prisma.revisionPage.update({
        where: { revisionId_position: { revisionId: revision.revisionId, position: page.position } },
        data: { previewKey: preview.key, mediumKey: medium.key, smallKey: small.key, thumbnailKey: thumbnail.key, width: preview.info.width, height: preview.info.height },
      }),
    ),
  ]);
  return { jpeg: downloadJpeg, size };
}

const DOWNLOAD_QUALITY = 80;

async function downloadPdf(pages: DownloadPage[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const page of pages) {
    const image = await pdf.embedJpg(page.jpeg);
    pdf.addPage([page.size.width, page.size.height]).drawImage(image, { x: 0, y: 0, width: page.size.width, height: page.size.height });
  }
  return pdf.save();
}
