import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@mui/material/Typography';
import type { Proposal } from '@internal/plugin-approvals-common';
import { proposalRouteRef } from '../routes';
import {
  ActorRef,
  formatTime,
  SimpleColumn,
  SimpleTable,
  StateChip,
  UserText,
} from './common';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** The proposal list shared by the Approvals queue and the tenant's Proposals tab. */
export function ProposalsTable(props: {
  proposals: ReadonlyArray<Proposal>;
  /** Leave the tenant column out (on a tenant's own page). */
  hideTenant?: boolean;
  empty?: string;
}) {
  const { proposals, hideTenant, empty } = props;
  const proposalLink = useRouteRef(proposalRouteRef);

  const columns: SimpleColumn<Proposal>[] = [
    {
      title: 'Title',
      render: p =>
        proposalLink ? (
          <Link to={proposalLink({ id: p.id })}>
            <UserText text={p.title} />
          </Link>
        ) : (
          <UserText text={p.title} />
        ),
    },
    ...(hideTenant
      ? []
      : [
          {
            title: 'Tenant',
            render: (p: Proposal) => (
              <EntityRefLink entityRef={p.tenant} hideIcon disableTooltip />
            ),
          },
        ]),
    // Whole words: a type or ref never breaks mid-word ("bindi ng-chan ge").
    { title: 'Type', render: p => <span style={NO_WRAP}>{p.type}</span> },
    {
      title: 'Environment',
      render: p => (
        <span style={NO_WRAP}>
          <EntityRefLink entityRef={p.environment} hideIcon disableTooltip />
        </span>
      ),
    },
    { title: 'State', render: p => <StateChip state={p.state} /> },
    {
      title: 'Requester',
      render: p => <ActorRef actor={p.requester} />,
    },
    {
      title: 'Submitted',
      render: p => (
        <Typography variant="body2" noWrap>
          {formatTime(p.submittedAt)}
        </Typography>
      ),
    },
  ];

  return (
    <SimpleTable
      label="Proposals"
      columns={columns}
      rows={proposals}
      rowKey={p => p.id}
      empty={empty ?? 'No proposals.'}
    />
  );
}
