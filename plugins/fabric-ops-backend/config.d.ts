export interface Config {
  /** Operations views (plugins/fabric-ops-backend). */
  fabricOps?: {
    acceptance?: {
      /**
       * After how many hours a passing acceptance run counts as stale on the health card.
       * Default 168 (seven days); the seeds give no figure.
       */
      staleAfterHours?: number;
    };
  };
}
