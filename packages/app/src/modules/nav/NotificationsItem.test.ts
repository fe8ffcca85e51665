import { notificationsLabel } from './NotificationsItem';

describe('the sidebar notifications label', () => {
  it('carries the unread count in the text that is also the name', () => {
    expect(notificationsLabel(0)).toBe('Notifications');
    expect(notificationsLabel(3)).toBe('Notifications (3)');
    expect(notificationsLabel(99)).toBe('Notifications (99)');
    expect(notificationsLabel(100)).toBe('Notifications (99+)');
  });
});
