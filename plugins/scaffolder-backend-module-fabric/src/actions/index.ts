export { createProposalSubmitAction } from './proposalSubmit';
export { createTenantDiffAction } from './tenantDiff';
export { createTenantRenderAction } from './tenantRender';
export { createSiteRenderAction } from './siteRender';
export { createZakonRenderAction, RULE_PROPOSAL_TENANT } from './zakonRender';
export { createDocsRenderAction } from './docsRender';
export { createPublishLocalAction } from './publishLocal';
export { createCatalogRegisterAction } from './catalogRegister';
export {
  createGuardedRunAction,
  GUARDED_EVIDENCE_AREA,
  type GuardedActionSettings,
} from './guardedRun';
export { createPermissionCheckAction, refusal } from './permissionCheck';
