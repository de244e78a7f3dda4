/**
 * poppler-utils (pdfinfo, pdftoppm) as bounded child processes. A PDF is untrusted input: each
 * run gets an address-space limit (prlimit --as) and a timeout with SIGKILL, so a hostile file
 * (a decompression bomb, pathological nesting) ends that run with a reason — never the
 * process that started it. See README, "Proof rendering", for why pdftoppm.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout } from 'node:timers/promises';
import type { RenderLimits } from '../../platform/config';

/** The file cannot be read or rendered (within the bounds): a fact about the file, not a fault to retry. */
export class FileRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FileRefused';
  }
}

const MAX_CAPTURED_OUTPUT = 1024 * 1024;

async function runBounded(command: string, args: string[], limits: RenderLimits): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('prlimit', [`--as=${limits.memoryBytes}`, '--', command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: limits.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_CAPTURED_OUTPUT) stdout += chunk.toString('latin1');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_CAPTURED_OUTPUT) stderr += chunk.toString('latin1');
    });
    // A failed spawn, and a broken output pipe, end this run, not the worker.
    child.on('error', reject);
    child.stdout.on('error', reject);
    child.stderr.on('error', reject);
    child.on('close', (code, signal) => {
      // poppler reports a failed allocation on stderr and may still exit 0 with a blank page.
      if (/out of memory/i.test(stderr)) return reject(new FileRefused(`${command} exceeded its memory bound of ${limits.memoryBytes / (1024 * 1024)} MB`));
      if (code === 0) return resolve(stdout);
      // `killed`: Node itself sent the kill signal, which it does only on the timeout.
      if (child.killed) return reject(new FileRefused(`${command} took longer than ${limits.timeoutMs} ms and was stopped`));
      const firstLine = stderr.split('\n').find((line) => line.trim())?.trim() ?? `exit ${code ?? signal}`;
      // A run that dies on a signal it did not get from us most likely hit its memory bound (std::bad_alloc aborts).
      reject(new FileRefused(signal !== null ? `${command} was stopped by ${signal}, likely at its memory bound (${firstLine})` : `${command}: ${firstLine}`));
    });
  });
}

/** Runs `use` with the bytes (or a stream of them, so a large file is never held whole) written to a private temporary file, removed afterwards. */
export async function withTempPdf<T>(source: Uint8Array | (() => Readable), use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'greenlight-pdf-'));
  try {
    const file = path.join(dir, 'input.pdf');
    // A stream is opened only here, inside pipeline, which listens for its errors from the start:
    // opened earlier, a missing file's error would be emitted with nobody listening.
    if (typeof source === 'function') await pipeline(source(), createWriteStream(file));
    else await writeFile(file, source);
    return await use(file, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface PageSize {
  /** Points (1/72 in). */
  width: number;
  height: number;
}

/** Page count and sizes; refuses an encrypted, broken or too long PDF. */
export async function readPdfInfo(file: string, limits: RenderLimits, maxPages: number): Promise<PageSize[]> {
  let summary: string;
  try {
    summary = await runBounded('pdfinfo', [file], limits);
  } catch (error) {
    if (error instanceof FileRefused && /password|encrypt/i.test(error.reason)) throw new FileRefused('the PDF is encrypted');
    throw error;
  }
  if (/^Encrypted:\s+yes/m.test(summary)) throw new FileRefused('the PDF is encrypted');
  const pages = Number(/^Pages:\s+(\d+)/m.exec(summary)?.[1] ?? 0);
  if (pages < 1) throw new FileRefused('the PDF has no pages');
  if (pages > maxPages) throw new FileRefused(`the PDF has ${pages} pages, more than the ${maxPages} allowed`);
  // pdfinfo prints each page's size only when asked for a range.
  const output = await runBounded('pdfinfo', ['-f', '1', '-l', String(pages), file], limits);
  const sizes = [...output.matchAll(/^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((match) => ({
    width: Number(match[1]),
    height: Number(match[2]),
  }));
  if (sizes.length !== pages || sizes.some((size) => !(size.width > 0 && size.height > 0))) throw new FileRefused('the PDF page sizes cannot be read');
  return sizes;
}

/** One rasterized page: 8-bit RGB pixels, row after row. */
export interface RawPage {
  pixels: Buffer;
  width: number;
  height: number;
}

/** pdftoppm's PPM header: "P6", width, height, maxval, each followed by one whitespace byte. */
const PPM_HEADER = /^P6\s(\d+)\s(\d+)\s255\s/;

/**
 * Pages first..last rasterized `width` pixels wide (height follows the page's shape) as raw
 * pixels, handed over one at a time: no page is encoded and decoded again. pdftoppm runs on
 * `pagesPerRun` pages at a time (the file is parsed once per run; each run has its own time
 * bound), writing PPM files into `workDir`. A page is handed over as soon as pdftoppm has
 * written it whole, not when its run ends, so the caller's work on the first page overlaps the
 * drawing of the next and little is left to do after pdftoppm's last page. The next run starts
 * as soon as this one ends, once the caller has reached this one: pdftoppm keeps drawing, at
 * most two runs' pages wait on disk. A run that ends refused refuses the pages already handed
 * over from it too (the caller's work on them is thrown away with the error). Pages of one size
 * are read into one buffer: a page is the caller's until it asks for the next (files, not a
 * pipe: a pipe's chunks are garbage the size of every page).
 */
export async function* rasterizePages(
  file: string,
  workDir: string,
  range: { first: number; last: number },
  width: number,
  limits: RenderLimits,
  pagesPerRun = range.last - range.first + 1,
): AsyncGenerator<RawPage> {
  const ranges: { first: number; last: number }[] = [];
  for (let first = range.first; first <= range.last; first += pagesPerRun) ranges.push({ first, last: Math.min(range.last, first + pagesPerRun - 1) });
  const runs: Promise<RasterizerRun>[] = [];
  let finished = false;
  const start = (index: number) => (runs[index] ??= startRasterizerRun(file, workDir, ranges[index]!, width, limits));
  let pixels: Buffer | undefined;
  try {
    for (const [index, pages] of ranges.entries()) {
      const run = await start(index);
      if (index + 1 < ranges.length) {
        run.ended.then(() => (finished ? undefined : start(index + 1))).catch(() => undefined);
      }
      try {
        for (let pageIndex = 0; pageIndex <= pages.last - pages.first; pageIndex += 1) {
          const page = await readPpm(await writtenPage(run, pageIndex), pixels);
          pixels = page.pixels;
          yield page;
        }
        await run.ended;
      } finally {
        // Left early, the run may still be writing: its files go once it has ended.
        await run.ended.catch(() => undefined);
        await rm(run.dir, { recursive: true, force: true });
      }
    }
  } finally {
    finished = true;
    // A run started ahead and not read: its files go too, once it has ended.
    await Promise.all(runs.map((run) => run.then((started) => started.ended.catch(() => undefined).then(() => rm(started.dir, { recursive: true, force: true }))).catch(() => undefined)));
  }
}

/** One pdftoppm run writing its pages into `dir`; `ended` rejects with the reason when the run is refused. */
interface RasterizerRun {
  dir: string;
  ended: Promise<void>;
  hasEnded(): boolean;
}

async function startRasterizerRun(file: string, workDir: string, range: { first: number; last: number }, width: number, limits: RenderLimits): Promise<RasterizerRun> {
  const dir = await mkdtemp(path.join(workDir, 'pages-'));
  let hasEnded = false;
  const ended = runBounded('pdftoppm', ['-f', String(range.first), '-l', String(range.last), '-scale-to-x', String(width), '-scale-to-y', '-1', file, path.join(dir, 'p')], limits)
    .then(async () => {
      const files = await pageFiles(dir);
      if (files.length !== range.last - range.first + 1) throw new FileRefused(`pdftoppm rendered ${files.length} of pages ${range.first}–${range.last}`);
    })
    .finally(() => {
      hasEnded = true;
    });
  // Its reader awaits it; a run started ahead and never read must not be an unhandled rejection.
  ended.catch(() => undefined);
  return { dir, ended, hasEnded: () => hasEnded };
}

/** pdftoppm zero-pads the page numbers to one width, so names sort in page order. */
async function pageFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.ppm')).sort();
}

/** How often a running pdftoppm's directory is looked at for its next page: a page takes it about 50 ms. */
const PAGE_POLL_MS = 10;

/** The file of the run's `index`th page once pdftoppm has written it whole (or the run's refusal). */
async function writtenPage(run: RasterizerRun, index: number): Promise<string> {
  for (;;) {
    // Whether the run had ended is read before listing: what is listed after its end is whole.
    const ended = run.hasEnded();
    const name = (await pageFiles(run.dir))[index];
    if (ended) {
      await run.ended;
      return path.join(run.dir, name!);
    }
    if (name !== undefined && (await isWholePpm(path.join(run.dir, name)))) return path.join(run.dir, name);
    await Promise.race([setTimeout(PAGE_POLL_MS), run.ended.catch(() => undefined)]);
  }
}

/** Whether a PPM file being written holds its header and every pixel its header announces. */
async function isWholePpm(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const header = await readPpmHeader(handle);
    return header !== undefined && (await handle.stat()).size === header.length + header.width * header.height * 3;
  } finally {
    await handle.close();
  }
}

async function readPpmHeader(handle: FileHandle): Promise<{ length: number; width: number; height: number } | undefined> {
  const head = Buffer.alloc(64);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  const match = PPM_HEADER.exec(head.subarray(0, bytesRead).toString('latin1'));
  return match ? { length: match[0].length, width: Number(match[1]), height: Number(match[2]) } : undefined;
}

/** A PPM file's pixels, read into `reuse` when it is the right size. */
async function readPpm(file: string, reuse: Buffer | undefined): Promise<RawPage> {
  const handle = await open(file, 'r');
  try {
    const header = await readPpmHeader(handle);
    if (!header) throw new FileRefused('pdftoppm wrote something other than a page');
    const { width, height } = header;
    const pixels = reuse?.length === width * height * 3 ? reuse : Buffer.allocUnsafe(width * height * 3);
    for (let filled = 0; filled < pixels.length; ) {
      const read = await handle.read(pixels, filled, pixels.length - filled, header.length + filled);
      if (read.bytesRead === 0) throw new FileRefused('pdftoppm wrote a page shorter than its size');
      filled += read.bytesRead;
    }
    return { pixels, width, height };
  } finally {
    await handle.close();
  }
}
