import {
  isIpv4Address,
  isIpv4InCidr,
  isReservedIpv4InCidr,
  parseIpv4Cidr,
} from './ip';

describe('isIpv4Address', () => {
  it.each(['10.10.100.1', '0.0.0.0', '255.255.255.255'])('accepts %s', a =>
    expect(isIpv4Address(a)).toBe(true),
  );
  it.each([
    '10.10.100',
    '10.1',
    '256.1.1.1',
    '010.1.1.1',
    '0x0a.0.0.1',
    '',
    'dns',
  ])('rejects %s', a => expect(isIpv4Address(a)).toBe(false));
});

describe('parseIpv4Cidr', () => {
  it('parses a network with zero host bits', () => {
    expect(parseIpv4Cidr('10.10.100.0/24')).toEqual({
      ok: true,
      cidr: {
        network: '10.10.100.0',
        prefixLength: 24,
        text: '10.10.100.0/24',
      },
    });
    expect(parseIpv4Cidr('0.0.0.0/0').ok).toBe(true);
    expect(parseIpv4Cidr('10.10.100.7/32').ok).toBe(true);
  });

  it('rejects a missing prefix', () => {
    expect(parseIpv4Cidr('10.10.100.0')).toEqual({
      ok: false,
      reason:
        '10.10.100.0 is not in CIDR notation; write it as network/prefix, e.g. 10.10.100.0/24',
    });
  });

  it('rejects a bad address', () => {
    expect(parseIpv4Cidr('10.10.300.0/24')).toEqual({
      ok: false,
      reason:
        '10.10.300.0/24 does not start with a dotted-quad IPv4 address; write it as network/prefix, e.g. 10.10.100.0/24',
    });
  });

  it.each(['33', '-1', '', '024', 'x'])('rejects prefix /%s', prefix => {
    expect(parseIpv4Cidr(`10.0.0.0/${prefix}`)).toEqual({
      ok: false,
      reason: `10.0.0.0/${prefix} has prefix length /${prefix}; use a whole number from 0 to 32`,
    });
  });

  it('rejects host bits and names the network address', () => {
    expect(parseIpv4Cidr('10.10.100.1/24')).toEqual({
      ok: false,
      reason:
        '10.10.100.1/24 has host bits set; use the network address 10.10.100.0/24',
    });
  });
});

describe('isIpv4InCidr and isReservedIpv4InCidr', () => {
  const cidr = {
    network: '10.10.100.0',
    prefixLength: 24,
    text: '10.10.100.0/24',
  };

  it('matches addresses by prefix', () => {
    expect(isIpv4InCidr('10.10.100.1', cidr)).toBe(true);
    expect(isIpv4InCidr('10.10.100.255', cidr)).toBe(true);
    expect(isIpv4InCidr('10.10.101.1', cidr)).toBe(false);
  });

  it('flags the network and broadcast addresses only', () => {
    expect(isReservedIpv4InCidr('10.10.100.0', cidr)).toBe(true);
    expect(isReservedIpv4InCidr('10.10.100.255', cidr)).toBe(true);
    expect(isReservedIpv4InCidr('10.10.100.1', cidr)).toBe(false);
    expect(
      isReservedIpv4InCidr('10.0.0.0', {
        network: '10.0.0.0',
        prefixLength: 31,
        text: '10.0.0.0/31',
      }),
    ).toBe(false);
  });
});
