import useAsync from 'react-use/esm/useAsync';
import { Link, Progress, WarningPanel } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { approvalsApiRef } from '@internal/plugin-approvals';
import { driftApiRef } from '@internal/plugin-drift';
import { evidenceApiRef } from '@internal/plugin-evidence';
import { useFabricOpsClient } from '@internal/plugin-fabric';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { FABRIC_ANNOTATION_ACCEPTANCE_TARGETS } from '@internal/plugin-fabric-common';
import {
  forOperator,
  forTenant,
  type ForYouItem,
  type ForYouSummary,
} from './forYouSummary';
import type { PlaneAcceptance } from './staleAcceptance';

type OpsClient = ReturnType<typeof useFabricOpsClient>;

/**
 * The planes naming acceptance targets, each with its health from evidence as this user may
 * read it (a plane whose health cannot be read is reported, not dropped).
 */
async function planeAcceptance(
  catalog: typeof catalogApiRef.T,
  ops: OpsClient,
): Promise<PlaneAcceptance[]> {
  const { items } = await catalog.getEntities({
    filter: { kind: 'plane' },
    fields: ['kind', 'metadata'],
  });
  const planes = items.filter(
    e => e.metadata.annotations?.[FABRIC_ANNOTATION_ACCEPTANCE_TARGETS],
  );
  return Promise.all(
    planes.map(async (e): Promise<PlaneAcceptance> => {
      const ref = `plane:${e.metadata.namespace ?? 'default'}/${
        e.metadata.name
      }`;
      const title = e.metadata.title ?? e.metadata.name;
      try {
        return { ref, title, health: await ops.health(ref) };
      } catch (error) {
        return { ref, title, error: (error as Error).message };
      }
    }),
  );
}

/**
 * The Backstage theme cuts the text of a dense list item to one line with an ellipsis; here the
 * detail line lists what is behind the count (the stale planes, each a link), so it wraps.
 */
const wrapped = { whiteSpace: 'normal', overflow: 'visible' } as const;

function Count({ item }: { item: ForYouItem }) {
  return (
    <ListItem disableGutters divider>
      <ListItemText
        sx={wrapped}
        primary={<Link to={item.link}>{item.label}</Link>}
        secondary={
          <>
            {item.detail}
            {item.links?.map((p, i) => (
              <span key={p.link}>
                {i > 0 || item.detail ? ' · ' : ''}
                <Link to={p.link}>{p.title}</Link>
              </span>
            ))}
          </>
        }
      />
      <Chip
        label={item.count}
        size="small"
        aria-label={`${item.count} ${item.label}`}
        color={item.count > 0 && item.urgent ? 'error' : 'default'}
        sx={{ fontWeight: 600, ml: 1 }}
      />
    </ListItem>
  );
}

/**
 * The home page's "For you" card: what waits for the signed-in person. Operators (the drift
 * overview's platform audience) see proposals to claim, approve and apply, FAIL drift and
 * planes whose acceptance is stale;
 * tenants see their open proposals, their drift and their evidence. Everything comes from the
 * APIs as this user, so each person sees only what they may read.
 */
export function ForYou() {
  const approvals = useApi(approvalsApiRef);
  const drift = useApi(driftApiRef);
  const evidence = useApi(evidenceApiRef);
  const identity = useApi(identityApiRef);
  const catalog = useApi(catalogApiRef);
  const ops = useFabricOpsClient();
  const summary = useAsync(async (): Promise<ForYouSummary> => {
    const [overview, profile] = await Promise.all([
      drift.getOverview(),
      identity.getProfileInfo(),
    ]);
    const who = profile.displayName ?? profile.email ?? '';
    if (overview.audience === 'platform') {
      const [queue, approved, applied, planes] = await Promise.all([
        approvals.listProposals({ view: 'review', limit: 10 }),
        approvals.listProposals({ state: 'approved', limit: 5 }),
        approvals.listProposals({ state: 'applied', limit: 100 }),
        planeAcceptance(catalog, ops),
      ]);
      return forOperator(
        who,
        queue,
        [...approved.items, ...applied.items],
        overview,
        planes,
      );
    }
    const proposals = await approvals.listProposals({ limit: 10 });
    const tenants = overview.rows
      .filter(r => r.kind === 'tenant')
      .map(r => r.subject);
    const packets = await Promise.all(
      tenants.map(async tenant => ({
        tenant,
        total: (await evidence.listPackets({ entity: tenant, limit: 1 })).total,
      })),
    );
    return forTenant(who, proposals, overview, packets);
  }, [approvals, drift, evidence, identity, catalog, ops]);

  if (summary.loading) return <Progress />;
  if (summary.error) {
    return (
      <WarningPanel
        severity="error"
        title="Could not load what waits for you"
        message={summary.error.message}
      />
    );
  }
  const value = summary.value!;
  return (
    <Box>
      <Typography variant="body2" data-testid="for-you-role">
        {value.role === 'operator'
          ? 'As a platform operator, this waits for you:'
          : 'Your tenants at a glance:'}
      </Typography>
      <List dense aria-label="What waits for you">
        {value.items.map(item => (
          <Count key={item.label} item={item} />
        ))}
      </List>
    </Box>
  );
}
