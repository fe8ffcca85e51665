/**
 * What scrolls sideways in a runbook: code blocks (`pre > code`, whose lines never wrap) and
 * Markdown tables (mkdocs-material lets a wide one scroll inside the page; it styles only tables
 * with no class, so code line-number tables are left alone). mkdocs-material's own
 * script gives them `tabindex="0"` so a keyboard user can scroll them; TechDocs drops the
 * theme's scripts, so the reader does it here (axe: scrollable-region-focusable).
 */
export const SCROLLER_SELECTORS = [
  'pre > code',
  '.md-typeset table:not([class])',
];

/**
 * The theme hides the outline of code that lacks the `focus-visible` class, which its dropped
 * script would have set on keyboard focus: set it here, so a keyboard user sees where focus is.
 * Code only: a table with any class loses the theme's table style (`table:not([class])`), and
 * the theme leaves a table's outline alone.
 */
const FOCUS_CLASS = 'focus-visible';

function focusedByKeyboard(element: Element): boolean {
  try {
    return element.matches(':focus-visible');
  } catch {
    // A browser (or test DOM) without the selector: show the outline on any focus.
    return true;
  }
}

function showOutline(event: Event) {
  const element = event.currentTarget as Element;
  if (focusedByKeyboard(element)) element.classList.add(FOCUS_CLASS);
}

function hideOutline(event: Event) {
  (event.currentTarget as Element).classList.remove(FOCUS_CLASS);
}

/**
 * Makes each element reachable with Tab, with a visible outline when focused from the keyboard,
 * keeping a tabindex it already has; returns how many it changed. Setting the attribute is a DOM
 * change the reader's observers see: only where missing.
 */
export function makeFocusable(elements: Iterable<Element>): number {
  let changed = 0;
  for (const element of elements) {
    if (!element.hasAttribute('tabindex')) {
      element.setAttribute('tabindex', '0');
      if (element.localName === 'code') {
        element.addEventListener('focus', showOutline);
        element.addEventListener('blur', hideOutline);
      }
      changed++;
    }
  }
  return changed;
}
