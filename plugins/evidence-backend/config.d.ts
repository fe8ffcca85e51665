import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Evidence packets (plugins/evidence-backend). */
  evidence?: {
    /**
     * Filesystem roots to index. Each holds `evidence/<area>/.../<UTC timestamp>/`
     * packets and, optionally, `acceptance/*.md` markers citing them. Relative
     * paths are resolved from the backend's working directory.
     */
    roots?: Array<{
      /** Short id shown in the portal (letters, digits, dash). */
      name: string;
      path: string;
    }>;
    /** Where uploaded packets are stored (relative to the working directory). Uploads are refused without it or `storage`. */
    dataDir?: string;
    /**
     * Uploaded packets in S3-compatible object storage instead of `dataDir`, shared by every
     * replica (production). Each replica verifies and serves from a local read-only cache.
     */
    storage?: {
      type: 's3';
      bucket: string;
      /** Key prefix inside the bucket, empty or ending with a slash. */
      prefix?: string;
      /** e.g. https://minio.example:9000; AWS itself when absent. */
      endpoint?: string;
      region?: string;
      /** Path-style addressing (MinIO); default true. */
      forcePathStyle?: boolean;
      accessKeyId?: string;
      /** @visibility secret */
      secretAccessKey?: string;
      /** Local cache folder (default: the OS temp folder). */
      cacheDir?: string;
    };
    upload?: {
      /** Largest accepted upload body (the tar.gz), in bytes; larger ones get 413. Default 100 MiB. */
      maxBytes?: number;
      /** Largest total size of the unpacked files, in bytes; default 1 GiB. */
      maxExtractedBytes?: number;
      /** Most entries in one packet; default 10000. */
      maxFiles?: number;
    };
    /** How often the roots are rescanned (default every 10 minutes). */
    rescan?: {
      frequency?: HumanDuration | string;
      initialDelay?: HumanDuration | string;
    };
    /**
     * Areas whose first subject segment is a tenant name, e.g.
     * `evidence/tenants/project-birds/<ts>/`. Default: tenants, bindings-verify.
     */
    tenantAreas?: string[];
    /** Areas whose packets need two distinct signers (dual control). */
    dualControlAreas?: string[];
    /**
     * RFC 3161 time-stamping authorities trusted for the optional timestamp over a
     * manifest (`manifest.sha256.tsr`). Each certificate is PEM: the authority's root, or
     * its time-stamping certificate itself. A token signed by anyone else is reported as
     * untrusted. Use `$file: path/to/tsa-root.pem` to read it from a file.
     */
    timestampAuthorities?: Array<{
      /** Short name shown with each verified timestamp. */
      name: string;
      certificate: string;
    }>;
  };
}
