import {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { fabricErrorHandler, parseInput } from '@internal/plugin-fabric-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { QueryService } from './service/QueryService';
import { QUESTIONS } from './service/questions';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  queries: QueryService;
}

/** Thin HTTP layer: who is asking, parse the question, answer it from the read model. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, queries, logger } = options;
  const router = Router();

  // Users and CI tokens; anonymous callers get 401 from the auth layer.
  const credentials = (req: Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  for (const q of QUESTIONS) {
    router.get(q.path, async (req, res) => {
      const caller = await credentials(req);
      const params = parseInput(q.schema, req.query, q.subject);
      res.json(await queries.query(caller, q.toQuery(params)));
    });
  }

  router.use(fabricErrorHandler(logger));
  return router;
}
