import ipaddr from 'ipaddr.js';

/** A parsed IPv4 network in CIDR notation. */
export interface Ipv4Cidr {
  /** Network address, e.g. `10.10.100.0`. */
  network: string;
  prefixLength: number;
  /** Canonical `network/prefix` text. */
  text: string;
}

/** Why a CIDR string was rejected, with the readable reason. */
export type Ipv4CidrParseResult =
  | { ok: true; cidr: Ipv4Cidr }
  | { ok: false; reason: string };

const PREFIX_PATTERN = /^(0|[1-9]\d?)$/;

/**
 * True for a strict dotted-quad IPv4 address. ipaddr.js alone also accepts
 * forms such as `10.1` or hex octets, which are never intended in our data.
 */
export function isIpv4Address(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** Parses `a.b.c.d/n`, requiring a 0-32 prefix and zero host bits. */
export function parseIpv4Cidr(text: string): Ipv4CidrParseResult {
  const parts = text.split('/');
  if (parts.length !== 2) {
    return {
      ok: false,
      reason: `${text} is not in CIDR notation; write it as network/prefix, e.g. 10.10.100.0/24`,
    };
  }
  const [address, prefixText] = parts;
  if (!isIpv4Address(address)) {
    return {
      ok: false,
      reason: `${text} does not start with a dotted-quad IPv4 address; write it as network/prefix, e.g. 10.10.100.0/24`,
    };
  }
  if (!PREFIX_PATTERN.test(prefixText) || Number(prefixText) > 32) {
    return {
      ok: false,
      reason: `${text} has prefix length /${prefixText}; use a whole number from 0 to 32`,
    };
  }
  const prefixLength = Number(prefixText);
  const network = ipaddr.IPv4.networkAddressFromCIDR(text).toString();
  if (network !== address) {
    return {
      ok: false,
      reason: `${text} has host bits set; use the network address ${network}/${prefixLength}`,
    };
  }
  return {
    ok: true,
    cidr: { network, prefixLength, text: `${network}/${prefixLength}` },
  };
}

/** True when `address` (a valid dotted quad) lies inside `cidr`. */
export function isIpv4InCidr(address: string, cidr: Ipv4Cidr): boolean {
  return ipaddr.IPv4.parse(address).match(
    ipaddr.IPv4.parse(cidr.network),
    cidr.prefixLength,
  );
}

/**
 * True for the network or broadcast address of `cidr`, which cannot be used
 * by a host. /31 and /32 have no such reserved addresses (RFC 3021).
 */
export function isReservedIpv4InCidr(address: string, cidr: Ipv4Cidr): boolean {
  if (cidr.prefixLength >= 31) {
    return false;
  }
  const broadcast = ipaddr.IPv4.broadcastAddressFromCIDR(cidr.text).toString();
  return address === cidr.network || address === broadcast;
}
