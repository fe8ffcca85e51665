export interface Config {
  permission?: {
    /**
     * Roles of the Fabric permission policy
     * (@internal/plugin-permission-backend-module-fabric). Members are read
     * from the signed-in user's ownership refs, i.e. their catalog groups.
     */
    fabric?: {
      /**
       * Group refs (e.g. group:default/admins) whose members may do everything.
       * @visibility backend
       */
      adminGroups?: string[];
      /**
       * Group refs (e.g. group:default/platform-operators) whose members may
       * read everything, approve and apply. At least one is required.
       * @visibility backend
       */
      operatorGroups?: string[];
      /**
       * Group refs (e.g. group:default/governance) of the governance owner: members read,
       * claim, approve and reject proposals but never apply; their signed approval of a ZAKON
       * proposal is the [CEO_APPROVED] decision. Never an operator group.
       * @visibility backend
       */
      governanceGroups?: string[];
      /**
       * Permissions of the approvals, evidence and drift plugins that tenant
       * members may use, on their own tenants only
       * (e.g. approvals.proposal.read). Other permissions of those plugins are
       * denied to tenant members.
       * @visibility backend
       */
      tenantPermissions?: string[];
    };
  };
}
