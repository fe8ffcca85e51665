import { X509Certificate, createHash } from 'node:crypto';
import * as pkijs from 'pkijs';

/** A time-stamping authority the portal trusts (its root or its own certificate). */
export interface TimestampAuthority {
  name: string;
  /** PEM. */
  certificate: string;
}

/**
 * The trust anchors timestamps are checked against. Parsed once from
 * configuration; `digest` changes whenever the anchors do, so packets are
 * verified again.
 */
export class TimestampTrust {
  private constructor(
    readonly anchors: ReadonlyArray<{
      name: string;
      certificate: pkijs.Certificate;
      der: Buffer;
    }>,
    readonly digest: string,
  ) {}

  static empty(): TimestampTrust {
    return TimestampTrust.fromAuthorities([]);
  }

  /** Throws with the authority's name when a certificate is no PEM X.509 certificate. */
  static fromAuthorities(
    authorities: ReadonlyArray<TimestampAuthority>,
  ): TimestampTrust {
    const hash = createHash('sha256');
    const anchors = authorities.map(a => {
      let der: Buffer;
      try {
        der = new X509Certificate(a.certificate).raw;
      } catch (error) {
        throw new Error(
          `time-stamping authority ${
            a.name
          }: the certificate is not a PEM X.509 certificate (${
            (error as Error).message
          })`,
        );
      }
      hash.update(`${a.name}\0${der.toString('base64')}\n`);
      return {
        name: a.name,
        der,
        certificate: pkijs.Certificate.fromBER(der),
      };
    });
    return new TimestampTrust(anchors, hash.digest('hex'));
  }
}
