import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { repoRoot } from './support/bootBackend';

// Every manifest under deploy/kubernetes validated offline against the Kubernetes OpenAPI
// schemas that `kubernetes-models` ships (compiled validators, no cluster, no network), plus
// what a schema cannot see: the pods the Service, PDB and Ingress point at exist, the probes hit
// Backstage's health routes, and every variable app-config.production.yaml reads comes from a
// Secret.

const deployDir = path.join(repoRoot, 'deploy/kubernetes');

interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; [key: string]: unknown };
  spec?: any;
  [key: string]: unknown;
}

/** Schema errors of each object (undefined when valid), from kubernetes-models' validators. */
function schemaErrors(objects: object[]): (string | undefined)[] {
  const input = JSON.stringify(
    objects.map(o => {
      const { file: _file, ...data } = o as Manifest;
      return data;
    }),
  );
  const out = execFileSync(
    process.execPath,
    [path.join(__dirname, 'support/validateKubernetes.mjs')],
    { input, cwd: __dirname },
  );
  return (JSON.parse(out.toString()) as { ok: boolean; error?: string }[]).map(
    r => (r.ok ? undefined : r.error),
  );
}

const kustomization = parse(
  fs.readFileSync(path.join(deployDir, 'kustomization.yaml'), 'utf8'),
);

const manifests: Manifest[] = (kustomization.resources as string[]).flatMap(
  file =>
    parseAllDocuments(fs.readFileSync(path.join(deployDir, file), 'utf8')).map(
      doc => ({ ...(doc.toJS() as Manifest), file }),
    ),
);

const byKind = (kind: string) => manifests.filter(m => m.kind === kind);
const deployment = byKind('Deployment')[0];
const podLabels = deployment.spec.template.metadata.labels as Record<
  string,
  string
>;
const container = deployment.spec.template.spec.containers[0];

const selects = (selector: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => podLabels[k] === v);

describe('deploy/kubernetes', () => {
  it('lists every manifest of the folder in kustomization.yaml', () => {
    const files = fs
      .readdirSync(deployDir)
      .filter(f => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .sort();
    expect([...kustomization.resources].sort()).toEqual(files);
    expect(manifests.map(m => m.kind).sort()).toEqual([
      'Deployment',
      'Ingress',
      'PodDisruptionBudget',
      'Service',
      'ServiceAccount',
    ]);
  });

  it('every manifest is valid against the Kubernetes schema', () => {
    const errors = schemaErrors(manifests);
    expect(
      manifests.map((m, i) => [`${m.kind} ${m.metadata.name}`, errors[i]]),
    ).toEqual(manifests.map(m => [`${m.kind} ${m.metadata.name}`, undefined]));
  });

  it('the schema check catches what kubectl would refuse', () => {
    const broken = [
      // A string where an integer belongs.
      { ...deployment, spec: { ...deployment.spec, replicas: 'three' } },
      // A Deployment without its pod template.
      { ...deployment, spec: { ...deployment.spec, template: undefined } },
      // A probe port that is neither a number nor a name.
      {
        ...deployment,
        spec: {
          ...deployment.spec,
          template: {
            ...deployment.spec.template,
            spec: {
              ...deployment.spec.template.spec,
              containers: [
                { ...container, ports: [{ containerPort: 'http' }] },
              ],
            },
          },
        },
      },
    ];
    const errors = schemaErrors(broken);
    expect(errors).toEqual([
      expect.stringMatching(/replicas/),
      expect.stringMatching(/template/),
      expect.stringMatching(/containerPort/),
    ]);
  });

  it('runs at least two replicas that roll without losing capacity', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(selects(deployment.spec.selector.matchLabels)).toBe(true);
  });

  it('probes the Backstage health routes on the container port', () => {
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 7007, protocol: 'TCP' },
    ]);
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/readiness',
      port: 'http',
    });
    expect(container.livenessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/liveness',
      port: 'http',
    });
  });

  it('sets resources and runs as the non-root user of the image', () => {
    expect(container.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
    });
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    // Longer than the production config's shutdown delay plus task drain, so SIGKILL never
    // cuts Backstage's own drain short.
    const lifecycle = parse(
      fs.readFileSync(
        path.join(repoRoot, 'app-config.production.yaml'),
        'utf8',
      ),
    ).backend.lifecycle;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(
      lifecycle.serverShutdownDelay.seconds +
        lifecycle.requestDrainTimeout.seconds +
        lifecycle.taskDrainTimeout.seconds +
        10,
    );
  });

  it('keeps a replica through voluntary disruptions, and the Service and Ingress reach the pods', () => {
    const [pdb] = byKind('PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBe(1);
    expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
    const [service] = byKind('Service');
    expect(selects(service.spec.selector)).toBe(true);
    expect(service.spec.ports[0].targetPort).toBe('http');
    const [ingress] = byKind('Ingress');
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({
      name: service.metadata.name,
      port: { name: service.spec.ports[0].name },
    });
  });

  it('takes every variable the production config reads from a Secret, and nothing secret inline', () => {
    const productionConfig = fs.readFileSync(
      path.join(repoRoot, 'app-config.production.yaml'),
      'utf8',
    );
    const read = new Set(
      [...productionConfig.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)].map(m => m[1]),
    );
    expect(read.size).toBeGreaterThan(10);
    const env = new Map<string, any>(
      container.env.map((e: any) => [e.name, e]),
    );
    for (const name of read) {
      expect({ name, source: env.get(name)?.valueFrom?.secretKeyRef }).toEqual({
        name,
        source: { name: 'fabric-portal', key: name },
      });
    }
    // Inline values are only for settings that are not secrets.
    const inline = container.env
      .filter((e: any) => e.value !== undefined)
      .map((e: any) => e.name);
    expect(inline).toEqual(['NODE_OPTIONS']);
  });
});
