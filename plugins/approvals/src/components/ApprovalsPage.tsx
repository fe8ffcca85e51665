import { Route, Routes } from 'react-router-dom';
import { Content, Header, Page } from '@backstage/core-components';
import Grid from '@mui/material/Grid';
import { ApprovalsQueue } from './ApprovalsQueue';
import { ProposalPage } from './ProposalPage';
import { SigningKeyPanel } from '@internal/plugin-fabric-react';
import { AuditVerifyPanel } from './AuditVerifyPanel';

function QueuePage() {
  return (
    <Page themeId="tool">
      <Header
        title="Approvals"
        subtitle="Review, approve and apply tenant change proposals (two-person rule; production approvals are signed)"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12} xl={9}>
            <ApprovalsQueue />
          </Grid>
          <Grid item xs={12} xl={3}>
            <SigningKeyPanel />
            <div style={{ height: 24 }} />
            <AuditVerifyPanel />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}

/** `/approvals` (the queue) and `/approvals/proposals/:id` (one proposal). */
export function ApprovalsPage() {
  return (
    <Routes>
      <Route path="/" element={<QueuePage />} />
      <Route path="/proposals/:id" element={<ProposalPage />} />
    </Routes>
  );
}
