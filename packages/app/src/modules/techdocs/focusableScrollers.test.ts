import { makeFocusable, SCROLLER_SELECTORS } from './focusableScrollers';

function runbookPage(): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = `
    <article class="md-content__inner md-typeset">
      <div class="highlight"><pre><code>make dns.acceptance SITE=samakia</code></pre></div>
      <p>Inline <code>code</code> does not scroll.</p>
      <table><tr><th>Zone</th></tr><tr><td>samakia.example</td></tr></table>
      <table class="highlighttable"><tr><td>1</td><td>line numbers</td></tr></table>
      <pre><code tabindex="-1">kept as its author wrote it</code></pre>
    </article>`;
  return root;
}

/** What the addon hands to makeFocusable: the page's elements matching its selectors. */
const scrollersOf = (root: ParentNode) =>
  root.querySelectorAll(SCROLLER_SELECTORS.join(', '));

describe('makeFocusable', () => {
  it('gives code blocks and markdown tables tabindex 0, not inline code or line-number tables', () => {
    const root = runbookPage();
    const scrollers = scrollersOf(root);
    expect(scrollers).toHaveLength(3);
    expect(makeFocusable(scrollers)).toBe(2);
    const block = root.querySelector('.highlight code');
    expect(block?.getAttribute('tabindex')).toBe('0');
    expect(root.querySelector('table')?.getAttribute('tabindex')).toBe('0');
    expect(root.querySelector('p > code')?.hasAttribute('tabindex')).toBe(
      false,
    );
    expect(
      root.querySelector('table.highlighttable')?.hasAttribute('tabindex'),
    ).toBe(false);
  });

  it('keeps a tabindex already set and changes nothing the second time', () => {
    const root = runbookPage();
    const scrollers = scrollersOf(root);
    makeFocusable(scrollers);
    expect(makeFocusable(scrollers)).toBe(0);
    expect(root.querySelector('code[tabindex="-1"]')?.textContent).toBe(
      'kept as its author wrote it',
    );
  });

  it('marks a focused code block so the theme shows its outline, unmarks it on blur, and never marks a table', () => {
    const root = runbookPage();
    document.body.appendChild(root);
    try {
      makeFocusable(scrollersOf(root));
      const block = root.querySelector<HTMLElement>('.highlight code')!;
      block.focus();
      expect(document.activeElement).toBe(block);
      expect(block.classList.contains('focus-visible')).toBe(true);
      block.blur();
      expect(block.classList.contains('focus-visible')).toBe(false);
      // A table keeps no class: the theme styles only tables without one.
      const table = root.querySelector<HTMLElement>('table:not([class])')!;
      table.focus();
      expect(document.activeElement).toBe(table);
      expect(table.hasAttribute('class')).toBe(false);
    } finally {
      root.remove();
    }
  });
});
