import { test, expect } from './fixtures';
import { signIn } from './helpers';

// The guard every spec runs under (fixtures.ts): a page that reaches out to another host is
// refused and recorded, and the test fails at its end unless the test consumed the record.
test('a request to a non-local host is refused and recorded', async ({
  page,
  blockedRequests,
  newContext,
}) => {
  await signIn(page);
  const external = 'https://fonts.googleapis.com/css?family=Roboto';
  const outcome = await page.evaluate(
    url =>
      fetch(url).then(
        () => 'loaded',
        () => 'refused',
      ),
    external,
  );
  expect(outcome).toBe('refused');
  // A second person's context is guarded too.
  const other = await (await newContext()).newPage();
  await other.goto('/');
  await other.evaluate(() => {
    const img = document.createElement('img');
    img.src = 'http://203.0.113.7/pixel.png';
    document.body.append(img);
  });
  await expect.poll(() => blockedRequests.length).toBe(2);
  expect(blockedRequests).toEqual([
    `GET ${external}`,
    'GET http://203.0.113.7/pixel.png',
  ]);
  // Consumed here, so this test's own end-of-test check passes.
  blockedRequests.length = 0;
  // The portal itself still loads.
  const local = await page.evaluate(() => fetch('/').then(r => r.status));
  expect(local).toBe(200);
});
