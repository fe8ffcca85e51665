import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { rootRouteRef } from '../routes';
import { useState } from 'react';
import { ProposalsTable } from './ProposalsTable';
import { PAGE_SIZES, ProposalsPager } from './ProposalsPager';
import { errorMessage } from './common';

/** The Proposals tab of a tenant: every proposal for this tenant the viewer may read. */
export function EntityProposalsContent() {
  const { entity } = useEntity();
  const api = useApi(approvalsApiRef);
  const rootLink = useRouteRef(rootRouteRef);
  const tenant = stringifyEntityRef(entity);
  const [page, setPage] = useState({ limit: PAGE_SIZES[0], offset: 0 });
  const proposals = useAsync(
    async () => api.listProposals({ tenant, ...page }),
    [api, tenant, page],
  );
  const approvalsLink = rootLink
    ? `${rootLink()}?view=all&tenant=${encodeURIComponent(tenant)}`
    : undefined;

  return (
    <InfoCard
      title="Proposals"
      subheader="Binding and capacity changes requested for this tenant"
      deepLink={
        approvalsLink
          ? { title: 'Open in Approvals', link: approvalsLink }
          : undefined
      }
    >
      {proposals.loading && <Progress />}
      {proposals.error && (
        <WarningPanel
          severity="error"
          title="Could not load proposals"
          message={errorMessage(proposals.error)}
        />
      )}
      {proposals.value && (
        <>
          <ProposalsTable
            proposals={proposals.value.items}
            hideTenant
            empty="No proposals for this tenant yet."
          />
          {proposals.value.total > 0 && (
            <ProposalsPager
              total={proposals.value.total}
              limit={page.limit}
              offset={page.offset}
              onChange={setPage}
            />
          )}
        </>
      )}
    </InfoCard>
  );
}
