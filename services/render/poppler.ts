/**
 * poppler-utils (pdfinfo, pdftoppm) as bounded child processes. A PDF is untrusted input: each
 * run gets an address-space limit (prlimit --as) and a timeout with SIGKILL, so a hostile file
 * (a decompression bomb, pathological nesting) ends that run with a reason — never the
 * process that started it. See README, "Proof rendering", for why pdftoppm.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
 * bound), writing PPM files into `workDir`; the next run draws while the caller processes this
 * one's pages. Pages of one size are read into one buffer: a page is the caller's until it asks
 * for the next (files, not a pipe: a pipe's chunks are garbage the size of every page).
 */
export async function* rasterizePages(
  file: string,
  workDir: string,
  range: { first: number; last: number },
  width: number,
  limits: RenderLimits,
  pagesPerRun = range.last - range.first + 1,
): AsyncGenerator<RawPage> {
  const runs: { first: number; last: number }[] = [];
  for (let first = range.first; first <= range.last; first += pagesPerRun) runs.push({ first, last: Math.min(range.last, first + pagesPerRun - 1) });
  const started = runs.map(() => undefined as Promise<{ dir: string; files: string[] }> | undefined);
  const start = (index: number) => (started[index] ??= rasterizeToFiles(file, workDir, runs[index]!, width, limits));
  let pixels: Buffer | undefined;
  try {
    for (const [index] of runs.entries()) {
      const { dir, files } = await start(index);
      if (index + 1 < runs.length) start(index + 1).catch(() => undefined);
      try {
        for (const name of files) {
          const page = await readPpm(path.join(dir, name), pixels);
          pixels = page.pixels;
          yield page;
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
  } finally {
    // A run started ahead and not read: its files go too.
    await Promise.all(started.map((run) => run?.then(({ dir }) => rm(dir, { recursive: true, force: true })).catch(() => undefined)));
  }
}

async function rasterizeToFiles(file: string, workDir: string, range: { first: number; last: number }, width: number, limits: RenderLimits): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(path.join(workDir, 'pages-'));
  await runBounded('pdftoppm', ['-f', String(range.first), '-l', String(range.last), '-scale-to-x', String(width), '-scale-to-y', '-1', file, path.join(dir, 'p')], limits);
  // pdftoppm zero-pads the page numbers to one width, so names sort in page order.
  const files = (await readdir(dir)).filter((name) => name.endsWith('.ppm')).sort();
  if (files.length !== range.last - range.first + 1) throw new FileRefused(`pdftoppm rendered ${files.length} of pages ${range.first}–${range.last}`);
  return { dir, files };
}

/** A PPM file's pixels, read into `reuse` when it is the right size. */
async function readPpm(file: string, reuse: Buffer | undefined): Promise<RawPage> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const match = PPM_HEADER.exec(head.subarray(0, bytesRead).toString('latin1'));
    if (!match) throw new FileRefused('pdftoppm wrote something other than a page');
    const [width, height] = [Number(match[1]), Number(match[2])];
    const pixels = reuse?.length === width * height * 3 ? reuse : Buffer.allocUnsafe(width * height * 3);
    for (let filled = 0; filled < pixels.length; ) {
      const read = await handle.read(pixels, filled, pixels.length - filled, match[0].length + filled);
      if (read.bytesRead === 0) throw new FileRefused('pdftoppm wrote a page shorter than its size');
      filled += read.bytesRead;
    }
    return { pixels, width, height };
  } finally {
    await handle.close();
  }
}
