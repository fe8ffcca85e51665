import { nameFromPath, pageTitle, visitName } from './visitName';

const appTitle = 'Fabric Portal';

describe('visitName', () => {
  it('takes the page part of the document title', () => {
    expect(
      visitName({
        pathname: '/fabric/zakon',
        documentTitle: 'ZAKON registry | Fabric Portal',
        appTitle,
      }),
    ).toBe('ZAKON registry');
    expect(
      pageTitle('Proposal | Increase quotas | Fabric Portal', appTitle),
    ).toBe('Proposal | Increase quotas');
  });

  it('falls back to the path when the page set no title of its own', () => {
    const named = (pathname: string) =>
      visitName({ pathname, documentTitle: appTitle, appTitle });
    expect(named('/approvals')).toBe('Approvals');
    expect(named('/catalog/default/tenant/project-birds')).toBe(
      'project-birds',
    );
    expect(named('/catalog/default/tenant/project-birds/proposals')).toBe(
      'project-birds: Proposals',
    );
    expect(
      named('/docs/default/component/fabric-runbooks/dns/rotate-keys/'),
    ).toBe('fabric-runbooks: Rotate keys');
    expect(named('/approvals/proposals/0000abcd')).toBe('Approvals: 0000abcd');
    expect(named('/')).toBe('Home');
  });

  it('leaves out the unread-notifications count the notifications plugin puts first', () => {
    expect(
      visitName({
        pathname: '/approvals/proposals/0000abcd',
        documentTitle: '(37) Walk: more memory for birds | Fabric Portal',
        appTitle,
      }),
    ).toBe('Walk: more memory for birds');
    // A page with no title of its own is still named from its path, count or not.
    expect(
      visitName({
        pathname: '/approvals',
        documentTitle: '(36) Fabric Portal',
        appTitle,
      }),
    ).toBe('Approvals');
    // Only the count: a title that starts with other words in brackets keeps them.
    expect(pageTitle('(draft) Proposal | Fabric Portal', appTitle)).toBe(
      '(draft) Proposal',
    );
  });

  it('never throws on a malformed escape in the path', () => {
    expect(nameFromPath('/catalog/default/tenant/%E0%A4%A')).toBe('%E0%A4%A');
  });

  it('does not mistake a title that only contains the app title for it', () => {
    expect(pageTitle('Fabric Portal runbooks', appTitle)).toBe(
      'Fabric Portal runbooks',
    );
    expect(pageTitle('  Fabric Portal ', appTitle)).toBe('');
    // The home page: its header is named after the app.
    expect(
      pageTitle('Fabric Portal | Fabric Portal | Fabric Portal', appTitle),
    ).toBe('');
  });
});
