import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CustomErrorBase,
  InputError,
  serializeError,
} from '@backstage/errors';
import { parseWithProblems } from '@internal/plugin-fabric-common';
import { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';

/**
 * Parses a request part with its zod schema; a failure is an InputError (400) whose message
 * names each bad field and what is allowed, e.g. `The proposal is invalid:\n- tenant: …`.
 */
export function parseInput<T>(
  schema: z.ZodType<T>,
  input: unknown,
  subject: string,
): T {
  const result = parseWithProblems(schema, input, subject);
  if (!result.success) throw new InputError(result.message);
  return result.data;
}

/**
 * Our own 4xx errors whose names @backstage/errors does not define, so the root error
 * middleware would answer them 500.
 */
const OWN_ERROR_STATUS: Record<string, number> = {
  PayloadTooLargeError: 413,
  UnsupportedMediaTypeError: 415,
};

/** An error's own HTTP status (body-parser's and http-errors' `status`/`statusCode`). */
function ownStatus(error: any): number | undefined {
  const status = error?.statusCode ?? error?.status;
  return Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : undefined;
}

/**
 * The Fabric routers' last middleware. The root HTTP router's error middleware
 * (`MiddlewareFactory.error()`) already maps the @backstage/errors types and any error with its
 * own status (body-parser's 400 for malformed JSON, 413 for an oversized body) to the answer
 * `{error: {name, message}, request, response: {statusCode}}`; those go on to it. Kept here is
 * only what it lacks:
 * - the status of our own 413 and 415 errors (PayloadTooLargeError, UnsupportedMediaTypeError);
 * - an unexpected error (not an @backstage/errors type, no status of its own, or another
 *   service's failed answer) is logged and answered 500 `Internal error`: upstream would send
 *   its message (a path, a SQL statement);
 * - a body refused while it is still arriving (413, or any refusal before the request is
 *   complete) closes the connection instead of reading the rest.
 */
export function fabricErrorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const own = OWN_ERROR_STATUS[error?.name];
    // A failed call to another service (ResponseError) is not ours to pass on: a 500 here.
    const expected =
      own !== undefined ||
      (error?.name !== 'ResponseError' &&
        (ownStatus(error) !== undefined || error instanceof CustomErrorBase));
    if ((own ?? ownStatus(error)) === 413 || !req.complete) {
      // The client may still be sending a body nobody will read: say so and close.
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.destroy());
    }
    if (expected && own === undefined) {
      next(error);
      return;
    }
    let statusCode = own ?? 500;
    let answer: Error = error;
    if (!expected) {
      logger.error(`${req.method} ${req.path} failed: ${error?.stack ?? error}`);
      statusCode = 500;
      answer = new Error('Internal error');
    }
    res.status(statusCode).json({
      error: serializeError(answer),
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode },
    });
  };
}

/**
 * `/keys/me` of a plugin that kept signing keys before the one signing-key registry: a 410 that
 * says where they are now, instead of a bare 404.
 */
export const signingKeysMoved: RequestHandler = (_req, res) => {
  res.status(410).json({
    error: {
      name: 'GoneError',
      message:
        'Signing keys moved to the signing-key registry: GET or PUT /api/signing-keys/keys/me (PUT needs a challenge from POST /api/signing-keys/challenges signed with the key)',
    },
    response: { statusCode: 410 },
  });
};
