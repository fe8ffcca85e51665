/**
 * What scrolls sideways in a runbook: code blocks (`pre > code`, whose lines never wrap) and
 * tables (mkdocs-material lets a wide table scroll inside the page). mkdocs-material's own
 * script gives them `tabindex="0"` so a keyboard user can scroll them; TechDocs drops the
 * theme's scripts, so the reader does it here (axe: scrollable-region-focusable).
 */
export const SCROLLER_SELECTORS = ['pre > code', '.md-typeset table'];

/**
 * Makes each element reachable with Tab, keeping a tabindex it already has; returns how many it
 * changed. Setting the attribute is a DOM change the reader's observers see: only where missing.
 */
export function makeFocusable(elements: Iterable<Element>): number {
  let changed = 0;
  for (const element of elements) {
    if (!element.hasAttribute('tabindex')) {
      element.setAttribute('tabindex', '0');
      changed++;
    }
  }
  return changed;
}
