import { render, screen } from '@testing-library/react';
import { ColouredChip, formatTime, shortRef } from './format';
import { SimpleTable } from './SimpleTable';

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
