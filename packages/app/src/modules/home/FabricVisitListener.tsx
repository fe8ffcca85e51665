import { useEffect } from 'react';
import { useLocation } from 'react-router-dom';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { visitsApiRef } from '@backstage/plugin-home';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { pageTitle, visitName } from './visitName';

/** How long a page may take to set its title before the visit is saved without it. */
export const TITLE_WAIT_MS = 3000;
/**
 * How long a new title must stay before it counts: while pages swap, react-helmet may show an
 * older page's title for a moment (seen: "Failure-domain impact" between SPOF inventory and
 * Evidence).
 */
export const TITLE_SETTLE_MS = 300;

/**
 * Records each page visit for the home page's "Recently visited" and "Top visited" cards, named
 * after the page. The stock listener saves a visit in the first animation frame after the path
 * changes, before a lazily loaded page has set its title, so deep pages were all listed as "Fabric
 * Portal". This one waits until the page has set a title of its own and kept it for
 * TITLE_SETTLE_MS (or TITLE_WAIT_MS, or the next navigation, whichever comes first), then saves
 * once.
 */
export function FabricVisitListener() {
  const visitsApi = useApi(visitsApiRef);
  const appTitle =
    useApi(configApiRef).getOptionalString('app.title') ?? 'Backstage';
  const { pathname } = useLocation();

  useEffect(() => {
    const titleAtNavigation = document.title;
    // The page's title counts once it is the page's own: changed since the navigation (the
    // old page's title may still show) and not the bare app title (shown while loading).
    const pageHasTitle = () =>
      document.title !== titleAtNavigation &&
      pageTitle(document.title, appTitle) !== '';
    let saved = false;
    const watch: {
      timer?: number;
      settle?: number;
      observer?: MutationObserver;
    } = {};
    const save = (trustTitle: boolean) => {
      if (saved) return;
      saved = true;
      watch.observer?.disconnect();
      window.clearTimeout(watch.timer);
      window.clearTimeout(watch.settle);
      visitsApi
        .save({
          visit: {
            name: visitName({
              pathname,
              documentTitle: trustTitle ? document.title : appTitle,
              appTitle,
            }),
            pathname,
            entityRef: entityRefFromPath(pathname),
          },
        })
        // A lost visit only shortens a list on the home page; never an error for the user.
        .catch(() => undefined);
    };
    watch.observer = new MutationObserver(() => {
      window.clearTimeout(watch.settle);
      watch.settle = window.setTimeout(() => {
        if (pageHasTitle()) save(true);
      }, TITLE_SETTLE_MS);
    });
    watch.observer.observe(document.head, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    // A page that sets no title leaves the previous page's on show (react-helmet keeps it), so
    // after the wait an unchanged title is not this page's: its name comes from the path.
    watch.timer = window.setTimeout(() => save(pageHasTitle()), TITLE_WAIT_MS);
    return () => save(pageHasTitle());
  }, [visitsApi, pathname, appTitle]);

  return null;
}

/** "component:default/x" for a catalog entity page, as the stock listener records it. */
export function entityRefFromPath(pathname: string): string | undefined {
  const match = /^\/catalog\/([^/]+)\/([^/]+)\/([^/]+)/.exec(pathname);
  if (!match) return undefined;
  const [, namespace, kind, name] = match;
  return stringifyEntityRef({ kind, namespace, name });
}
