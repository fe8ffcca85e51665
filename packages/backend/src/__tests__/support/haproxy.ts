import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, waitFor } from './bootBackend';

/** Debian's haproxy (scripts/setup.sh installs it). */
export const HAPROXY = '/usr/sbin/haproxy';

/**
 * Requests one replica works on at once; the rest queue in HAProxy. A Node.js replica answers
 * one request at a time on its event loop: more in flight only lengthens the line in front of
 * the health check, which HAProxy sends outside this limit. Without it, 20 clients on one
 * replica of a loaded machine delayed the readiness check past its 3 s timeout, HAProxy took
 * its only server out and answered 503 (no server) to 1,475 requests in 30 s.
 */
const MAXCONN = 8;

/**
 * A real load balancer on loopback in front of backend replicas, configured as an operator
 * would put one in front of Backstage: health checks on the readiness route (a replica that is
 * starting or shutting down gets no new requests), a connection that could not be made is tried
 * on another replica (nothing was sent yet, so even a POST is safe to retry), and a request
 * that reached a replica is never sent twice.
 */
export async function startHaproxy(options: {
  dir: string;
  servers: Array<{ name: string; port: number }>;
  /** The listen port (default: a free one). */
  port?: number;
  /**
   * One log line per request in `haproxy.log` (status, timings, termination state, which
   * server): what the benchmark reads to name every failed request.
   */
  httpLog?: boolean;
}) {
  const port = options.port ?? (await freePort());
  const config = path.join(options.dir, 'haproxy.cfg');
  fs.writeFileSync(
    config,
    [
      'global',
      '  maxconn 2000',
      ...(options.httpLog ? ['  log stdout format raw local0'] : []),
      'defaults',
      '  mode http',
      ...(options.httpLog ? ['  log global', '  option httplog'] : []),
      '  timeout connect 2s',
      '  timeout client 120s',
      '  timeout server 120s',
      // A health check on a loaded machine may take longer than the check interval; only a
      // replica that does not answer within this is taken out (connection refused is at once).
      '  timeout check 3s',
      // Requests beyond a replica's maxconn wait here (not on the replica's event loop) for up
      // to this long; a queued request has reached no replica yet, so it may go to any.
      '  timeout queue 60s',
      '  retries 3',
      '  option redispatch',
      '  retry-on conn-failure',
      'frontend portal',
      `  bind 127.0.0.1:${port}`,
      '  default_backend replicas',
      'backend replicas',
      '  balance roundrobin',
      '  option httpchk GET /.backstage/health/v1/readiness',
      '  http-check expect status 200',
      '  default-server inter 500ms fall 2 rise 2',
      ...options.servers.map(
        s => `  server ${s.name} 127.0.0.1:${s.port} check maxconn ${MAXCONN}`,
      ),
      '',
    ].join('\n'),
  );
  execFileSync(HAPROXY, ['-c', '-q', '-f', config]);
  const log = path.join(options.dir, 'haproxy.log');
  const out = fs.openSync(log, 'a');
  const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', config], {
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor('haproxy to listen', async () => {
    if (child.exitCode !== null) {
      throw new Error(fs.readFileSync(log, 'utf8'));
    }
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/liveness`);
      await res.arrayBuffer();
      return true;
    } catch {
      return undefined;
    }
  });
  return {
    baseUrl,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
