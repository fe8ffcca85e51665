import { useEffect } from 'react';
import { useShadowRootElements } from '@backstage/plugin-techdocs-react';
import { makeFocusable, SCROLLER_SELECTORS } from './focusableScrollers';

/**
 * TechDocs addon (content location): the page's code blocks and tables take keyboard focus.
 * Renders nothing; runs again whenever the reader swaps the page's content.
 */
export function RunbookKeyboardAccess() {
  const scrollers = useShadowRootElements(SCROLLER_SELECTORS);
  useEffect(() => {
    makeFocusable(scrollers);
  }, [scrollers]);
  return null;
}
