import fs from 'node:fs';
import path from 'node:path';
import { CI_TOKEN, GpgHome } from '@internal/fabric-test-utils';
import {
  acceptanceFiles,
  tarGz,
  writePacket,
} from '@internal/plugin-evidence-backend/testUtils';

/**
 * What an operator's apply step needs in a backend test: a key registered in the signing-key
 * registry (signed challenge, the real gpg) and verified evidence packets signed with it, which
 * CI uploads. Every apply names such a packet; production approvals are signed with the key.
 */
export async function registerKey(
  baseUrl: string,
  gpg: GpgHome,
  token: string,
  uid: string,
): Promise<void> {
  const publicKey = gpg.generateKey(uid);
  const headers = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  const challenge = await (
    await fetch(`${baseUrl}/api/signing-keys/challenges`, {
      method: 'POST',
      headers,
      body: '{}',
    })
  ).json();
  const registered = await fetch(`${baseUrl}/api/signing-keys/keys/me`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      publicKey,
      challengeId: challenge.id,
      signature: gpg.sign(uid, challenge.text),
    }),
  });
  if (registered.status !== 200) {
    throw new Error(
      `registering the key of ${uid} failed: ${await registered.text()}`,
    );
  }
}

let uploads = 0;
// An hour before the module loaded, one second apart: in the past, fresh, never the same key.
const firstStamp = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

/**
 * CI uploads a packet of `subject` (a tenant name) signed by `signer`; returns its id once the
 * backend verified it. Each upload gets its own second, so keys never collide.
 */
export async function uploadVerifiedPacket(options: {
  baseUrl: string;
  gpg: GpgHome;
  signer: string;
  subject: string;
  workDir: string;
}): Promise<string> {
  uploads += 1;
  const name = `${options.subject}-apply-${uploads}`;
  const dir = writePacket(
    path.join(options.workDir, 'packets', name),
    acceptanceFiles(`${options.subject} apply run`),
  );
  options.gpg.detachSign(
    path.join(dir, 'manifest.sha256'),
    path.join(dir, 'manifest.sha256.asc'),
    options.signer,
  );
  const body = fs.readFileSync(
    tarGz(dir, path.join(options.workDir, 'packets', `${name}.tgz`)),
  );
  const stamp = new Date(firstStamp + uploads * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  const res = await fetch(
    `${options.baseUrl}/api/evidence/packets?area=tenants&subject=${options.subject}&timestamp=${stamp}`,
    {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${CI_TOKEN}`,
        'Content-Type': 'application/gzip',
      },
      body,
    },
  );
  const json = await res.json();
  if (res.status !== 201 || json.packet?.verdict !== 'verified') {
    throw new Error(
      `packet upload for ${options.subject}: ${res.status} ${JSON.stringify(
        json,
      )}`,
    );
  }
  return json.packet.id as string;
}
