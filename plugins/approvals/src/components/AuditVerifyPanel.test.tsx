import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { approvalsApiRef } from '../api/ApprovalsApi';
import { fakeApprovalsApi } from '../__testUtils__/fakeApprovalsApi';
import { AuditVerifyPanel } from './AuditVerifyPanel';

jest.setTimeout(30_000);

function renderPanel(
  element: JSX.Element,
  api: ReturnType<typeof fakeApprovalsApi>,
) {
  return renderInTestApp(element, {
    apis: [
      [approvalsApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
  });
}

describe('AuditVerifyPanel', () => {
  it('reports where the chain breaks', async () => {
    const api = fakeApprovalsApi({
      verifyAudit: jest.fn(async () => ({
        ok: false,
        checked: 17,
        firstBroken: { seq: 12, id: 'audit-12', reason: 'hash does not match' },
      })),
    });
    renderPanel(<AuditVerifyPanel />, api);
    await userEvent.click(
      await screen.findByRole(
        'button',
        { name: 'Verify audit chain' },
        { timeout: 10_000 },
      ),
    );
    expect(
      await screen.findByText(
        'Broken at record 12 (audit-12): hash does not match (17 checked).',
      ),
    ).toBeInTheDocument();
  });
});
