export interface Config {
  /** The domain query API (plugins/fabric-query-backend). */
  fabricQuery?: {
    /**
     * Seconds between two syncs of the read model with the catalog (each one a full
     * reconcile by etag). Default 3: a change the catalog has stitched is answered within
     * about this long, on every replica (they share the tables).
     */
    syncIntervalSeconds?: number;
  };
}
