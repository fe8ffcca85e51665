#!/usr/bin/env node
// Where does the Approvals page spend its first second? Boots the backend like
// `yarn bench --only approvals` (PostgreSQL, 5,000 proposals), signs in as olivia.operator in
// headless Chromium and opens /approvals with the HTTP cache off, then prints the page's
// timeline: every request (start and end, from navigation start), the main thread's long tasks,
// and when the first page of proposals and the "Waiting for me" count were on screen.
//
//   node bench/profile-approvals.mts [--runs 3] [--warm]
import { log } from './lib/common.mts';
import { startBackend } from './lib/backend.mts';
import { launchChromium, signIn } from './frontend.mts';
import {
  openPortalAtCatalog,
  queueReady,
  seedProposals,
} from './approvals.mts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const warm = args.includes('--warm');
const inApp = args.includes('--in-app');

async function main() {
  const backend = await startBackend({
    label: 'profile-approvals',
    database: 'postgres',
    // --no-visits: the home plugin's visit tracking off (it writes user settings on every page).
    ...(args.includes('--no-visits')
      ? {
          config: {
            app: {
              extensions: [
                { 'api:home/visits': false },
                { 'app-root-element:home/visit-listener': false },
              ],
            },
          },
        }
      : {}),
  });
  try {
    const waiting = await seedProposals(backend, 5000);
    log(`5000 proposals, ${waiting} waiting`);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ baseURL: backend.baseUrl });
      const first = await context.newPage();
      await signIn(first, 'olivia.operator', 'fabric-dev');
      await first.goto('/approvals');
      await queueReady(first);
      await first.close();
      for (let run = 0; run < runs; run++) {
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: !warm });
        await page.addInitScript(() => {
          const marks: Record<string, number> = {};
          (window as any).__marks = marks;
          new MutationObserver(() => {
            const text = document.body?.textContent ?? '';
            if (!marks.header && text.includes('Review, approve and apply'))
              marks.header = performance.now();
            if (!marks.progress && document.querySelector('[role="progressbar"]'))
              marks.progress = performance.now();
            if (!marks.table && document.querySelector('table[aria-label="Proposals"]'))
              marks.table = performance.now();
          }).observe(document, { subtree: true, childList: true, characterData: true });
          const tasks: Array<[number, number]> = [];
          (window as any).__longTasks = tasks;
          new PerformanceObserver(list => {
            for (const e of list.getEntries())
              tasks.push([Math.round(e.startTime), Math.round(e.duration)]);
          }).observe({ type: 'longtask', buffered: true });
        });
        let origin = 0;
        if (inApp) {
          const link = await openPortalAtCatalog(page);
          if (args.includes('--abort-settings')) {
            await page.route('**/api/user-settings/**', r => r.abort());
          }
          if (args.includes('--cpu')) {
            await cdp.send('Profiler.enable');
            await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
            await cdp.send('Profiler.start');
          }
          origin = await link.evaluate((a: HTMLElement) => {
            performance.clearResourceTimings();
            (window as any).__longTasks.length = 0;
            const at = performance.now();
            a.click();
            return at;
          });
        } else {
          await page.goto('/approvals');
        }
        await queueReady(page);
        if (inApp && args.includes('--cpu')) {
          const { profile } = await cdp.send('Profiler.stop');
          const byId = new Map(profile.nodes.map(n => [n.id, n]));
          const self = new Map<string, number>();
          const byScript = new Map<string, number>();
          const deltas = profile.timeDeltas ?? [];
          profile.samples?.forEach((id, i) => {
            const node = byId.get(id)!;
            const ms = (deltas[i] ?? 0) / 1000;
            const script =
              node.callFrame.url.replace(/.*\/static\//, '') || '(native)';
            const fn = `${node.callFrame.functionName || '(anon)'} ${script}`;
            self.set(fn, (self.get(fn) ?? 0) + ms);
            byScript.set(script, (byScript.get(script) ?? 0) + ms);
          });
          const top = (m: Map<string, number>, n: number) =>
            [...m]
              .sort((a, b) => b[1] - a[1])
              .slice(0, n)
              .map(([k, v]) => `    ${v.toFixed(0).padStart(5)} ms  ${k}`)
              .join('\n');
          process.stdout.write(
            `  CPU by script:\n${top(byScript, 12)}\n  CPU by function:\n${top(self, 25)}\n`,
          );
        }
        const ready = await page.evaluate(
          o => Math.round(performance.now() - o),
          origin,
        );
        const marks = await page.evaluate(
          o =>
            Object.entries((window as any).__marks as Record<string, number>)
              .map(([k, v]) => `${k} ${Math.round(v - o)}`)
              .join(', '),
          origin,
        );
        process.stdout.write(`  marks: ${marks}\n`);
        const timeline = await page.evaluate(o => {
          const nav = performance.getEntriesByType(
            'navigation',
          )[0] as PerformanceNavigationTiming;
          return {
            nav: {
              responseEnd: Math.round(nav.responseEnd),
              domInteractive: Math.round(nav.domInteractive),
              domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
              load: Math.round(nav.loadEventEnd),
            },
            resources: performance
              .getEntriesByType('resource')
              .map(e => {
                const r = e as PerformanceResourceTiming;
                return {
                  name: r.name.replace(/^https?:\/\/[^/]+/, ''),
                  start: Math.round(r.startTime - o),
                  end: Math.round(r.responseEnd - o),
                  kb: Math.round(r.decodedBodySize / 1024),
                };
              })
              .sort((a, b) => a.start - b.start),
            longTasks: (
              (window as any).__longTasks as Array<[number, number]>
            ).map(([start, duration]) => [Math.round(start - o), duration]),
          };
        }, origin);
        process.stdout.write(
          `\nrun ${run + 1} (${inApp ? 'from the sidebar' : warm ? 'warm' : 'cold'}): ready at ${ready} ms; ${JSON.stringify(
            timeline.nav,
          )}\n`,
        );
        for (const r of timeline.resources) {
          process.stdout.write(
            `  ${String(r.start).padStart(5)} -> ${String(r.end).padStart(5)} ms ${String(
              r.kb,
            ).padStart(5)} KiB  ${r.name.slice(0, 110)}\n`,
          );
        }
        const busy = timeline.longTasks.reduce((sum, [, d]) => sum + d, 0);
        process.stdout.write(
          `  long tasks (${busy} ms in all): ${timeline.longTasks
            .map(([s, d]) => `${s}+${d}`)
            .join(' ')}\n`,
        );
        await page.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    await backend.stop();
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
