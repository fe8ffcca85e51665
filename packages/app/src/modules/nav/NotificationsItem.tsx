import { SidebarItem } from '@backstage/core-components';
import type { NotificationsRenderItemProps } from '@backstage/plugin-notifications';
import { NotificationsIcon } from './icons';

/** `3`, or `99+` past 99, as the stock item shows it. */
export function unreadLabel(count: number): string {
  return count > 99 ? '99+' : String(count);
}

/**
 * The sidebar's notifications link, rendered for the stock NotificationsSidebarItem (which
 * keeps its live count, signals and pop-ups). Its accessible name holds what it shows:
 * "Notifications 3 unread", not just "Notifications" next to a visible count.
 */
export function NotificationsItem({
  unreadCount,
  to,
  onClick,
}: NotificationsRenderItemProps) {
  const count = unreadCount > 0 ? unreadLabel(unreadCount) : undefined;
  return (
    <SidebarItem
      to={to}
      onClick={onClick}
      icon={NotificationsIcon}
      text="Notifications"
      hasNotifications={count !== undefined}
      aria-label={count ? `Notifications ${count} unread` : 'Notifications'}
    >
      {count && (
        <span
          data-testid="notifications-unread"
          style={{
            borderRadius: 10,
            padding: '0 6px',
            fontSize: '0.75rem',
            fontWeight: 600,
            background: '#fff',
            color: '#1f1f1f',
          }}
        >
          {count}
        </span>
      )}
    </SidebarItem>
  );
}
