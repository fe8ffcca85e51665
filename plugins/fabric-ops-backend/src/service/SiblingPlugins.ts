import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { AcceptanceRun } from '@internal/plugin-fabric-common';
import { z } from 'zod';

// The evidence and drift plugins have no -node service ref yet, so their HTTP APIs are read
// here, as this plugin (its own service token), after the caller's access to the entity has
// been decided. Every answer is parsed: a sibling's bug must not become ours.

const packetListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      area: z.string(),
      subject: z.string().optional(),
      timestamp: z.string(),
      result: z.string().optional(),
      verdict: z.string(),
    }),
  ),
});

const previewSchema = z.object({ text: z.string() });
const observationsSchema = z.object({
  observations: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/),
      z.string().max(100),
    )
    .optional(),
});
const driftCurrentSchema = z.object({
  verdict: z.string(),
  runs: z.array(z.object({ observedAt: z.string().optional() }).loose()),
});

export interface SiblingReader {
  acceptanceRuns(areas: string[]): Promise<AcceptanceRun[]>;
  observations(packetId: string): Promise<Record<string, string> | undefined>;
  driftVerdict(entityRef: string): Promise<string | undefined>;
}

export class HttpSiblingReader implements SiblingReader {
  constructor(
    private readonly deps: { auth: AuthService; discovery: DiscoveryService },
  ) {}

  private async get(pluginId: string, path: string): Promise<unknown> {
    const { auth, discovery } = this.deps;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: pluginId,
    });
    const base = await discovery.getBaseUrl(pluginId);
    const res = await fetch(`${base}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  async acceptanceRuns(areas: string[]): Promise<AcceptanceRun[]> {
    const lists = await Promise.all(
      [...new Set(areas)].map(async area =>
        packetListSchema.parse(
          await this.get(
            'evidence',
            `/packets?${new URLSearchParams({ area, limit: '500' })}`,
          ),
        ),
      ),
    );
    return lists.flatMap(l =>
      l.items.map(p => ({
        packetId: p.id,
        area: p.area,
        subject: p.subject,
        timestamp: p.timestamp,
        result: p.result,
        verdict: p.verdict,
      })),
    );
  }

  async observations(
    packetId: string,
  ): Promise<Record<string, string> | undefined> {
    try {
      const preview = previewSchema.parse(
        await this.get(
          'evidence',
          `/packets/${encodeURIComponent(packetId)}/preview?path=packet.json`,
        ),
      );
      const parsed = observationsSchema.safeParse(JSON.parse(preview.text));
      return parsed.success ? parsed.data.observations : undefined;
    } catch {
      // No packet.json, or one that is not JSON: the run observed nothing we can use.
      return undefined;
    }
  }

  async driftVerdict(entityRef: string): Promise<string | undefined> {
    const current = driftCurrentSchema.parse(
      await this.get(
        'drift',
        `/current?${new URLSearchParams({ entity: entityRef })}`,
      ),
    );
    return current.runs.length > 0 ? current.verdict : undefined;
  }
}
