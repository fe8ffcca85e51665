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
  };
}
