import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as pkijs from 'pkijs';

const TSA_CONFIG = `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = .
serial = ./serial
crypto_device = builtin
signer_cert = ./tsa.pem
certs = ./tsa.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512, sha1
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ tsa_ext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
[ plain_ext ]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature
[ ca_ext ]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
[ ca ]
default_ca = test_ca
[ test_ca ]
database = ./index.txt
new_certs_dir = ./issued
certificate = ./ca.pem
private_key = ./ca.key
serial = ./ca.serial
default_md = sha256
policy = any_subject
unique_subject = no
[ any_subject ]
commonName = supplied
`;

/** openssl's YYMMDDHHMMSSZ form of a date. */
function opensslDate(date: Date): string {
  return `${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`;
}

/**
 * A real RFC 3161 time-stamping authority for tests: OpenSSL's `ts` command
 * with its own root CA and a time-stamping certificate (extended key usage
 * timeStamping) issued by that root, in a temporary folder.
 */
export class TestTsa {
  readonly dir: string;

  constructor(
    readonly name = 'Fabric Test TSA',
    /** Key type of the root and the TSA: P-256 ECDSA, or RSA as most public TSAs use. */
    readonly keyType: 'ec' | 'rsa' = 'ec',
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fabric-tsa-'));
    fs.writeFileSync(path.join(this.dir, 'tsa.cnf'), TSA_CONFIG);
    fs.writeFileSync(path.join(this.dir, 'serial'), '01\n');
    fs.writeFileSync(path.join(this.dir, 'ca.serial'), '1000\n');
    fs.writeFileSync(path.join(this.dir, 'index.txt'), '');
    fs.mkdirSync(path.join(this.dir, 'issued'));
    this.openssl([
      'req',
      '-x509',
      ...this.newKey(),
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '3650',
      '-subj',
      `/CN=${name} Root`,
      '-config',
      'tsa.cnf',
      '-extensions',
      'ca_ext',
    ]);
    this.issue('tsa', `/CN=${name}`, 'tsa_ext');
  }

  /** The root certificate (PEM), what `evidence.timestampAuthorities` holds. */
  get rootPem(): string {
    return fs.readFileSync(path.join(this.dir, 'ca.pem'), 'utf8');
  }

  /** The time-stamping certificate itself (PEM). */
  get tsaPem(): string {
    return fs.readFileSync(path.join(this.dir, 'tsa.pem'), 'utf8');
  }

  /**
   * Stamps a file as CI would: `openssl ts -query` then the authority's
   * `-reply`. Returns the DER TimeStampResp (or the bare token with `tokenOnly`).
   */
  stamp(
    file: string,
    options: {
      hash?: 'sha256' | 'sha512' | 'sha1' | 'md5';
      embedCertificate?: boolean;
      tokenOnly?: boolean;
    } = {},
  ): Buffer {
    const query = path.join(this.dir, `q-${process.hrtime.bigint()}.tsq`);
    const reply = `${query}.tsr`;
    this.openssl([
      'ts',
      '-query',
      '-data',
      file,
      `-${options.hash ?? 'sha256'}`,
      ...(options.embedCertificate === false ? [] : ['-cert']),
      '-out',
      query,
    ]);
    this.openssl([
      'ts',
      '-reply',
      '-config',
      'tsa.cnf',
      '-queryfile',
      query,
      ...(options.tokenOnly ? ['-token_out'] : []),
      '-out',
      reply,
    ]);
    return fs.readFileSync(reply);
  }

  /**
   * Signs the timestamp information of `token` again with `openssl cms` and a new
   * certificate issued by the same root: with `timeStampingUsage: false` that certificate
   * lacks the extended key usage every time-stamping certificate must carry.
   */
  resign(token: Buffer, options: { timeStampingUsage: boolean }): Buffer {
    const name = `signer-${process.hrtime.bigint()}`;
    this.issue(
      name,
      `/CN=${this.name} ${name}`,
      options.timeStampingUsage ? 'tsa_ext' : 'plain_ext',
    );
    // The TSTInfo is the signed data's encapsulated content.
    const contentInfo = pkijs.ContentInfo.fromBER(token);
    const signed = new pkijs.SignedData({ schema: contentInfo.content });
    const tstInfo = path.join(this.dir, `${name}.tst`);
    fs.writeFileSync(
      tstInfo,
      Buffer.from(signed.encapContentInfo.eContent!.getValue()),
    );
    const out = path.join(this.dir, `${name}.p7`);
    this.openssl([
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-econtent_type',
      '1.2.840.113549.1.9.16.1.4',
      '-md',
      'sha256',
      '-nosmimecap',
      '-in',
      tstInfo,
      '-signer',
      `${name}.pem`,
      '-inkey',
      `${name}.key`,
      '-outform',
      'DER',
      '-out',
      out,
    ]);
    return fs.readFileSync(out);
  }

  dispose() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Key generation arguments of `openssl req` for this authority's key type. */
  private newKey(): string[] {
    return this.keyType === 'rsa'
      ? ['-newkey', 'rsa:2048']
      : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  }

  /**
   * A new key `<file>.key` and its certificate `<file>.pem`, issued by the root.
   * The certificate is valid from a day before now: a token stamped earlier in the
   * same test must never predate a certificate issued for it a moment later (a
   * test that straddles a second boundary would otherwise see "not yet valid").
   */
  private issue(file: string, subject: string, extensions: string) {
    this.openssl([
      'req',
      ...this.newKey(),
      '-nodes',
      '-keyout',
      `${file}.key`,
      '-out',
      `${file}.csr`,
      '-subj',
      subject,
      '-config',
      'tsa.cnf',
    ]);
    const day = 24 * 60 * 60 * 1000;
    this.openssl([
      'ca',
      '-batch',
      '-notext',
      '-config',
      'tsa.cnf',
      '-in',
      `${file}.csr`,
      '-out',
      `${file}.pem`,
      '-startdate',
      opensslDate(new Date(Date.now() - day)),
      '-enddate',
      opensslDate(new Date(Date.now() + 3650 * day)),
      '-extensions',
      extensions,
    ]);
  }

  private openssl(args: string[]) {
    execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
  }
}
