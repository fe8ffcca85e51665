import { redirectUrlProblem } from './redirectGuard';

const app = 'http://localhost:3000';

describe('redirectUrlProblem', () => {
  it.each([
    'http://localhost:3000',
    'http://localhost:3000/',
    'http://localhost:3000/catalog?filters%5Bkind%5D=component#top',
    'http://localhost:3000?x=1',
  ])('accepts %s, a page of the app', url => {
    expect(redirectUrlProblem(url, app)).toBeUndefined();
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['protocol-relative', '//evil.example/'],
    ['a relative path', '/catalog'],
    // An attacker's value, never evaluated here.
    // eslint-disable-next-line no-script-url
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['user info', 'http://localhost:3000@evil.example/'],
    ['user info and path', 'http://localhost:3000:pw@evil.example/x'],
    ['another port', 'http://localhost:3001/'],
    ['a longer host', 'http://localhost:3000.evil.example/'],
    ['another scheme', 'https://localhost:3000/'],
    ['backslash', 'http://localhost:3000\\@evil.example'],
    ['backslash path', 'http://localhost:3000/\\evil.example'],
    ['double slash path', 'http://localhost:3000//evil.example'],
    ['a tab', 'http://localhost:3000/\t/evil.example'],
    ['a newline', 'http://localhost:3000/\n'],
    ['upper-case scheme', 'HTTP://localhost:3000/'],
    ['an empty value', ''],
  ])('refuses %s', (_what, url) => {
    expect(redirectUrlProblem(url, app)).toEqual(expect.any(String));
  });

  it('refuses a repeated or structured parameter', () => {
    expect(redirectUrlProblem([app, 'https://evil.example'], app)).toMatch(
      /once/,
    );
    expect(redirectUrlProblem({ a: app }, app)).toMatch(/once/);
  });
});
