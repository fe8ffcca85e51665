import useAsync from 'react-use/esm/useAsync';
import { SidebarItem } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { UserSettingsSignInAvatar } from '@backstage/plugin-user-settings';

/**
 * Who is signed in, on every page: the avatar (always shown) and the display name (when the
 * sidebar is open), linking to the user's settings. The link's name says it in full.
 */
export function SignedInSidebarItem() {
  const identity = useApi(identityApiRef);
  const profile = useAsync(() => identity.getProfileInfo(), [identity]);
  const name = profile.value?.displayName ?? profile.value?.email ?? 'Settings';
  return (
    <SidebarItem
      icon={() => <UserSettingsSignInAvatar />}
      to="/settings"
      text={name}
      aria-label={`Signed in as ${name}: settings`}
      title={`Signed in as ${name}`}
    />
  );
}
