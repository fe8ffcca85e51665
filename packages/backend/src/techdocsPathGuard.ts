import type { NextFunction, Request, Response } from 'express';

/** Under this mount the TechDocs backend serves each entity's built site. */
export const TECHDOCS_STATIC_MOUNT = '/api/techdocs/static';

/** `/`, `\` or `.` written percent-encoded. */
const ENCODED_PATH_CHARS = /%(2f|5c|2e)/i;

/**
 * TechDocs checks `catalog.entity.read` on the entity named by the first three segments of a
 * static-docs path (`/static/docs/<ns>/<kind>/<name>/...`), then hands the rest to its publisher,
 * which percent-decodes it again. An encoded separator or dot (`..%2f`) therefore passes the
 * check as part of a visible entity's path (a shared plane) and is resolved by the publisher into
 * another entity's site: a tenant would read another tenant's pages. No site generator writes
 * such names, so these paths are refused before TechDocs sees them.
 */
export function techdocsPathGuard(
  req: Request,
  res: Response,
  next: NextFunction,
) {
  const rawPath = req.originalUrl.split('?')[0];
  if (ENCODED_PATH_CHARS.test(rawPath)) {
    res.status(400).json({
      error: {
        name: 'InputError',
        message:
          'path: an encoded "/", "\\" or "." is not allowed in a TechDocs path; request the plain path of the page',
      },
    });
    return;
  }
  next();
}
