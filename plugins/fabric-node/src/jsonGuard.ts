import { InputError } from '@backstage/errors';
import { MAX_JSON_DEPTH } from '@internal/plugin-fabric-common';
import { NextFunction, Request, RequestHandler, Response } from 'express';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }
/** Characters a JSON number literal is made of: - + . 0-9 e E. */
const NUMBER_CHAR = new Uint8Array(256);
for (const c of '-+.0123456789eE') NUMBER_CHAR[c.charCodeAt(0)] = 1;
/** A longer literal is refused before Number() has to read it. */
const MAX_NUMBER_CHARS = 400;

/**
 * Reads JSON text chunk by chunk and reports, without parsing it, the first thing no Fabric
 * API accepts: nesting deeper than `maxDepth` or a number literal that is not finite
 * (`1e999`). It only tracks strings, brackets and number literals, so it uses constant memory
 * and no recursion; whether the text is valid JSON is left to the parser that runs after it.
 */
export class JsonTextScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private numberToken = '';
  problem: string | undefined;

  constructor(private readonly maxDepth: number = MAX_JSON_DEPTH) {}

  /** Scans the next chunk; returns the problem once one is found. */
  write(chunk: Uint8Array): string | undefined {
    for (let i = 0; i < chunk.length && !this.problem; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (NUMBER_CHAR[c]) {
        this.numberToken += String.fromCharCode(c);
        if (this.numberToken.length > MAX_NUMBER_CHARS) {
          this.problem = `the body holds a number literal of over ${MAX_NUMBER_CHARS} characters; send numbers as JSON numbers within ±1.7e308`;
        }
        continue;
      }
      this.endNumber();
      if (c === QUOTE) {
        this.inString = true;
      } else if (OPEN.has(c)) {
        this.depth += 1;
        if (this.depth > this.maxDepth) {
          this.problem = `the JSON body nests deeper than ${this.maxDepth} levels; send a flatter document`;
        }
      } else if (CLOSE.has(c)) {
        this.depth -= 1;
      }
    }
    return this.problem;
  }

  /** Call at the end of the text: a number may be its last token. */
  end(): string | undefined {
    if (!this.problem) this.endNumber();
    return this.problem;
  }

  private endNumber() {
    const token = this.numberToken;
    if (!token) return;
    this.numberToken = '';
    // Only a literal that starts like a number is one; `e` alone belongs to true/false.
    if (!/^-?\d/.test(token)) return;
    const value = Number(token);
    if (Number.isNaN(value)) return; // not JSON at all: the parser names it
    if (!Number.isFinite(value)) {
      this.problem = `the JSON body holds the number ${
        token.length > 40 ? `${token.slice(0, 30)}…` : token
      }, which is beyond what a number holds (it would read as Infinity); send a finite number within ±1.7e308`;
    }
  }
}

/** Checks a whole JSON text at once (tests, and callers holding the text already). */
export function jsonTextProblem(
  text: string | Uint8Array,
  maxDepth: number = MAX_JSON_DEPTH,
): string | undefined {
  const scanner = new JsonTextScanner(maxDepth);
  scanner.write(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  return scanner.end();
}

export interface JsonBodyGuardOptions {
  maxDepth?: number;
  /**
   * The most bytes of JSON any route takes (the routes keep their own, usually lower, limits):
   * a larger body is refused before it is buffered whole.
   */
  maxBytes: number;
}

/** An error both error handlers answer with `status`: Backstage's by field, ours by name. */
function httpError(name: string, status: number, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { status, statusCode: status });
}

function isJsonRequest(req: Request): boolean {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined &&
      req.headers['content-length'] !== '0');
  return hasBody && Boolean(req.is(['application/json', 'application/*+json']));
}

/**
 * The JSON edge of every API of the backend, in front of every plugin's own body parser:
 * reads a JSON request body as it arrives, refuses it (400, 413) when it nests too deeply,
 * holds a non-finite number or exceeds `maxBytes`, and otherwise puts the bytes back untouched
 * (`unshift`) for the route's parser, limits and error messages. Plugins we do not own
 * (catalog, scaffolder, auth) parse 20,000-level arrays happily and then overflow the stack in
 * recursive code, so the bound must sit in front of them, not in each router.
 */
export function jsonBodyGuard(options: JsonBodyGuardOptions): RequestHandler {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isJsonRequest(req)) {
      next();
      return;
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity')
      .toString()
      .toLowerCase();
    if (encoding !== 'identity') {
      // Compressed JSON cannot be checked before it is inflated; nothing here needs it.
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.destroy());
      next(
        httpError(
          'UnsupportedMediaTypeError',
          415,
          `Content-Encoding ${encoding} is not accepted for JSON bodies; send the JSON uncompressed`,
        ),
      );
      return;
    }
    const tooLarge = () =>
      httpError(
        'PayloadTooLargeError',
        413,
        `The request body is larger than ${options.maxBytes} bytes, the most any route accepts; send less`,
      );
    const refuse = (error: Error) => {
      // The client may still be sending a body nobody will read: answer and close.
      res.setHeader('Connection', 'close');
      res.on('finish', () => req.destroy());
      next(error);
    };
    if (Number(req.headers['content-length']) > options.maxBytes) {
      refuse(tooLarge());
      return;
    }

    const scanner = new JsonTextScanner(maxDepth);
    const chunks: Buffer[] = [];
    let received = 0;
    /** Reads what has arrived; the outcome once the body is complete or refused. */
    const readAvailable = (): 'wait' | 'done' | Error => {
      for (;;) {
        const chunk: Buffer | null = req.read();
        if (chunk === null) break;
        received += chunk.length;
        if (received > options.maxBytes) return tooLarge();
        chunks.push(chunk);
        const problem = scanner.write(chunk);
        if (problem) return new InputError(problem);
      }
      if (!req.complete) return 'wait';
      const problem = scanner.end();
      return problem ? new InputError(problem) : 'done';
    };
    const listeners = {
      readable: () => {
        const outcome = readAvailable();
        if (outcome === 'wait') return;
        stop();
        if (outcome === 'done') {
          // Back into the stream before its 'end' is emitted: the route reads the body as sent.
          if (received > 0) req.unshift(Buffer.concat(chunks, received));
          next();
        } else {
          refuse(outcome);
        }
      },
      error: (error: Error) => {
        stop();
        next(error);
      },
      // The client went away before the body was complete: nobody is left to answer.
      close: () => {
        if (!req.complete) stop();
      },
    };
    function stop() {
      req.off('readable', listeners.readable);
      req.off('error', listeners.error);
      req.off('close', listeners.close);
    }
    req.on('error', listeners.error);
    req.on('close', listeners.close);
    req.on('readable', listeners.readable);
  };
}
