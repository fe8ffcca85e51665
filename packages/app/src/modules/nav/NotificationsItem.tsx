import { SidebarItem } from '@backstage/core-components';
import type { NotificationsRenderItemProps } from '@backstage/plugin-notifications';
import Box from '@mui/material/Box';
import { NotificationsIcon } from './icons';

/** `3`, or `99+` past 99: the unread count as the item shows it. */
export function unreadText(unreadCount: number): string {
  return unreadCount > 99 ? '99+' : String(unreadCount);
}

/**
 * "Notifications", or "Notifications, 3 unread": the item's accessible name. No parentheses:
 * axe drops a parenthetical from a name before it looks for the visible text in it, so
 * "Notifications (3)" would not hold the "3" a person sees.
 */
export function notificationsLabel(unreadCount: number): string {
  if (unreadCount <= 0) return 'Notifications';
  return `Notifications, ${unreadText(unreadCount)} unread`;
}

/**
 * The sidebar's notifications link, rendered for the stock NotificationsSidebarItem (which
 * keeps its live count, signals and pop-ups). The label column of an open sidebar holds
 * "Notifications" and no more, so the unread count is a badge in the item's action column
 * (the stock item puts it there too). The link is named with the count ("Notifications, 3
 * unread"); the badge is hidden from assistive technology, so what is read is the name, and
 * the visible text ("Notifications 3") stays part of it (axe: label-content-name-mismatch).
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
      text="Notifications"
      aria-label={notificationsLabel(unreadCount)}
      hasNotifications={unreadCount > 0}
    >
      {/* The space keeps "Notifications" and the count two words for whoever reads the text
          (axe joins an element's text nodes as they are: "Notifications3" would not be in
          the name); a space that starts the action column takes no room on screen. */}
      {unreadCount > 0 && ' '}
      {unreadCount > 0 && (
        <Box
          component="span"
          aria-hidden
          data-testid="notifications-unread-badge"
          sx={{
            display: 'inline-block',
            minWidth: 24,
            px: 0.75,
            borderRadius: 12,
            bgcolor: 'primary.main',
            color: 'primary.contrastText',
            fontSize: 12,
            fontWeight: 700,
            lineHeight: '20px',
            textAlign: 'center',
          }}
        >
          {unreadText(unreadCount)}
        </Box>
      )}
    </SidebarItem>
  );
}
