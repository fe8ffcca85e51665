/**
 * The name a visit is listed under in "Recently visited" and "Top visited". The page's own
 * document title is the best name ("ZAKON registry", "Increase Birds quotas", a runbook page's
 * title), without the app's title at its end. A page that sets no title of its own falls back to
 * a name read from its path: an entity's or a runbook's name, Home, else the path's segments.
 */
export function visitName(options: {
  pathname: string;
  documentTitle: string;
  appTitle: string;
}): string {
  const fromTitle = pageTitle(options.documentTitle, options.appTitle);
  return fromTitle || nameFromPath(options.pathname) || options.appTitle;
}

/**
 * The unread-notifications count the notifications plugin puts before the title: "(37) ".
 * The same pattern it removes again (its useTitleCounter's cleanTitle).
 */
const UNREAD_COUNT_PREFIX = /^\(\d+\)\s/;

/** The page's part of a document title: "(3) Approvals | Fabric Portal" -> "Approvals". */
export function pageTitle(documentTitle: string, appTitle: string): string {
  let title = documentTitle.replace(UNREAD_COUNT_PREFIX, '').trim();
  const suffix = ` | ${appTitle}`;
  // The home page's header is named after the app too: "Fabric Portal | Fabric Portal".
  while (title.endsWith(suffix)) title = title.slice(0, -suffix.length).trim();
  return title === appTitle ? '' : title;
}

function humanise(segment: string): string {
  const words = decodeSegment(segment).replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function nameFromPath(pathname: string): string {
  const segments = pathname.split('/').filter(Boolean);
  if (segments.length === 0) return 'Home';
  const [root, , , name, ...rest] = segments;
  if ((root === 'catalog' || root === 'docs') && name) {
    const page = rest.filter(Boolean).at(-1);
    return page
      ? `${decodeSegment(name)}: ${humanise(page)}`
      : decodeSegment(name);
  }
  return segments.length === 1
    ? humanise(root)
    : `${humanise(root)}: ${decodeSegment(segments[segments.length - 1])}`;
}
