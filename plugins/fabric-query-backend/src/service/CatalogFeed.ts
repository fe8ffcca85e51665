import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { READ_MODEL_KINDS, projectEntity } from './projection';
import { ReadModel } from './ReadModel';

/** What one sync did. */
export interface SyncResult {
  /** Entities of our kinds in the catalog. */
  catalog: number;
  changed: number;
  deleted: number;
}

const PAGE = 1000;
const BY_REFS = 200;
const lower = (value: string) => value.toLocaleLowerCase('en-US');

/**
 * Keeps the read model equal to the catalog through the catalog's own API. Each run lists the
 * ref and etag of every entity of our kinds (one small projection, paged with the catalog's
 * cursor, no total count), reads in full only those whose etag differs from the stored one
 * (stored batch by batch) and drops the ones the catalog no longer has. Every run is thus a full reconcile: a restart, a
 * missed run or a change made while the backend was down is repaired by the next one.
 */
export class CatalogFeed {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      readModel: ReadModel;
      logger: LoggerService;
    },
  ) {}

  async sync(): Promise<SyncResult> {
    const { catalog, auth, readModel, logger } = this.deps;
    const credentials = await auth.getOwnServiceCredentials();
    const current = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const page = cursor
        ? await catalog.queryEntities({ cursor, limit: PAGE }, { credentials })
        : await catalog.queryEntities(
            {
              filter: READ_MODEL_KINDS.map(kind => ({ kind })),
              fields: [
                'kind',
                'metadata.name',
                'metadata.namespace',
                'metadata.etag',
              ],
              limit: PAGE,
              totalItems: 'exclude',
            },
            { credentials },
          );
      for (const e of page.items) {
        current.set(lower(stringifyEntityRef(e)), e.metadata.etag ?? '');
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);

    const stored = await readModel.entities.etags();
    const changedRefs = [...current]
      .filter(([ref, etag]) => stored.get(ref) !== etag)
      .map(([ref]) => ref);
    const deleted = [...stored.keys()].filter(ref => !current.has(ref));

    // Each batch is stored as soon as it is read: a run cut off (its timeout on a busy SQLite
    // backend at 10,000 entities, a restart) keeps what it read, and the next run reads only
    // the rest instead of starting over. Each batch raises the version with it (a replica
    // reloads at most once a second): announcing once at the end would leave a run cut off
    // after its last batch unannounced, and the next run, finding nothing changed, would
    // never announce it.
    let changed = 0;
    for (let i = 0; i < changedRefs.length; i += BY_REFS) {
      const { items } = await catalog.getEntitiesByRefs(
        { entityRefs: changedRefs.slice(i, i + BY_REFS) },
        { credentials },
      );
      // An entity deleted between the listing and this read is dropped by the next run.
      const batch = items
        .filter((e): e is Entity => !!e)
        .map(e => projectEntity(e));
      await readModel.apply(batch, []);
      changed += batch.length;
    }
    await readModel.apply([], deleted);
    if (changed || deleted.length) {
      logger.debug(
        `read model: ${changed} changed, ${deleted.length} deleted of ${current.size}`,
      );
    }
    return { catalog: current.size, changed, deleted: deleted.length };
  }
}
