import Box from '@mui/material/Box';

export const LogoFull = () => (
  <Box
    component="span"
    sx={{
      color: '#7df3e1',
      fontSize: 22,
      fontWeight: 700,
      letterSpacing: 0.5,
      whiteSpace: 'nowrap',
    }}
  >
    Fabric Portal
  </Box>
);
