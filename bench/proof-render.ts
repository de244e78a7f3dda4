/**
 * `npm run bench` (second part): a proof revision's whole render next to bare pdftoppm.
 *
 * The bench makes a 20-page print PDF (A4, a different 3000×2000 photo on every page), then
 * in the same run:
 * 1. the render activity on it as one revision (services/render/proof-pages.ts): previews at
 *    1600, 1200 and 800 px, thumbnails and the watermarked 150 dpi PDF, from one raster per
 *    page, with the bounded pdftoppm children it starts;
 * 2. bare `pdftoppm -r 150 -jpeg` on the same file;
 * 3. one page's watermarked 3200 px zoom image, as its first request renders it (the activity
 *    alone, without the workflow's round trip).
 * For each: wall time, CPU time (threads and children, from /proc: on a machine shared with
 * other work the wall time moves with the load, the CPU time much less) and peak resident
 * memory of the process tree (sampled from /proc; for the render, above the bench process's own
 * memory before it started, garbage collected first so that the render's collections cannot
 * hide its own memory); then the ratios. The render runs with the worker's malloc settings
 * (platform/malloc.ts): the bench starts itself again with them when its environment sets none.
 * Prints figures; asserts nothing. Needs PostgreSQL (DATABASE_URL), not Temporal.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createLocalFileStore } from '../services/files/store';
import { sourceKey } from '../services/files/keys';
import { renderProofRevision, renderZoomPage } from '../services/render/proof-pages';
import { loadConfig } from '../platform/config';
import { MALLOC_ENV } from '../platform/malloc';
import { createPrisma } from '../platform/db';
import { newId } from '../platform/ids';
import { databaseUrlFor, dropDatabase, recreateDatabase, withServerAdmin } from '../scripts/lib/database';
import { migrate } from '../scripts/migrate';
import { photoPrintPdf } from './print-pdf';
import { samplePeakRss, treeRssBytes } from './process-memory';

/** The run's own: two benches at once never drop each other's. */
const BENCH_DATABASE = `greenlight_bench_proofs_${process.pid}`;
const PAGES = 20;

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(0)} MB`;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** CPU seconds of this process's threads plus those of its children that have ended (/proc/self/stat: utime, stime, cutime, cstime, in clock ticks). */
function cpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // The fields after the command's name (which may hold spaces), from the state on: utime is the 12th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const TICKS_PER_SECOND = 100;
  return (fields[11]! + fields[12]! + fields[13]! + fields[14]!) / TICKS_PER_SECOND;
}

/** Bare pdftoppm, its peak memory sampled on its own process. */
function runPdftoppm(file: string, outDir: string): Promise<{ peakBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('pdftoppm', ['-r', '150', '-jpeg', file, path.join(outDir, 'page')], { stdio: 'ignore' });
    const memory = samplePeakRss(child.pid!);
    child.on('error', reject);
    child.on('close', (code) => {
      const peakBytes = memory.stop();
      if (code === 0) resolve({ peakBytes });
      else reject(new Error(`pdftoppm exited ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/greenlight';
  const databaseUrl = databaseUrlFor(serverUrl, BENCH_DATABASE);
  const work = mkdtempSync(path.join(tmpdir(), 'greenlight-proof-bench-'));
  const prisma = createPrisma(databaseUrl);
  try {
    console.log(`[bench] making a ${PAGES}-page print PDF (a 3000×2000 photo per page) and a fresh database…`);
    const [original] = await Promise.all([photoPrintPdf(PAGES), withServerAdmin(serverUrl, (admin) => recreateDatabase(admin, BENCH_DATABASE)).then(() => migrate(databaseUrl))]);
    const files = createLocalFileStore(path.join(work, 'files'));

    const tenantId = newId('ten');
    const customerId = newId('cus');
    const documentId = newId('doc');
    const revisionId = newId('rev');
    const key = sourceKey(documentId, revisionId, 0, 'pdf');
    await files.put(key, original);
    await prisma.tenant.create({ data: { id: tenantId, name: 'Bench Print Shop', locale: 'fr' } });
    await prisma.customer.create({ data: { id: customerId, tenantId, name: 'Bench Customer' } });
    await prisma.document.create({
      data: { id: documentId, tenantId, kind: 'proof', number: 'P-BENCH-1', status: 'draft', currency: 'EUR', customerId, netTotal: 0, taxTotal: 0, grossTotal: 0 },
    });
    await prisma.revision.create({
      data: {
        id: revisionId,
        documentId,
        number: 1,
        pages: { create: Array.from({ length: PAGES }, (_, index) => ({ id: newId('pag'), position: index + 1, sourceKey: key, sourcePage: index + 1 })) },
      },
    });

    collectGarbage();
    const baseline = treeRssBytes(process.pid);
    const renderMemory = samplePeakRss(process.pid);
    const renderStarted = performance.now();
    const renderCpuStarted = cpuSeconds();
    const { status } = await renderProofRevision({ prisma, files, render: loadConfig().render }, { revisionId });
    const renderSeconds = (performance.now() - renderStarted) / 1000;
    const renderCpu = cpuSeconds() - renderCpuStarted;
    const renderPeak = renderMemory.stop() - baseline;
    if (status !== 'ready') throw new Error(`the revision ended ${status}`);
    const revision = await prisma.revision.findUniqueOrThrow({ where: { id: revisionId } });
    const watermarked = await files.get(revision.watermarkedPdfKey!);

    const zoomStarted = performance.now();
    await renderZoomPage({ prisma, files, render: loadConfig().render }, { revisionId, position: 1 });
    const zoomSeconds = (performance.now() - zoomStarted) / 1000;

    const bareOut = mkdtempSync(path.join(work, 'bare-'));
    const sourceFile = path.join(work, 'source.pdf');
    writeFileSync(sourceFile, original);
    const bareStarted = performance.now();
    const bareCpuStarted = cpuSeconds();
    const { peakBytes: barePeak } = await runPdftoppm(sourceFile, bareOut);
    const bareSeconds = (performance.now() - bareStarted) / 1000;
    const bareCpu = cpuSeconds() - bareCpuStarted;

    console.log(
      `Proof revision render, ${PAGES} pages (original ${mb(original.length)}): previews 1600/1200/800 px, thumbnails, watermarked 150 dpi PDF\n` +
        `  ${renderSeconds.toFixed(1)} s (${(PAGES / renderSeconds).toFixed(1)} pages/s), CPU ${renderCpu.toFixed(1)} s, peak memory ${mb(renderPeak)} above the bench process; ` +
        `watermarked PDF ${mb(watermarked.length)} (${((100 * watermarked.length) / original.length).toFixed(0)}% of the original)\n` +
        `Bare pdftoppm -r 150 -jpeg on the same file\n` +
        `  ${bareSeconds.toFixed(1)} s (${(PAGES / bareSeconds).toFixed(1)} pages/s), CPU ${bareCpu.toFixed(1)} s, peak memory ${mb(barePeak)}\n` +
        `Ratio: the whole render takes ${(renderSeconds / bareSeconds).toFixed(1)}× the time of bare pdftoppm and ${(renderPeak / Math.max(barePeak, 1)).toFixed(1)}× its peak memory (goals: ≤ 2×, ≤ 3×); ` +
        `${(renderCpu / Math.max(bareCpu, 0.01)).toFixed(1)}× its CPU time (the render's includes this process's memory sampling).\n` +
        `A page's watermarked 3200 px zoom image on its first request: ${zoomSeconds.toFixed(2)} s`,
    );
  } finally {
    await prisma.$disconnect();
    await dropDatabase(serverUrl, BENCH_DATABASE).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

if (Object.keys(MALLOC_ENV).some((name) => process.env[name] === undefined)) {
  const { status } = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...MALLOC_ENV, ...process.env } });
  process.exit(status ?? 1);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('[bench] failed:', error);
    process.exit(1);
  },
);
