import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Test-only helper (the testUtils entry point is never loaded by the plugin itself), so the
// server stays a devDependency.
// eslint-disable-next-line @typescript-eslint/no-require-imports, @backstage/no-undeclared-imports
const S3rver = require('@20minutes/s3rver');

/**
 * A real S3 protocol server for tests: @20minutes/s3rver (the maintained fork of s3rver), on
 * loopback on a free port, storing objects in a temporary folder. The credentials are s3rver's fixed pair (S3RVER);
 * signature checking is off because s3rver computes the canonical request of ListObjectsV2
 * differently from the current AWS SDK (every other operation is signed and checked alike).
 */
export async function startS3Server(buckets: string[]) {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    allowMismatchedSignatures: true,
    configureBuckets: buckets.map(name => ({ name })),
  });
  const { port } = (await server.run()) as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    region: 'us-east-1',
    /** The folder holding the objects (to tamper with them in tests). */
    directory,
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
