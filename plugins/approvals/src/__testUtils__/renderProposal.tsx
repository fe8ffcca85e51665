import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { ProposalPage } from '../components/ProposalPage';
import { rootRouteRef } from '../routes';
import { fakeApprovalsApi, makeProposal, OPERATOR } from './fakeApprovalsApi';

/** Renders the proposal page at its real path, with a fake backend, viewer and permission answers. */
export function renderProposal(
  api: ReturnType<typeof fakeApprovalsApi>,
  options: {
    viewer?: string;
    authorize?: (
      request: EvaluatePermissionRequest,
    ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  } = {},
) {
  return renderInTestApp(<ProposalPage />, {
    mountPath: '/approvals/proposals/:id',
    initialRouteEntries: [`/approvals/proposals/${makeProposal().id}`],
    mountedRoutes: {
      '/approvals': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
    apis: [
      [approvalsApiRef, api],
      mockApis.identity({ userEntityRef: options.viewer ?? OPERATOR }),
      mockApis.permission({
        authorize: options.authorize ?? (() => AuthorizeResult.ALLOW),
      }),
    ],
  });
}
