import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestTsa } from '../__testUtils__';
import { TimestampTrust, verifyTimestamp } from './timestamps';

// Real tokens from OpenSSL's time-stamping authority (`openssl ts -reply`), verified with pkijs.
describe('verifyTimestamp', () => {
  let tsa: TestTsa;
  let other: TestTsa;
  let dir: string;
  let manifestFile: string;
  let manifest: Buffer;

  beforeAll(() => {
    tsa = new TestTsa('Fabric Test TSA');
    other = new TestTsa('Somebody Else TSA');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-ts-'));
    manifestFile = path.join(dir, 'manifest.sha256');
    fs.writeFileSync(
      manifestFile,
      `${'a'.repeat(64)}  summary.md\n${'b'.repeat(64)}  steps/01/stdout.log\n`,
    );
    manifest = fs.readFileSync(manifestFile);
  });

  afterAll(() => {
    tsa.dispose();
    other.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Verifies a token against this test's manifest. */
  const check = (tokenBytes: Uint8Array, trust: TimestampTrust) =>
    verifyTimestamp({ tokenBytes, manifestBytes: manifest, trust });

  const trusting = (...pems: Array<[string, string]>) =>
    TimestampTrust.fromAuthorities(
      pems.map(([name, certificate]) => ({ name, certificate })),
    );

  it('accepts a token over the manifest signed by a configured authority', async () => {
    const before = Date.now();
    const outcome = await check(
      tsa.stamp(manifestFile),
      trusting(['samakia-tsa', tsa.rootPem]),
    );
    expect(outcome).toMatchObject({
      status: 'valid',
      authority: 'samakia-tsa',
      hashAlgorithm: 'SHA-256',
      policy: '1.3.6.1.4.1.99999.1',
    });
    expect(outcome.tsa).toContain('CN=Fabric Test TSA');
    expect(outcome.problem).toBeUndefined();
    expect(outcome.serialNumber).toMatch(/^[0-9a-f]+$/);
    // genTime has one-second accuracy.
    const time = Date.parse(outcome.time!);
    expect(time).toBeGreaterThanOrEqual(
      Math.floor(before / 1000) * 1000 - 1000,
    );
    expect(time).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('accepts a bare token, a SHA-512 imprint, and a token without an embedded certificate', async () => {
    const trust = trusting(['samakia-tsa', tsa.rootPem]);
    const bare = await check(
      tsa.stamp(manifestFile, { tokenOnly: true }),
      trust,
    );
    expect(bare.status).toBe('valid');
    const sha512 = await check(
      tsa.stamp(manifestFile, { hash: 'sha512' }),
      trust,
    );
    expect(sha512).toMatchObject({ status: 'valid', hashAlgorithm: 'SHA-512' });
    // Without `-cert` the token names its signer only; the configured certificate is it.
    const pinned = await check(
      tsa.stamp(manifestFile, { embedCertificate: false }),
      trusting(['pinned-tsa', tsa.tsaPem]),
    );
    expect(pinned).toMatchObject({ status: 'valid', authority: 'pinned-tsa' });
    const unnamed = await check(
      tsa.stamp(manifestFile, { embedCertificate: false }),
      trusting(['other', other.rootPem]),
    );
    expect(unnamed.status).toBe('untrusted');
    expect(unnamed.problem).toContain('neither in the token');
  });

  it('accepts a token of an RSA authority, as most public TSAs sign', async () => {
    const rsa = new TestTsa('Fabric RSA TSA', 'rsa');
    try {
      const outcome = await check(
        rsa.stamp(manifestFile),
        trusting(['rsa-tsa', rsa.rootPem]),
      );
      expect(outcome).toMatchObject({ status: 'valid', authority: 'rsa-tsa' });
      const changed = await verifyTimestamp({
        tokenBytes: rsa.stamp(manifestFile),
        manifestBytes: Buffer.concat([manifest, Buffer.from('x')]),
        trust: trusting(['rsa-tsa', rsa.rootPem]),
      });
      expect(changed.status).toBe('invalid');
    } finally {
      rsa.dispose();
    }
  });

  it('reports a manifest changed after it was stamped as invalid', async () => {
    const token = tsa.stamp(manifestFile);
    const changed = Buffer.concat([manifest, Buffer.from('\n')]);
    const outcome = await verifyTimestamp({
      tokenBytes: token,
      manifestBytes: changed,
      trust: trusting(['samakia-tsa', tsa.rootPem]),
    });
    expect(outcome.status).toBe('invalid');
    expect(outcome.problem).toContain('other content than this manifest');
  });

  it('reports a token whose signed content was altered as invalid', async () => {
    const token = Buffer.from(tsa.stamp(manifestFile));
    // The policy OID 1.3.6.1.4.1.99999.1 sits inside the signed TSTInfo: change its last arc.
    const policy = Buffer.from([
      0x2b, 0x06, 0x01, 0x04, 0x01, 0x86, 0x8d, 0x1f, 0x01,
    ]);
    const at = token.indexOf(policy);
    expect(at).toBeGreaterThan(0);
    token[at + policy.length - 1] = 0x02;
    const outcome = await check(token, trusting(['samakia-tsa', tsa.rootPem]));
    expect(outcome.status).toBe('invalid');
    expect(outcome.problem).toMatch(/does not verify/);

    // The signature value itself: the token ends with the signer info's signature (openssl
    // adds no unsigned attributes), whose last byte is part of the ECDSA s value.
    const forged = Buffer.from(tsa.stamp(manifestFile));
    forged[forged.length - 1] ^= 0x01;
    const bad = await check(forged, trusting(['samakia-tsa', tsa.rootPem]));
    expect(bad.status).toBe('invalid');
    expect(bad.problem).toContain('signature that does not verify');
  });

  it('reports a token by an authority nobody configured as untrusted, naming the setting', async () => {
    const token = tsa.stamp(manifestFile);
    const elsewhere = await check(token, trusting(['other', other.rootPem]));
    expect(elsewhere.status).toBe('untrusted');
    expect(elsewhere.problem).toContain('evidence.timestampAuthorities');
    expect(elsewhere.time).toBeDefined();
    const nobody = await check(token, TimestampTrust.empty());
    expect(nobody.status).toBe('untrusted');
    expect(nobody.problem).toContain(
      'no time-stamping authority is configured',
    );
  });

  it('refuses SHA-1 imprints, refusals and bytes that are no token', async () => {
    const trust = trusting(['samakia-tsa', tsa.rootPem]);
    const sha1 = await check(tsa.stamp(manifestFile, { hash: 'sha1' }), trust);
    expect(sha1).toMatchObject({ status: 'unusable', hashAlgorithm: 'SHA-1' });
    expect(sha1.problem).toContain('SHA-256');
    // The authority does not accept MD5 and answers with a rejection instead of a token.
    const refusal = await check(
      tsa.stamp(manifestFile, { hash: 'md5' }),
      trust,
    );
    expect(refusal.status).toBe('unusable');
    expect(refusal.problem).toMatch(/refusal \(PKIStatus 2/);
    for (const bytes of [
      Buffer.alloc(0),
      Buffer.from('not a timestamp\n'),
      Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]),
      manifest,
    ]) {
      const outcome = await check(bytes, trust);
      expect(outcome.status).toBe('unusable');
      expect(outcome.problem).toBeTruthy();
    }
  });

  it('refuses a signer without the timeStamping key usage, and accepts one with it', async () => {
    const trust = trusting(['samakia-tsa', tsa.rootPem]);
    const token = tsa.stamp(manifestFile, { tokenOnly: true });
    // The same timestamp information, signed with openssl cms by certificates of the same root.
    const plain = await check(
      tsa.resign(token, { timeStampingUsage: false }),
      trust,
    );
    expect(plain.status).toBe('untrusted');
    expect(plain.problem).toContain('timeStamping');
    const stamping = await check(
      tsa.resign(token, { timeStampingUsage: true }),
      trust,
    );
    expect(stamping).toMatchObject({
      status: 'valid',
      authority: 'samakia-tsa',
    });
  });

  it('never takes an embedded certificate for a configured one it only resembles', async () => {
    // The token embeds the TSA's certificate; change a byte of that certificate's own
    // signature: same signed part (TBS), same key, different certificate.
    const token = Buffer.from(tsa.stamp(manifestFile));
    const der = Buffer.from(
      tsa.tsaPem.replace(/-----[^-]+-----|\s/g, ''),
      'base64',
    );
    const at = token.indexOf(der);
    expect(at).toBeGreaterThan(0);
    token[at + der.length - 1] ^= 0x01;
    // The pinned certificate is the one checked (validity included), not the other root.
    const pinned = await check(
      token,
      trusting(['pinned-tsa', tsa.tsaPem], ['other', other.rootPem]),
    );
    expect(pinned).toMatchObject({ status: 'valid', authority: 'pinned-tsa' });
    const elsewhere = await check(token, trusting(['other', other.rootPem]));
    expect(elsewhere.status).toBe('untrusted');
  });

  it('returns unusable for encodings the ASN.1 parser throws on', async () => {
    for (const bytes of [
      // A SEQUENCE holding a GeneralizedTime "X".
      Buffer.from([0x30, 0x03, 0x18, 0x01, 0x58]),
      Buffer.from([0x30, 0x80]),
      Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]),
    ]) {
      await expect(check(bytes, TimestampTrust.empty())).resolves.toMatchObject(
        { status: 'unusable' },
      );
    }
  });

  it('names the authority whose certificate is not PEM', () => {
    expect(() =>
      TimestampTrust.fromAuthorities([
        { name: 'broken', certificate: '-----BEGIN CERTIFICATE-----\nxx' },
      ]),
    ).toThrow(/time-stamping authority broken: the certificate is not a PEM/);
    const a = trusting(['a', tsa.rootPem]);
    expect(trusting(['a', tsa.rootPem]).digest).toBe(a.digest);
    expect(trusting(['a', other.rootPem]).digest).not.toBe(a.digest);
  });
});
