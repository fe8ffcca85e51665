import { parsePlaneEntity } from '../parse';
import {
  problemsOf,
  validBusinessPlane,
  validLayerPlane,
  validNetworkPlane,
  withField,
} from '../testing/fixtures';

describe('Plane schema', () => {
  it.each([
    ['network', validNetworkPlane()],
    ['business (no haTier or failureDomains)', validBusinessPlane()],
    ['layer', validLayerPlane()],
  ])('accepts a valid %s plane', (_label, plane) => {
    expect(parsePlaneEntity(plane)).toEqual({ success: true, data: plane });
  });

  it('rejects a gateway VIP outside the CIDR, naming both and the fix', () => {
    const plane = withField(
      validNetworkPlane(),
      'spec.network.gatewayVip',
      '10.10.200.1',
    );
    const result = parsePlaneEntity(plane);
    expect(problemsOf(result)).toEqual([
      {
        path: 'spec.network.gatewayVip',
        message:
          "10.10.200.1 is outside spec.network.cidr 10.10.100.0/24; use an address inside the plane's CIDR",
      },
    ]);
    expect(!result.success && result.message).toBe(
      'Plane plane:default/dns is invalid:\n' +
        "- spec.network.gatewayVip: 10.10.200.1 is outside spec.network.cidr 10.10.100.0/24; use an address inside the plane's CIDR",
    );
  });

  it('rejects a gateway VIP on the network address', () => {
    const plane = withField(
      validNetworkPlane(),
      'spec.network.gatewayVip',
      '10.10.100.0',
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.network.gatewayVip',
        message:
          '10.10.100.0 is the network or broadcast address of 10.10.100.0/24; use a host address such as the first usable one',
      },
    ]);
  });

  it('rejects a gateway VIP that is not an IPv4 address', () => {
    const plane = withField(
      validNetworkPlane(),
      'spec.network.gatewayVip',
      'gw',
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.network.gatewayVip',
        message:
          '"gw" is not an IPv4 address; write four dot-separated numbers from 0 to 255, e.g. 10.10.100.1',
      },
    ]);
  });

  it.each([
    [
      '10.10.100.0',
      '10.10.100.0 is not in CIDR notation; write it as network/prefix, e.g. 10.10.100.0/24',
    ],
    [
      '10.10.100.0/40',
      '10.10.100.0/40 has prefix length /40; use a whole number from 0 to 32',
    ],
    [
      '10.10.100.5/24',
      '10.10.100.5/24 has host bits set; use the network address 10.10.100.0/24',
    ],
  ])('rejects CIDR %s', (cidr, message) => {
    const plane = withField(validNetworkPlane(), 'spec.network.cidr', cidr);
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      { path: 'spec.network.cidr', message },
    ]);
  });

  it('checks lanCidr like cidr', () => {
    const plane = withField(
      validNetworkPlane(),
      'spec.network.lanCidr',
      '192.168.11.1/24',
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.network.lanCidr',
        message:
          '192.168.11.1/24 has host bits set; use the network address 192.168.11.0/24',
      },
    ]);
  });

  it('rejects a LAN VIP outside lanCidr', () => {
    const plane = withField(
      validNetworkPlane(),
      'spec.network.lanVips.0.address',
      '192.168.12.100',
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.network.lanVips[0].address',
        message:
          '192.168.12.100 is outside spec.network.lanCidr 192.168.11.0/24; use an address inside the LAN CIDR or correct lanCidr',
      },
    ]);
  });

  it('accepts any LAN VIP when lanCidr is not given', () => {
    const plane = withField(
      withField(validNetworkPlane(), 'spec.network.lanCidr', undefined),
      'spec.network.lanVips.0.address',
      '172.16.0.5',
    );
    expect(parsePlaneEntity(plane).success).toBe(true);
  });

  it('rejects duplicate LAN VIP names and addresses', () => {
    const plane = validNetworkPlane() as any;
    plane.spec.network.lanVips.push({ name: 'dns', address: '192.168.11.100' });
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.network.lanVips[1]',
        message: "LAN VIP name 'dns' is used twice; give each VIP its own name",
      },
      {
        path: 'spec.network.lanVips[1]',
        message:
          'LAN VIP address 192.168.11.100 is used twice; each VIP needs its own address',
      },
    ]);
  });

  it.each([
    [0, 'VLAN 0 is out of range; use a whole number from 1 to 4094'],
    [4095, 'VLAN 4095 is out of range; use a whole number from 1 to 4094'],
    [100.5, 'expected a VLAN id, got 100.5; use a whole number from 1 to 4094'],
    ['100', 'expected a VLAN id, got "100"; use a whole number from 1 to 4094'],
  ])('rejects VLAN %p', (vlan, message) => {
    const plane = withField(validNetworkPlane(), 'spec.network.vlan', vlan);
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      { path: 'spec.network.vlan', message },
    ]);
  });

  it.each([1, 4094])('accepts VLAN %p', vlan => {
    const plane = withField(validNetworkPlane(), 'spec.network.vlan', vlan);
    expect(parsePlaneEntity(plane).success).toBe(true);
  });

  it('rejects an unknown plane type', () => {
    const plane = withField(validBusinessPlane(), 'spec.type', 'edge');
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.type',
        message: '"edge" is not allowed; use one of: network, business, layer',
      },
    ]);
  });

  it('rejects an unknown port protocol and an invalid port', () => {
    const plane = withField(
      validNetworkPlane(),
      'spec.network.lanVips.0.ports',
      [
        { port: 53, protocol: 'sctp' },
        { port: 70000, protocol: 'udp' },
      ],
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.network.lanVips[0].ports[0].protocol',
        message:
          '"sctp" is not allowed; use one of: tcp, udp, tls, http, https',
      },
      {
        path: 'spec.network.lanVips[0].ports[1].port',
        message:
          '70000 is not a valid port; use a whole number from 1 to 65535',
      },
    ]);
  });

  it('requires the network block on a network plane', () => {
    const plane = withField(validNetworkPlane(), 'spec.network', undefined);
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.network',
        message:
          'is missing; a network plane needs its network block (sdnZone, vnet, vlan, cidr, gatewayVip)',
      },
    ]);
  });

  it('forbids network, layer and servedBy blocks on the wrong plane types', () => {
    const network = validNetworkPlane().spec!.network;
    const business = withField(validBusinessPlane(), 'spec.network', network);
    expect(problemsOf(parsePlaneEntity(business))).toEqual([
      {
        path: 'spec.network',
        message:
          'only network planes have a network block; remove it or set spec.type: network (it is business)',
      },
    ]);
    const withLayer = withField(validNetworkPlane(), 'spec.layer', {
      order: 1,
    });
    expect(problemsOf(parsePlaneEntity(withLayer))).toEqual([
      {
        path: 'spec.layer',
        message:
          'only layer planes have a layer block; remove it or set spec.type: layer (it is network)',
      },
    ]);
    const servedLayer = withField(validLayerPlane(), 'spec.servedBy', [
      'plane:x',
    ]);
    expect(problemsOf(parsePlaneEntity(servedLayer))).toEqual([
      {
        path: 'spec.servedBy',
        message:
          'only business planes list the planes that serve them; remove it or set spec.type: business (it is layer)',
      },
    ]);
  });

  it('rejects a business plane served by itself or by a non-plane', () => {
    const plane = withField(validBusinessPlane(), 'spec.servedBy', [
      'rtdl',
      'component:default/minio',
    ]);
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.servedBy[1]',
        message:
          '"component:default/minio" points at a component; it must name a Plane, e.g. dns or plane:default/dns',
      },
      {
        path: 'spec.servedBy[0]',
        message:
          'rtdl is this plane itself; a plane cannot serve itself, remove it',
      },
    ]);
  });

  it('checks owner and environment references', () => {
    const plane = withField(
      withField(validBusinessPlane(), 'spec.owner', 'component:x'),
      'spec.environment',
      'group:default/x',
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.owner',
        message:
          '"component:x" points at a component; it must name a Group or User, e.g. group:default/platform-operators',
      },
      {
        path: 'spec.environment',
        message:
          '"group:default/x" points at a group; it must name a Resource, e.g. samakia-prod or resource:default/samakia-prod',
      },
    ]);
  });

  it('rejects malformed references', () => {
    const plane = withField(validBusinessPlane(), 'spec.owner', 'group:');
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.owner',
        message:
          '"group:" is not an entity reference; write [kind:][namespace/]name, e.g. group:default/platform-operators',
      },
    ]);
  });

  it('requires owner and environment', () => {
    const plane = withField(
      withField(validBusinessPlane(), 'spec.owner', undefined),
      'spec.environment',
      undefined,
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.owner',
        message: 'is missing; add it (expected a text value)',
      },
      {
        path: 'spec.environment',
        message: 'is missing; add it (expected a text value)',
      },
    ]);
  });

  it('rejects unknown spec fields such as typos', () => {
    const plane = withField(validBusinessPlane(), 'spec.servedby', []);
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec',
        message: "unknown field 'servedby'; remove it or fix the spelling",
      },
    ]);
  });

  it('rejects duplicate failure domains and bad namespaces', () => {
    const plane = withField(
      withField(validLayerPlane(), 'spec.failureDomains', ['a', 'a']),
      'spec.layer.kubernetesNamespaces',
      ['Data_Plane'],
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'spec.layer.kubernetesNamespaces[0]',
        message:
          '"Data_Plane" is not a DNS label; use lower-case letters, digits and \'-\', at most 63 characters, starting and ending with a letter or digit',
      },
      {
        path: 'spec.failureDomains[1]',
        message: "failure domain 'a' is listed twice; list it once",
      },
    ]);
  });

  it('rejects the wrong apiVersion', () => {
    const plane = withField(
      validBusinessPlane(),
      'apiVersion',
      'backstage.io/v1alpha1',
    );
    expect(problemsOf(parsePlaneEntity(plane))).toEqual([
      {
        path: 'apiVersion',
        message:
          '"backstage.io/v1alpha1" is not allowed here; it must be fabric.samakia.io/v1alpha1',
      },
    ]);
  });
});
