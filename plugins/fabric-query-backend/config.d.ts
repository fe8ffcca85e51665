export interface Config {
  /** The domain query API (plugins/fabric-query-backend). */
  fabricQuery?: {
    /**
     * Whether the read model is kept and the API served. Default true; false leaves both out
     * (the benchmark compares the backend's memory with and without the read model).
     */
    enabled?: boolean;
    /**
     * Seconds between two syncs of the read model with the catalog (each one a full
     * reconcile by etag). Default 3: a change the catalog has stitched is answered within
     * about this long, on every replica (they share the tables).
     */
    syncIntervalSeconds?: number;
  };
}
