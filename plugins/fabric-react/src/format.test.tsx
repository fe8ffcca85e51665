import { render, screen } from '@testing-library/react';
import { ColouredChip, formatTime, shortRef } from './format';
import { SimpleTable } from './SimpleTable';
import { getContrastRatio } from '@mui/material/styles';
import { readableColour } from './contrast';

describe('format helpers', () => {
  it('formats times in UTC, with seconds on request, and leaves bad input as it is', () => {
    expect(formatTime('2026-11-23T12:34:56.000Z')).toBe('2026-11-23 12:34 UTC');
    expect(formatTime('2026-11-23T12:34:56.000Z', { seconds: true })).toBe(
      '2026-11-23 12:34:56 UTC',
    );
    expect(formatTime('yesterday')).toBe('yesterday');
    expect(formatTime(undefined)).toBe('');
  });

  it('shortens refs in the default namespace only', () => {
    expect(shortRef('tenant:default/project-birds')).toBe('project-birds');
    expect(shortRef('tenant:lab/project-birds')).toBe('lab/project-birds');
    expect(shortRef('not a ref:/')).toBe('not a ref:/');
  });

  it('renders a chip with its label, test id and colours', () => {
    render(
      <ColouredChip
        label="verified"
        testId="verdict"
        colour={{ bg: '#2e7d32', fg: '#ffffff' }}
      />,
    );
    const chip = screen.getByTestId('verdict');
    expect(chip).toHaveTextContent('verified');
    expect(chip).toHaveStyle({ color: '#ffffff' });
  });

  it('never shows a chip text below 4.5:1 contrast, keeping colours that already pass', () => {
    // The colours the accessibility scan flagged: in-review 2.98:1, unsigned 3.45:1, and white
    // on the WARN orange.
    for (const colour of [
      { bg: '#ffe0b2', fg: '#e65100' },
      { bg: '#fff3e0', fg: '#e65100' },
      { bg: '#ed6c02', fg: '#ffffff' },
      { bg: '#222222', fg: '#333333' },
      { bg: '#777777', fg: '#777777' },
    ]) {
      expect(getContrastRatio(colour.fg, colour.bg)).toBeLessThan(4.5);
      const readable = readableColour(colour);
      expect(readable.bg).toBe(colour.bg);
      expect(getContrastRatio(readable.fg, readable.bg)).toBeGreaterThanOrEqual(
        4.5,
      );
    }
    const fine = { bg: '#2e7d32', fg: '#ffffff' };
    expect(readableColour(fine)).toBe(fine);
    render(
      <ColouredChip
        label="in-review"
        testId="state"
        colour={{ bg: '#ffe0b2', fg: '#e65100' }}
      />,
    );
    const shown = getComputedStyle(screen.getByTestId('state')).color;
    expect(getContrastRatio(shown, '#ffe0b2')).toBeGreaterThanOrEqual(4.5);
  });
});

describe('SimpleTable', () => {
  it('labels the table and renders one row per item, or the empty text', () => {
    const { rerender } = render(
      <SimpleTable
        label="Things"
        columns={[{ title: 'Name', render: (r: { n: string }) => r.n }]}
        rows={[{ n: 'a' }, { n: 'b' }]}
        rowKey={r => r.n}
        empty="No things"
      />,
    );
    expect(screen.getByRole('table', { name: 'Things' })).toBeInTheDocument();
    expect(screen.getAllByRole('row')).toHaveLength(3);
    rerender(
      <SimpleTable
        label="Things"
        columns={[{ title: 'Name', render: (r: { n: string }) => r.n }]}
        rows={[]}
        rowKey={r => r.n}
        empty="No things"
      />,
    );
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.getByText('No things')).toBeInTheDocument();
  });
});
