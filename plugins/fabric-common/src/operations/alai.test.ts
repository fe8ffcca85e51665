import { parseWithProblems } from '../problems';
import { dnsConsolidationSchema, sentinelSchema } from './alai';

const sentinel = () => ({
  channel: '#infra-alerts',
  uptimeCheck: {
    interval: 'every 5 minutes (cron)',
    okStatuses: [200, 301, 302],
    sites: ['https://alai.no'],
  },
  alerts: [
    {
      metric: 'Build failure',
      threshold: 'Any failed build on main',
      channel: '#infra-alerts',
      l1: 'Alert with build URL + error log',
      l2: 'Kelsey reviews workflow, checks CF Pages build log',
      l3: 'Revert last commit: git revert HEAD && git push',
    },
  ],
});

describe('ALAI hosting blocks', () => {
  it('names the field of a bad SENTINEL block', () => {
    const bad = sentinel();
    bad.uptimeCheck.sites = ['http://alai.no'];
    const result = parseWithProblems(
      sentinelSchema,
      bad,
      'alai-sentinel spec.sentinel',
    );
    expect(result.success).toBe(false);
    expect(!result.success && result.problems).toEqual([
      { path: 'uptimeCheck.sites[0]', message: 'must be an https:// URL' },
    ]);
    const noL3 = sentinel() as any;
    delete noL3.alerts[0].l3;
    const missing = parseWithProblems(sentinelSchema, noL3, 's');
    expect(!missing.success && missing.problems[0].path).toBe('alerts[0].l3');
    expect(parseWithProblems(sentinelSchema, sentinel(), 's').success).toBe(
      true,
    );
  });

  it('names the field of a bad DNS consolidation block', () => {
    const result = parseWithProblems(
      dnsConsolidationSchema,
      {
        target: 'Cloudflare DNS',
        nameservers: ['ana.ns.cloudflare.com'],
        reportedState: [{ provider: 'Vercel', domains: -1 }],
        steps: ['Change nameservers'],
      },
      'alai-dns-consolidation spec.dnsConsolidation',
    );
    expect(!result.success && result.problems).toEqual([
      { path: 'reportedState[0].domains', message: 'must not be negative' },
    ]);
  });
});
