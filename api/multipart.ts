/**
 * Reads the files of a multipart/form-data request with busboy, in the order sent, refusing
 * early (and naming the file) when one is larger than the cap or there are too many: the
 * request is never buffered past the limits. Each file's SHA-256 is computed as it streams in,
 * so an Idempotency-Key can be matched on the bytes (api/openapi.ts, uploadRoute).
 */
import { createHash } from 'node:crypto';
import busboy from 'busboy';
import type { Request } from 'express';
import { AppError } from '../domain/errors';
import { unfitTextRefusal } from './body';
import type { UploadedFile } from '../services/render/inspect-upload';

export interface MultipartLimits {
  field: string;
  maxFileBytes: number;
  maxFiles: number;
}

/** A file as received: its bytes and their SHA-256 (hex). */
export type ReceivedFile = UploadedFile & { sha256: string };

export function readMultipartFiles(req: Request, limits: MultipartLimits): Promise<ReceivedFile[]> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(new AppError('unsupported_media_type', `Send the files as multipart/form-data in the "${limits.field}" field.`));
  }
  return new Promise((resolve, reject) => {
    const files: ReceivedFile[] = [];
    let settled = false;
    // The first refusal answers; later events of the same broken request change nothing.
    const fail = (error: AppError) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // Drained, so the answer can be read by a client still sending.
      req.resume();
      reject(error);
    };
    // A body cut short (no closing boundary), a malformed part, or a client gone mid-upload.
    const broken = () => fail(new AppError('validation_failed', 'The multipart body is malformed or incomplete (its closing boundary never came).'));
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20 } });
    } catch {
      // busboy refuses a Content-Type without a usable boundary before reading a byte.
      req.resume();
      return reject(new AppError('validation_failed', 'The multipart Content-Type names no boundary.'));
    }
    parser.on('file', (field, stream, info) => {
      // busboy destroys a file stream with the form's error: without this listener that ends the process.
      stream.on('error', broken);
      if (field !== limits.field) {
        stream.resume();
        return fail(new AppError('validation_failed', `Unexpected file field "${field}"; send files in "${limits.field}".`));
      }
      // A name is echoed in refusals, which an Idempotency-Key stores: it must be storable text.
      const unfitName = unfitTextRefusal(info.filename, `files/${files.length + 1}`);
      if (unfitName) {
        stream.resume();
        return fail(unfitName);
      }
      const chunks: Buffer[] = [];
      const hash = createHash('sha256');
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        hash.update(chunk);
      });
      stream.on('limit', () => fail(new AppError('payload_too_large', `"${info.filename}": larger than the ${limits.maxFileBytes / (1024 * 1024)} MB allowed per file.`)));
      // 'end' comes only for a part read to its boundary, never for one an error cut.
      stream.on('end', () => {
        if (!stream.truncated) {
          files.push({ filename: info.filename || `file-${files.length + 1}`, declaredType: info.mimeType, bytes: Buffer.concat(chunks), sha256: hash.digest('hex') });
        }
      });
    });
    parser.on('filesLimit', () => fail(new AppError('payload_too_large', `More than ${limits.maxFiles} files in one upload.`)));
    parser.on('error', broken);
    parser.on('close', () => {
      if (settled) return;
      settled = true;
      resolve(files);
    });
    req.on('error', broken);
    req.on('close', () => {
      if (!req.complete) broken();
    });
    // A client gone while the request was authenticated: its 'close' came already and comes no more.
    if (req.destroyed && !req.complete) return broken();
    req.pipe(parser);
  });
}

/**
 * A body that is one file itself (PUT /v1/settings/logo), read whole up to `maxBytes`: a larger
 * one is refused (413) as soon as it passes the cap, with the rest drained, never buffered.
 * A JSON or form body was parsed already by the /v1 readers: it is not a file.
 */
export function readRawBody(req: Request, maxBytes: number): Promise<Buffer> {
  if ((req as { _body?: boolean })._body || req.readableEnded) {
    return Promise.reject(new AppError('unsupported_media_type', 'Send the file itself as the body, with its media type as Content-Type (image/png, image/jpeg, image/webp).'));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: AppError) => {
      if (settled) return;
      settled = true;
      req.removeAllListeners('data');
      req.resume();
      reject(error);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return fail(new AppError('payload_too_large', `The file is larger than the ${maxBytes / (1024 * 1024)} MB allowed.`));
      chunks.push(chunk);
    });
    const cut = () => fail(new AppError('validation_failed', 'The body ended before the length it announced.'));
    req.on('error', cut);
    req.on('close', () => {
      if (!req.complete) cut();
    });
    // A client gone while the request was authenticated: its 'close' came already and comes no more.
    if (req.destroyed && !req.complete) return cut();
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
  });
}
