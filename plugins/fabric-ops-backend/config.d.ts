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
    missionControl?: {
      /**
       * JSON export of Mission Control's claim leases and sweeps (schema in
       * src/service/MissionControlLeases.ts), read on every request. Relative paths are
       * resolved against the backend's working directory. Unset: the leases view says so.
       */
      leasesFile?: string;
    };
  };
}
