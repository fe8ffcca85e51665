import Box from '@mui/material/Box';

/** The collapsed sidebar's logo; its link is named "Fabric Portal home" (SidebarLogo). */
export const LogoIcon = () => (
  <Box
    component="span"
    aria-hidden
    sx={{ color: '#7df3e1', fontSize: 22, fontWeight: 700 }}
  >
    FP
  </Box>
);
