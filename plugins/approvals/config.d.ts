export interface Config {
  approvals?: {
    /**
     * The runbook of a change, per proposal type: the name of a runbook Resource (default
     * namespace) the proposal page links to.
     * @deepVisibility frontend
     */
    runbooks?: { [proposalType: string]: string };
  };
}
