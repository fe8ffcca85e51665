import { HumanDuration } from '@backstage/types';

export interface Config {
  fabric?: {
    scaffolder?: {
      /**
       * The embedded local publisher (fabric:publish:local, fabric:catalog:register).
       * Leave it out (production) and those actions refuse to run; templates then
       * use the standard publish actions.
       */
      localPublish?: {
        /**
         * Folder that holds one git repository per template output. Relative
         * paths are resolved against the backend's working directory
         * (packages/backend when started with yarn), like the SQLite folder.
         */
        dir: string;
        /** How long registration waits for the catalog to serve a new entity. Default 30 s. */
        registrationTimeout?: HumanDuration;
      };
    };
    /** The guarded operations of fabric:guarded:run (site rollback, phantom-domain removal). */
    guardedActions?: {
      /**
       * Run the runbook's commands for real (curl, vercel, with CF_API_TOKEN and
       * CF_ACCOUNT_ID from the backend's environment). Default false: every run is a dry run
       * that records the commands it would run in its evidence packet.
       */
      execute?: boolean;
      /** gpg key id (in the backend's keyring) that signs each packet's manifest. */
      signingKey?: string;
      /** The gpg home holding that key (gpg --homedir); default GNUPGHOME or ~/.gnupg. */
      gnupgHome?: string;
      /** Per command; default 60. */
      commandTimeoutSeconds?: number;
    };
  };
}
