import { parseFabricServiceEntity } from '../parse';
import { problemsOf, validService, withField } from '../testing/fixtures';

// A quorum member or VIP holder that is not a host of the service would make the impact
// view silently wrong (the member would never be "lost"), so the catalog refuses it.
const twoHosts = withField(validService(), 'spec.fabric.hosts', [
  { name: 'minio-1', failureDomain: 'proxmox1', addresses: ['10.10.140.11'] },
  { name: 'minio-2', failureDomain: 'proxmox2', addresses: ['10.10.140.12'] },
]);

describe('spec.fabric.quorum and spec.fabric.vips', () => {
  it('accepts members and holders that are hosts of the service', () => {
    const entity = withField(
      withField(twoHosts, 'spec.fabric.quorum', {
        members: ['minio-1', 'minio-2'],
        required: 2,
      }),
      'spec.fabric.vips',
      [{ address: '192.168.11.101', holders: ['minio-1', 'minio-2'] }],
    );
    expect(parseFabricServiceEntity(entity).success).toBe(true);
  });

  it('refuses a quorum member that is not a host, naming it and the hosts', () => {
    const entity = withField(twoHosts, 'spec.fabric.quorum', {
      members: ['minio-1', 'minio-3'],
      required: 2,
    });
    expect(problemsOf(parseFabricServiceEntity(entity))).toEqual([
      expect.objectContaining({
        path: 'spec.fabric.quorum.members[1]',
        message: expect.stringContaining(
          "'minio-3' is not one of the service's hosts (minio-1, minio-2)",
        ),
      }),
    ]);
  });

  it('refuses a quorum that needs more members than it has', () => {
    const entity = withField(twoHosts, 'spec.fabric.quorum', {
      members: ['minio-1', 'minio-2'],
      required: 3,
    });
    expect(problemsOf(parseFabricServiceEntity(entity))).toEqual([
      expect.objectContaining({
        path: 'spec.fabric.quorum.required',
        message: expect.stringContaining('at most the number of members'),
      }),
    ]);
  });

  it.each([
    [{ members: ['minio-1'], required: 1 }, 'members'],
    [{ members: ['minio-1', 'minio-2'], required: 0 }, 'required'],
    [{ members: ['minio-1', 'minio-2'], required: 1.5 }, 'required'],
    [{ members: ['minio-1', 'minio-2'], required: '2' }, 'required'],
  ])('refuses the quorum %j at %s', (quorum, field) => {
    const entity = withField(twoHosts, 'spec.fabric.quorum', quorum);
    expect(problemsOf(parseFabricServiceEntity(entity))[0].path).toBe(
      `spec.fabric.quorum.${field}`,
    );
  });

  it('refuses a VIP holder that is not a host, and a VIP that is not an address', () => {
    const entity = withField(twoHosts, 'spec.fabric.vips', [
      { address: '192.168.11.101', holders: ['minio-edge-9'] },
      { address: '192.168.11.300', holders: ['minio-1'] },
    ]);
    expect(
      problemsOf(parseFabricServiceEntity(entity)).map(p => p.path),
    ).toEqual(
      expect.arrayContaining([
        'spec.fabric.vips[0].holders[0]',
        'spec.fabric.vips[1].address',
      ]),
    );
  });
});
