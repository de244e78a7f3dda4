/**
 * poppler-utils (pdfinfo, pdftoppm) as bounded child processes. A PDF is untrusted input: each
 * run gets an address-space limit (prlimit --as) and a timeout with SIGKILL, so a hostile file
 * (a decompression bomb, pathological nesting) ends that run with a reason — never the
 * process that started it. See README, "Proof rendering", for why pdftoppm.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { RenderLimits } from '../../platform/config';

/** The file cannot be read or rendered (within the bounds): a fact about the file, not a fault to retry. */
export class FileRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'FileRefused';
  }
}

const MAX_CAPTURED_OUTPUT = 1024 * 1024;

interface BoundedRun {
  /** The child's output, when it is read by the caller rather than captured. */
  stdout: NodeJS.ReadableStream;
  /** Resolves with the captured output (empty when streamed) once the child ends well; rejects with why it did not. */
  finished: Promise<string>;
  /** Stops the child (its outcome is then a rejection nobody needs). */
  stop(): void;
}

function spawnBounded(command: string, args: string[], limits: RenderLimits, output: 'capture' | 'stream'): BoundedRun {
  const child = spawn('prlimit', [`--as=${limits.memoryBytes}`, '--', command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: limits.timeoutMs,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  if (output === 'capture') {
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_CAPTURED_OUTPUT) stdout += chunk.toString('latin1');
    });
  }
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < MAX_CAPTURED_OUTPUT) stderr += chunk.toString('latin1');
  });
  const finished = new Promise<string>((resolve, reject) => {
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
  return { stdout: child.stdout, finished, stop: () => child.kill('SIGKILL') };
}

function runBounded(command: string, args: string[], limits: RenderLimits): Promise<string> {
  return spawnBounded(command, args, limits, 'capture').finished;
}

/** Runs `use` with the bytes (or a stream of them, so a large file is never held whole) written to a private temporary file, removed afterwards. */
export async function withTempPdf<T>(bytes: Uint8Array | Readable, use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'greenlight-pdf-'));
  try {
    const file = path.join(dir, 'input.pdf');
    await writeFile(file, bytes);
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
 * Pages first..last rasterized `width` pixels wide (height follows the page's shape), in one
 * pdftoppm run so the file is parsed once per range. The pages stream out of pdftoppm as raw
 * PPM and are handed over one at a time: pdftoppm draws the next page while the caller
 * processes this one, no page is encoded and decoded again, and at most one page is held.
 */
export async function* rasterizePages(file: string, range: { first: number; last: number }, width: number, limits: RenderLimits): AsyncGenerator<RawPage> {
  const run = spawnBounded('pdftoppm', ['-f', String(range.first), '-l', String(range.last), '-scale-to-x', String(width), '-scale-to-y', '-1', file], limits, 'stream');
  // The outcome is awaited below; this keeps an early failure from going unhandled meanwhile.
  run.finished.catch(() => undefined);
  // Bytes of the page being read: its header first, then its pixels straight into a buffer of their own.
  let header = Buffer.alloc(0);
  let page: RawPage | undefined;
  let spare: Buffer | undefined;
  let filled = 0;
  let delivered = 0;
  try {
    for await (const chunk of run.stdout as AsyncIterable<Buffer>) {
      let rest = chunk;
      while (rest.length > 0) {
        if (!page) {
          header = Buffer.concat([header, rest]);
          const match = PPM_HEADER.exec(header.subarray(0, 64).toString('latin1'));
          if (!match) {
            if (header.length >= 64) throw new FileRefused('pdftoppm wrote something other than a page');
            break;
          }
          const [width, height] = [Number(match[1]), Number(match[2])];
          // Pages of one size share one buffer: a page is the caller's until it asks for the next.
          const pixels = spare?.length === width * height * 3 ? spare : Buffer.allocUnsafe(width * height * 3);
          page = { pixels, width, height };
          rest = header.subarray(match[0].length);
          header = Buffer.alloc(0);
          filled = 0;
        }
        const taken = rest.copy(page.pixels, filled);
        filled += taken;
        rest = rest.subarray(taken);
        if (filled === page.pixels.length) {
          delivered += 1;
          yield page;
          spare = page.pixels;
          page = undefined;
        }
      }
    }
    await run.finished;
  } finally {
    run.stop();
  }
  if (delivered !== range.last - range.first + 1) throw new FileRefused(`pdftoppm rendered ${delivered} of pages ${range.first}–${range.last}`);
}
