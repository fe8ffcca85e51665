import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, useNavigate } from 'react-router-dom';
import { configApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, TestApiProvider } from '@backstage/frontend-test-utils';
import { visitsApiRef } from '@backstage/plugin-home';
import {
  FabricVisitListener,
  TITLE_WAIT_MS,
  entityRefFromPath,
} from './FabricVisitListener';

function GoTo({ to }: { to: string }) {
  const navigate = useNavigate();
  return <button onClick={() => navigate(to)}>go</button>;
}

function renderAt(path: string, next = '/elsewhere') {
  const save = jest.fn().mockResolvedValue(undefined);
  render(
    <TestApiProvider
      apis={[
        [configApiRef, mockApis.config({ data: { app: { title: 'Fabric Portal' } } })],
        [visitsApiRef, { save, list: jest.fn() }],
      ]}
    >
      <MemoryRouter initialEntries={[path]}>
        <FabricVisitListener />
        <GoTo to={next} />
      </MemoryRouter>
    </TestApiProvider>,
  );
  return save;
}

const savedNames = (save: jest.Mock) =>
  save.mock.calls.map(([{ visit }]) => [visit.pathname, visit.name]);

describe('FabricVisitListener', () => {
  beforeEach(() => {
    document.title = 'Fabric Portal';
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('names a visit after the title the page sets once it has loaded', async () => {
    const save = renderAt('/approvals/proposals/0000abcd');
    expect(save).not.toHaveBeenCalled();
    document.title = 'Increase Birds quotas | Fabric Portal';
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    expect(savedNames(save)).toEqual([
      ['/approvals/proposals/0000abcd', 'Increase Birds quotas'],
    ]);
  });

  it('does not take the previous page title for the new page', async () => {
    document.title = 'Approvals | Fabric Portal';
    const save = renderAt('/fabric/zakon');
    // The old page's title goes first, an older page's flashes by, then the page's own.
    document.title = 'Fabric Portal';
    document.title = 'Failure-domain impact | Fabric Portal';
    // The flash stays 100 ms: seen by the listener, shorter than it waits for a title to settle
    // (timers fire in order of their due time, so this holds on a slow machine too).
    await act(() => new Promise(resolve => setTimeout(resolve, 100)));
    document.title = 'ZAKON registry | Fabric Portal';
    await waitFor(() => expect(save).toHaveBeenCalledTimes(1));
    expect(savedNames(save)).toEqual([['/fabric/zakon', 'ZAKON registry']]);
  });

  it('falls back to a name from the path when the page sets no title', () => {
    jest.useFakeTimers();
    const save = renderAt('/catalog/default/tenant/project-birds/proposals');
    act(() => {
      jest.advanceTimersByTime(TITLE_WAIT_MS);
    });
    expect(savedNames(save)).toEqual([
      ['/catalog/default/tenant/project-birds/proposals', 'project-birds: Proposals'],
    ]);
    expect(save.mock.calls[0][0].visit.entityRef).toBe(
      'tenant:default/project-birds',
    );
    // Saved once: the timer does not save the same visit again.
    act(() => {
      jest.advanceTimersByTime(TITLE_WAIT_MS * 2);
    });
    expect(save).toHaveBeenCalledTimes(1);
  });

  it("does not take the previous page's title when the page sets none", () => {
    jest.useFakeTimers();
    document.title = 'Evidence | Fabric Portal';
    const save = renderAt('/');
    act(() => {
      jest.advanceTimersByTime(TITLE_WAIT_MS);
    });
    expect(savedNames(save)).toEqual([['/', 'Home']]);
  });

  it('saves a page left before it set its title, under a name from its path', async () => {
    document.title = 'Drift | Fabric Portal';
    const save = renderAt('/approvals', '/drift');
    fireEvent.click(screen.getByRole('button', { name: 'go' }));
    // The next page's visit waits for its own title.
    expect(savedNames(save)).toEqual([['/approvals', 'Approvals']]);
    document.title = 'Drift runs | Fabric Portal';
    await waitFor(() => expect(save).toHaveBeenCalledTimes(2));
    expect(savedNames(save)[1]).toEqual(['/drift', 'Drift runs']);
  });
});

describe('entityRefFromPath', () => {
  it('reads an entity ref from a catalog path, and nothing from others', () => {
    expect(entityRefFromPath('/catalog/default/Tenant/project-birds')).toBe(
      'tenant:default/project-birds',
    );
    expect(entityRefFromPath('/approvals')).toBeUndefined();
    expect(entityRefFromPath('/catalog/default/tenant')).toBeUndefined();
  });
});
