import {
  Link,
  sidebarConfig,
  useSidebarOpenState,
} from '@backstage/core-components';
import Box from '@mui/material/Box';
import { LogoFull } from './LogoFull';
import { LogoIcon } from './LogoIcon';

export const SidebarLogo = () => {
  const { isOpen } = useSidebarOpenState();

  return (
    <Box
      sx={{
        width: sidebarConfig.drawerWidthClosed,
        height: 3 * sidebarConfig.logoHeight,
        display: 'flex',
        flexFlow: 'row nowrap',
        alignItems: 'center',
        marginBottom: '-14px',
      }}
    >
      {/* The name contains the visible text (WCAG 2.5.3 "label in name"). */}
      <Link
        to="/"
        underline="none"
        aria-label="Fabric Portal home"
        style={{ width: sidebarConfig.drawerWidthClosed, marginLeft: 24 }}
      >
        {isOpen ? <LogoFull /> : <LogoIcon />}
      </Link>
    </Box>
  );
};
