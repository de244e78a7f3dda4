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
import type { UploadedFile } from '../activities/render/inspect-upload';

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
    let failure: AppError | undefined;
    const fail = (error: AppError) => {
      failure ??= error;
      req.unpipe(parser);
      req.resume();
      reject(failure);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20 } });
    } catch {
      // busboy refuses a Content-Type without a usable boundary before reading a byte.
      req.resume();
      return reject(new AppError('validation_failed', 'The multipart Content-Type names no boundary.'));
    }
    parser.on('file', (field, stream, info) => {
      if (field !== limits.field) {
        stream.resume();
        return fail(new AppError('validation_failed', `Unexpected file field "${field}"; send files in "${limits.field}".`));
      }
      const chunks: Buffer[] = [];
      const hash = createHash('sha256');
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        hash.update(chunk);
      });
      stream.on('limit', () => fail(new AppError('payload_too_large', `"${info.filename}": larger than the ${limits.maxFileBytes / (1024 * 1024)} MB allowed per file.`)));
      stream.on('close', () => {
        if (!stream.truncated) {
          files.push({ filename: info.filename || `file-${files.length + 1}`, declaredType: info.mimeType, bytes: Buffer.concat(chunks), sha256: hash.digest('hex') });
        }
      });
    });
    parser.on('filesLimit', () => fail(new AppError('payload_too_large', `More than ${limits.maxFiles} files in one upload.`)));
    parser.on('error', () => fail(new AppError('validation_failed', 'The multipart body is malformed.')));
    parser.on('close', () => {
      if (!failure) resolve(files);
    });
    req.pipe(parser);
  });
}
