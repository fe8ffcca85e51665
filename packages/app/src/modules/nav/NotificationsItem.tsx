import { SidebarItem } from '@backstage/core-components';
import type { NotificationsRenderItemProps } from '@backstage/plugin-notifications';
import { NotificationsIcon } from './icons';

/** "Notifications", or "Notifications (3)" (99+ past 99) while some are unread. */
export function notificationsLabel(unreadCount: number): string {
  if (unreadCount <= 0) return 'Notifications';
  return `Notifications (${unreadCount > 99 ? '99+' : unreadCount})`;
}

/**
 * The sidebar's notifications link, rendered for the stock NotificationsSidebarItem (which
 * keeps its live count, signals and pop-ups). The unread count is part of the item's one
 * text, which is also its accessible name: the stock item shows the count in a tag beside a
 * link named only "Notifications" (axe: label-content-name-mismatch).
 */
export function NotificationsItem({
  unreadCount,
  to,
  onClick,
}: NotificationsRenderItemProps) {
  return (
    <SidebarItem
      to={to}
      onClick={onClick}
      icon={NotificationsIcon}
      text={notificationsLabel(unreadCount)}
      hasNotifications={unreadCount > 0}
    />
  );
}
