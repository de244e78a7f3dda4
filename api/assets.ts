/**
 * GET /assets/logos/<name>.png: sellers' logos, public (emails load them from mail clients,
 * which hold no credentials). The name is a hash of the tenant and the image, so it says
 * nothing and changes with the logo: cached for a year, immutable.
 */
import type { Request, Response } from 'express';
import type { AppDeps } from './app';
import { AppError } from '../domain/errors';

const LOGO_NAME = /^([0-9a-f]{64})\.png$/;

export function logoHandler(deps: AppDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const sha256 = LOGO_NAME.exec(String(req.params.name))?.[1];
    const logo = sha256 ? await deps.prisma.tenantLogo.findUnique({ where: { sha256 }, select: { png: true } }) : null;
    if (!logo) throw new AppError('not_found', 'No such logo.');
    res
      .type('image/png')
      .set('Cache-Control', 'public, max-age=31536000, immutable')
      // Mail clients read it from their own origin.
      .set('Cross-Origin-Resource-Policy', 'cross-origin')
      .send(Buffer.from(logo.png));
  };
}
