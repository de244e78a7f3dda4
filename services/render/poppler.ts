/**
 * poppler-utils (pdfinfo, pdftoppm) as bounded child processes. A PDF is untrusted input: each
 * run gets an address-space limit (prlimit --as) and a timeout with SIGKILL, so a hostile file
 * (a decompression bomb, pathological nesting) ends that run with a reason — never the
 * process that started it. See README, "Proof rendering", for why pdftoppm.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

/** Runs `use` with the bytes written to a private temporary file, removed afterwards. */
export async function withTempPdf<T>(bytes: Uint8Array, use: (file: string, dir: string) => Promise<T>): Promise<T> {
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

/**
 * Pages first..last rasterized to JPEGs `width` pixels wide (height follows the page's shape),
 * in one pdftoppm run so the file is parsed once per range. JPEG straight from pdftoppm: it
 * serves as the zoom image as is, and sharp shrinks a JPEG on load for the smaller sizes.
 */
export async function rasterizePages(file: string, workDir: string, range: { first: number; last: number }, width: number, limits: RenderLimits): Promise<Buffer[]> {
  const outDir = await mkdtemp(path.join(workDir, 'pages-'));
  try {
    const args = ['-f', String(range.first), '-l', String(range.last), '-scale-to-x', String(width), '-scale-to-y', '-1'];
    await runBounded('pdftoppm', [...args, '-jpeg', '-jpegopt', 'quality=90', file, path.join(outDir, 'p')], limits);
    // pdftoppm zero-pads the page numbers to one width, so names sort in page order.
    const names = (await readdir(outDir)).filter((name) => name.endsWith('.jpg')).sort();
    if (names.length !== range.last - range.first + 1) throw new FileRefused(`pdftoppm rendered ${names.length} of pages ${range.first}–${range.last}`);
    return await Promise.all(names.map((name) => readFile(path.join(outDir, name))));
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
