import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, serializeError } from '@backstage/errors';
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

const STATUS_BY_ERROR_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  PayloadTooLargeError: 413,
  UnsupportedMediaTypeError: 415,
  ServiceUnavailableError: 503,
};

/**
 * The Fabric routers' last middleware: @backstage/errors types and body-parser's own 4xx
 * errors keep their status and message; anything else is a logged 500 that tells the client
 * nothing about internals.
 */
export function fabricErrorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    // body-parser marks malformed JSON and oversized bodies with a type of its own.
    const statusCode =
      STATUS_BY_ERROR_NAME[error?.name] ??
      (error?.type === 'entity.parse.failed' ? 400 : undefined) ??
      (error?.type === 'entity.too.large' ? 413 : undefined) ??
      500;
    if (statusCode === 500) {
      logger.error(
        `${req.method} ${req.path} failed: ${error?.stack ?? error}`,
      );
    }
    if (statusCode === 413 || !req.complete) {
      // The client may still be sending a body nobody will read: say so and close.
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.destroy());
    }
    const body = serializeError(
      statusCode === 500 ? new Error('Internal error') : error,
    );
    res.status(statusCode).json({ error: body, response: { statusCode } });
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
