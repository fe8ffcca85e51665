import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
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
    { title: 'Type', render: p => p.type },
    {
      title: 'Environment',
      render: p => (
        <EntityRefLink entityRef={p.environment} hideIcon disableTooltip />
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
