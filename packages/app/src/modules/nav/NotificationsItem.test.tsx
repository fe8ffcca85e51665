import { SidebarOpenStateProvider } from '@backstage/core-components';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { NotificationsItem, notificationsLabel } from './NotificationsItem';

describe('the sidebar notifications label', () => {
  it('carries the unread count in the name', () => {
    expect(notificationsLabel(0)).toBe('Notifications');
    expect(notificationsLabel(3)).toBe('Notifications, 3 unread');
    expect(notificationsLabel(99)).toBe('Notifications, 99 unread');
    expect(notificationsLabel(100)).toBe('Notifications, 99+ unread');
  });
});

describe('the sidebar notifications item', () => {
  const renderOpen = (unreadCount: number) =>
    renderInTestApp(
      <SidebarOpenStateProvider value={{ isOpen: true, setOpen: () => {} }}>
        <NotificationsItem
          unreadCount={unreadCount}
          to="/notifications"
          onClick={() => {}}
        />
      </SidebarOpenStateProvider>,
    );

  it('shows "Notifications" whole and the count as a badge, and names the link with the count', async () => {
    await renderOpen(3);
    const link = screen.getByRole('link', { name: 'Notifications, 3 unread' });
    // The label column holds the word alone (a longer text is cut to "Notification…").
    expect(link).toHaveTextContent(/^Notifications 3$/);
    expect(screen.getByText('Notifications')).toBeVisible();
    const badge = screen.getByTestId('notifications-unread-badge');
    expect(badge).toHaveTextContent('3');
    expect(badge).toHaveAttribute('aria-hidden', 'true');
  });

  it('shows no badge while nothing is unread', async () => {
    await renderOpen(0);
    expect(
      screen.getByRole('link', { name: 'Notifications' }),
    ).toHaveTextContent(/^Notifications$/);
    expect(
      screen.queryByTestId('notifications-unread-badge'),
    ).not.toBeInTheDocument();
  });
});
