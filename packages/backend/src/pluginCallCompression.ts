import { tokenTypes } from '@backstage/plugin-auth-node';
import type { Request, RequestHandler, Response } from 'express';

/** What is used of the `compression` package (one copy in yarn.lock, shared with backend-defaults). */
interface Compression {
  (options: { filter(req: Request, res: Response): boolean }): RequestHandler;
  /** Its default filter: compressible content types only. */
  filter(req: Request, res: Response): boolean;
}
// Typed here: @types/compression pulls a second copy of express's types that clash with ours.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const compression: Compression = require('compression');

const BEARER = /^Bearer[ ]+(\S+)$/i;

/**
 * Whether the request carries a Backstage plugin token, i.e. it is one plugin calling another
 * (the catalog client of the read-model sync, the search collators, the scaffolder). Only the
 * token's header is read, not verified: the answer decides compression, never access.
 */
export function carriesPluginToken(req: Request): boolean {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return false;
  const token = BEARER.exec(header)?.[1];
  const dot = token?.indexOf('.') ?? -1;
  if (!token || dot <= 0) return false;
  try {
    const decoded = JSON.parse(
      Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'),
    );
    return decoded?.typ === tokenTypes.plugin.typParam;
  } catch {
    return false;
  }
}

/**
 * Upstream's response compression, except for answers to plugin-to-plugin calls. Those run
 * inside the backend, over loopback: gzip there is spent twice (compressing, then the caller's
 * client inflating) and saves nothing. At 10,000 entities it was a quarter of the backend's CPU
 * with no request, from the read model's sync listing the catalog every few seconds.
 */
export function compressionExceptPluginCalls(): RequestHandler {
  return compression({
    filter: (req: Request, res: Response) =>
      !carriesPluginToken(req) && compression.filter(req, res),
  });
}
