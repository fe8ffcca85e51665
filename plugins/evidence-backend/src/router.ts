import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  evidencePacketCreatePermission,
  evidencePacketReadPermission,
  evidencePacketRescanPermission,
  filePathQuerySchema,
  packetListQuerySchema,
  uploadQuerySchema,
} from '@internal/plugin-evidence-common';
import {
  fabricErrorHandler,
  parseInput,
  signingKeysMoved,
  TenantScopedAccess,
} from '@internal/plugin-fabric-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PayloadTooLargeError } from './service/errors';
import { EvidenceService } from './service/EvidenceService';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  access: TenantScopedAccess;
  evidence: EvidenceService;
  /** Entity annotations for `?entity=`, read as the caller. */
  entityPrefixes: (
    entityRef: string,
    credentials: BackstageCredentials,
  ) => Promise<Array<{ area: string; subjectPrefix?: string }>>;
  maxUploadBytes: number;
}

const idSchema = z.uuid({ message: 'must be a packet id (a UUID)' });

const UPLOAD_TYPES = [
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/octet-stream',
];

/** Thin HTTP layer: parse, check the permission, call the service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, access, evidence } = options;
  const router = Router();

  const credentials = (req: Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** Loads the packet if the caller may read it; another tenant's is not found (404). */
  async function readable(req: Request) {
    return access.findFor(
      await credentials(req),
      evidencePacketReadPermission,
      parseInput(idSchema, req.params.id, 'The packet id'),
      id => evidence.packets.get(id),
    );
  }

  router.get('/packets', async (req, res) => {
    const creds = await credentials(req);
    const query = parseInput(packetListQuerySchema, req.query, 'The query');
    const scope = await access.scope(creds, evidencePacketReadPermission);
    const { entity, ...rest } = query;
    res.json(
      await evidence.list({
        ...rest,
        tenants: scope.all ? undefined : scope.tenants,
        entity: entity
          ? {
              ref: entity,
              prefixes: await options.entityPrefixes(entity, creds),
            }
          : undefined,
      }),
    );
  });

  router.get('/facets', async (req, res) => {
    const scope = await access.scope(
      await credentials(req),
      evidencePacketReadPermission,
    );
    res.json({
      areas: await evidence.areas(scope.all ? undefined : scope.tenants),
    });
  });

  router.post('/packets', async (req, res) => {
    const creds = await credentials(req);
    await access.assertAllowed(creds, evidencePacketCreatePermission);
    const query = parseInput(uploadQuerySchema, req.query, 'The upload query');
    const type = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim()
      .toLowerCase();
    if (!UPLOAD_TYPES.includes(type)) {
      throw new InputError(
        `Content-Type must be application/gzip (a tar.gz of one packet), not ${JSON.stringify(
          type || 'none',
        )}`,
      );
    }
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > options.maxUploadBytes) {
      throw new PayloadTooLargeError(
        `the upload is ${length} bytes; the limit is ${options.maxUploadBytes} (evidence.upload.maxBytes)`,
      );
    }
    const result = await evidence.upload(req, query);
    res.status(result.created ? 201 : 200).json(result);
  });

  router.post('/rescan', async (req, res) => {
    await access.assertAllowed(
      await credentials(req),
      evidencePacketRescanPermission,
    );
    res.json(await evidence.rescan());
  });

  router.get('/packets/:id', async (req, res) => {
    res.json(await evidence.view(await readable(req)));
  });

  router.get('/packets/:id/preview', async (req, res) => {
    const packet = await readable(req);
    const { path } = parseInput(filePathQuerySchema, req.query, 'The query');
    res.json(await evidence.preview(packet, path));
  });

  router.get('/packets/:id/download', async (req, res) => {
    const packet = await readable(req);
    const { path } = parseInput(filePathQuerySchema, req.query, 'The query');
    const { file, stream } = await evidence.download(packet, path);
    const name = file.path.split('/').pop() ?? 'file';
    // Always an attachment of opaque type: a packet's HTML never runs in the portal's origin.
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${name.replace(
        /[^A-Za-z0-9._-]/g,
        '_',
      )}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    if (file.size !== undefined)
      res.setHeader('Content-Length', String(file.size));
    if (file.sha256)
      res.setHeader(
        'Digest',
        `sha-256=${Buffer.from(file.sha256, 'hex').toString('base64')}`,
      );
    stream.on('error', error => res.destroy(error));
    stream.pipe(res);
  });

  // Keys moved to the one signing-key registry; say where instead of a bare 404.
  router.all('/keys/me', signingKeysMoved);

  router.use(fabricErrorHandler(options.logger));
  return router;
}
