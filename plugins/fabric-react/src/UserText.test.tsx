import { render, screen } from '@testing-library/react';
import { UserText } from './UserText';

describe('UserText', () => {
  it('shows a right-to-left override as a visible marker, isolated from its surroundings', () => {
    // Unmarked, this title displays as "invoice-exe.png".
    render(
      <p data-testid="line">
        Approve “<UserText text={'invoice-\u202Egnp.exe'} />” now
      </p>,
    );
    const line = screen.getByTestId('line');
    expect(line.textContent).toBe('Approve “invoice-<U+202E>gnp.exe” now');
    expect(line.textContent).not.toContain('\u202E');
    expect(line.querySelector('bdi')).not.toBeNull();
    expect(
      line.querySelector('[data-invisible-character="U+202E"]'),
    ).not.toBeNull();
  });

  it('marks zero-width and control characters but keeps line breaks', () => {
    const { container } = render(<UserText text={'ad\u200Bmin\nnext\u0007'} />);
    expect(container.textContent).toBe('ad<U+200B>min\nnext<U+0007>');
  });

  it('renders ordinary text of any script as it is', () => {
    const { container } = render(<UserText text="Ćevapi 北京 مرحبا" />);
    expect(container.innerHTML).toBe('<bdi>Ćevapi 北京 مرحبا</bdi>');
    expect(render(<UserText text={undefined} />).container.innerHTML).toBe('');
  });
});
