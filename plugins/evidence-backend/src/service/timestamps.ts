import { X509Certificate, createHash, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PacketTimestamp } from '@internal/plugin-evidence-common';
import { TimestampTrust } from './timestampTrust';

export { TimestampTrust } from './timestampTrust';
export type { TimestampAuthority } from './timestampTrust';

/** OIDs RFC 3161 and RFC 5816 tokens use. */
const OID = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  timeStampingUsage: '1.3.6.1.5.5.7.3.8',
};

/** Hashes a token may carry over the manifest; SHA-1 no longer proves anything. */
const IMPRINT_HASHES: Record<string, { name: string; node?: string }> = {
  '2.16.840.1.101.3.4.2.1': { name: 'SHA-256', node: 'sha256' },
  '2.16.840.1.101.3.4.2.2': { name: 'SHA-384', node: 'sha384' },
  '2.16.840.1.101.3.4.2.3': { name: 'SHA-512', node: 'sha512' },
  '1.3.14.3.2.26': { name: 'SHA-1' },
  '1.2.840.113549.2.5': { name: 'MD5' },
};

// Node's own WebCrypto, passed to every pkijs call instead of its global engine.
const engine = new pkijs.CryptoEngine({
  name: 'node',
  crypto: webcrypto as unknown as Crypto,
});

type Outcome = Omit<PacketTimestamp, 'file'>;

export interface VerifyTimestampOptions {
  /** The `.tsr` file: a TimeStampResp or a bare TimeStampToken, DER. */
  tokenBytes: Uint8Array;
  /** The exact bytes of the manifest the token should be over. */
  manifestBytes: Uint8Array;
  trust: TimestampTrust;
}

/** A TimeStampResp (what a TSA answers) or a bare TimeStampToken (ContentInfo). */
function tokenOf(bytes: Uint8Array): pkijs.ContentInfo | string {
  const asn1 = asn1js.fromBER(bytes);
  if (asn1.offset === -1 || !(asn1.result instanceof asn1js.Sequence)) {
    return 'is not a DER-encoded RFC 3161 timestamp response or token';
  }
  try {
    const first = asn1.result.valueBlock.value[0];
    if (first instanceof asn1js.ObjectIdentifier) {
      return new pkijs.ContentInfo({ schema: asn1.result });
    }
    const response = new pkijs.TimeStampResp({ schema: asn1.result });
    const status = response.status.status;
    // 0 granted, 1 granted with modifications; anything else carries no token.
    if (status !== 0 && status !== 1) {
      const text = response.status.statusStrings
        ?.map(s => s.valueBlock.value)
        .join('; ');
      return `holds the authority's refusal (PKIStatus ${status}${
        text ? `: ${text}` : ''
      }), not a timestamp`;
    }
    if (!response.timeStampToken) {
      return 'is a timestamp response without a token';
    }
    return response.timeStampToken;
  } catch (error) {
    return `is not an RFC 3161 timestamp response or token (${
      (error as Error).message
    })`;
  }
}

function subjectOf(certificate: pkijs.Certificate | undefined) {
  if (!certificate) return undefined;
  try {
    return new X509Certificate(
      Buffer.from(certificate.toSchema().toBER(false)),
    ).subject.replace(/\n/g, ', ');
  } catch {
    return undefined;
  }
}

/** The signed part of a certificate: what pkijs matches certificates by. */
const tbsOf = (certificate: pkijs.Certificate) =>
  Buffer.from(certificate.tbsView);

/**
 * RFC 3161 section 2.3: the TSA's certificate holds exactly one extended key usage,
 * timeStamping, in a critical extension.
 */
function isTimeStampingCertificate(certificate: pkijs.Certificate): boolean {
  const eku = certificate.extensions?.find(e => e.extnID === '2.5.29.37');
  const purposes = (eku?.parsedValue as pkijs.ExtKeyUsage | undefined)
    ?.keyPurposes;
  return (
    eku?.critical === true &&
    purposes?.length === 1 &&
    purposes[0] === OID.timeStampingUsage
  );
}

/** `verifySignedData` outcome: who signed, or why the signature counts for nothing. */
type SignatureCheck =
  | { signer: pkijs.Certificate }
  | { outcome: 'invalid' | 'untrusted' | 'unusable'; problem: string };

/**
 * Checks the token's CMS signature (and, through pkijs, its imprint again). Only a
 * signature or digest that does not match counts as an altered token; anything pkijs
 * cannot evaluate (no signer info, unsupported algorithm) makes the token unusable.
 */
async function verifySignedData(
  signed: pkijs.SignedData,
  data: ArrayBuffer,
): Promise<SignatureCheck> {
  try {
    const result = await signed.verify(
      { signer: 0, data, checkChain: false, extendedMode: true },
      engine,
    );
    if (!result.signerCertificate) {
      return { outcome: 'unusable', problem: 'names no signing certificate' };
    }
    if (!result.signatureVerified) {
      return {
        outcome: 'invalid',
        problem:
          'carries a signature that does not verify: the token was altered',
      };
    }
    return { signer: result.signerCertificate };
  } catch (error) {
    const e = error as pkijs.SignedDataVerifyError;
    if (e.code === 3) {
      return {
        outcome: 'untrusted',
        problem:
          'names a signing certificate that is neither in the token nor a configured time-stamping authority',
      };
    }
    if (e.code === 15 || e.signatureVerified === false) {
      return {
        outcome: 'invalid',
        problem: `carries a signature that does not verify (${e.message}): the token was altered`,
      };
    }
    return {
      outcome: 'unusable',
      problem: `cannot be checked (${e.message ?? String(error)})`,
    };
  }
}

/**
 * Verifies one RFC 3161 timestamp token against the exact manifest bytes:
 * the token's message imprint must be the manifest's hash, the token's CMS
 * signature must verify, and the signing certificate must be a time-stamping
 * certificate (critical extended key usage timeStamping only) that is, at the
 * token's time, a configured authority's own certificate or chains to one.
 * Never throws: bytes it cannot read make the token `unusable`.
 */
export async function verifyTimestamp(
  options: VerifyTimestampOptions,
): Promise<Outcome> {
  try {
    return await verifyTimestampOrThrow(options);
  } catch (error) {
    // asn1js and pkijs throw on some malformed encodings (times, lengths) they meet late.
    return {
      status: 'unusable',
      problem: `is not a readable timestamp token (${
        (error as Error)?.message ?? String(error)
      })`,
    };
  }
}

async function verifyTimestampOrThrow(
  options: VerifyTimestampOptions,
): Promise<Outcome> {
  const { tokenBytes, manifestBytes, trust } = options;
  const token = tokenOf(tokenBytes);
  if (typeof token === 'string') return { status: 'unusable', problem: token };
  if (token.contentType !== OID.signedData) {
    return {
      status: 'unusable',
      problem: `holds CMS content ${token.contentType}, not signed data`,
    };
  }
  const signed = new pkijs.SignedData({ schema: token.content });
  const content = signed.encapContentInfo;
  if (content.eContentType !== OID.tstInfo || !content.eContent) {
    return {
      status: 'unusable',
      problem: `signs ${content.eContentType}, not timestamp information`,
    };
  }
  if (signed.signerInfos.length !== 1) {
    return {
      status: 'unusable',
      problem: `has ${signed.signerInfos.length} signer infos; a timestamp token has exactly one`,
    };
  }
  const info = pkijs.TSTInfo.fromBER(content.eContent.getValue());
  if (!Number.isFinite(info.genTime.getTime())) {
    return { status: 'unusable', problem: 'carries no readable time' };
  }

  const algorithm =
    IMPRINT_HASHES[info.messageImprint.hashAlgorithm.algorithmId];
  const facts: Outcome = {
    status: 'valid',
    time: info.genTime.toISOString(),
    hashAlgorithm:
      algorithm?.name ?? info.messageImprint.hashAlgorithm.algorithmId,
    serialNumber: Buffer.from(
      info.serialNumber.valueBlock.valueHexView,
    ).toString('hex'),
    policy: info.policy,
  };
  if (!algorithm?.node) {
    return {
      ...facts,
      status: 'unusable',
      problem: `hashes the manifest with ${facts.hashAlgorithm}, which no longer proves which content was stamped; ask the authority for SHA-256 (openssl ts -query -sha256)`,
    };
  }
  const signatureDigest =
    IMPRINT_HASHES[signed.signerInfos[0].digestAlgorithm.algorithmId];
  if (!signatureDigest?.node) {
    return {
      ...facts,
      status: 'unusable',
      problem: `is signed over a ${
        signatureDigest?.name ??
        signed.signerInfos[0].digestAlgorithm.algorithmId
      } digest, which no longer proves anything; the authority must sign with SHA-256 or better`,
    };
  }
  // Checked before the signature: pkijs cannot check a signature without a matching
  // imprint, so a token over other content is reported as such, genuine or not.
  const expected = createHash(algorithm.node).update(manifestBytes).digest();
  const imprint = Buffer.from(
    info.messageImprint.hashedMessage.valueBlock.valueHexView,
  );
  if (!expected.equals(imprint)) {
    return {
      ...facts,
      status: 'invalid',
      problem:
        'was made over other content than this manifest: the manifest changed after it was stamped, or the token belongs to another packet',
    };
  }

  const manifestData = manifestBytes.buffer.slice(
    manifestBytes.byteOffset,
    manifestBytes.byteOffset + manifestBytes.byteLength,
  ) as ArrayBuffer;
  // The token need not embed the authority's certificate. The configured ones come first,
  // so a certificate in the token that merely shares a configured one's signed part (TBS)
  // is never taken for it.
  signed.certificates = [
    ...trust.anchors.map(a => a.certificate),
    ...(signed.certificates ?? []),
  ];
  const checked = await verifySignedData(signed, manifestData);
  if ('outcome' in checked) {
    return { ...facts, status: checked.outcome, problem: checked.problem };
  }
  const signer = checked.signer;
  const withSigner = { ...facts, tsa: subjectOf(signer) };
  if (!isTimeStampingCertificate(signer)) {
    return {
      ...withSigner,
      status: 'untrusted',
      problem:
        'was signed by a certificate whose only extended key usage is not a critical timeStamping, so it is no time-stamping authority (RFC 3161, 2.3)',
    };
  }
  if (trust.anchors.length === 0) {
    return {
      ...withSigner,
      status: 'untrusted',
      problem:
        'cannot be trusted: no time-stamping authority is configured (evidence.timestampAuthorities)',
    };
  }

  // A configured certificate may be the TSA's own (pinned): no chain to build, only its
  // validity at the token's time.
  const pinned = trust.anchors.find(a =>
    tbsOf(a.certificate).equals(tbsOf(signer)),
  );
  if (pinned) {
    const genTime = info.genTime.getTime();
    if (
      genTime < signer.notBefore.value.getTime() ||
      genTime > signer.notAfter.value.getTime()
    ) {
      return {
        ...withSigner,
        status: 'untrusted',
        problem: `was made at ${facts.time}, outside the validity of ${
          pinned.name
        }'s certificate (${signer.notBefore.value.toISOString()} to ${signer.notAfter.value.toISOString()})`,
      };
    }
    return { ...withSigner, authority: pinned.name };
  }
  try {
    const chained = await signed.verify(
      {
        signer: 0,
        data: manifestData,
        checkChain: true,
        trustedCerts: trust.anchors.map(a => a.certificate),
        extendedMode: true,
      },
      engine,
    );
    // pkijs orders the validated path from the signer to the trusted root.
    const path = chained.certificatePath ?? [];
    const root = path[path.length - 1];
    const anchor =
      root && trust.anchors.find(a => tbsOf(a.certificate).equals(tbsOf(root)));
    if (
      !chained.signatureVerified ||
      !path[0] ||
      !tbsOf(path[0]).equals(tbsOf(signer)) ||
      !anchor
    ) {
      throw new Error('the chain does not end at a configured authority');
    }
    return { ...withSigner, authority: anchor.name };
  } catch (error) {
    return {
      ...withSigner,
      status: 'untrusted',
      problem: `was signed by ${
        withSigner.tsa ?? 'a certificate'
      }, which does not chain to a configured time-stamping authority at ${
        facts.time
      } (${
        (error as Error).message
      }); add the authority's certificate to evidence.timestampAuthorities`,
    };
  }
}
