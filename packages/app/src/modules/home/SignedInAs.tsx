import useAsync from 'react-use/esm/useAsync';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import Typography from '@mui/material/Typography';

/** "Signed in as Olivia Operator (user:default/olivia.operator)". */
export function SignedInAs() {
  const identity = useApi(identityApiRef);
  const who = useAsync(async () => {
    const [profile, backstage] = await Promise.all([
      identity.getProfileInfo(),
      identity.getBackstageIdentity(),
    ]);
    return {
      name: profile.displayName ?? backstage.userEntityRef,
      ref: backstage.userEntityRef,
    };
  }, [identity]);
  return (
    <Typography data-testid="signed-in-as">
      {who.value ? (
        <>
          Signed in as <strong>{who.value.name}</strong> ({who.value.ref})
        </>
      ) : (
        'Signed in'
      )}
    </Typography>
  );
}
