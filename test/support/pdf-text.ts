/** The words of a PDF as a reader gets them: poppler's pdftotext (Debian poppler-utils), reading stdin. */
import { execFileSync } from 'node:child_process';

export function pdfText(bytes: Uint8Array): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: Buffer.from(bytes), encoding: 'utf8' });
}
