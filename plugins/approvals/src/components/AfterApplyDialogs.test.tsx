import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fakeApprovalsApi,
  makeProposal,
  makeView,
} from '../__testUtils__/fakeApprovalsApi';
import { renderProposal } from '../__testUtils__/renderProposal';

// Dialog tests type into MUI fields inside a full test app, which is slow on a 2-core machine.
jest.setTimeout(90_000);

const ID = makeProposal().id;
const PACKET = '3f2a9c4e-7b1d-4e8a-9c2f-5d6e7f8a9b0c';

function withState(overrides: Parameters<typeof makeProposal>[0]) {
  return fakeApprovalsApi({
    getProposal: jest.fn(async () =>
      makeView({ proposal: makeProposal(overrides) }),
    ),
  });
}

/** Sets a field's value in one change event (typing key by key is slow on a loaded machine). */
function fill(dialog: HTMLElement, label: RegExp, value: string) {
  fireEvent.change(within(dialog).getByLabelText(label), {
    target: { value },
  });
}

async function openDialog(name: string) {
  await userEvent.click(
    await screen.findByRole('button', { name }, { timeout: 10_000 }),
  );
  return screen.findByRole('dialog');
}

describe('after apply: verify and roll back on the proposal page', () => {
  it('shows an overdue verify and sends a verify only with a packet', async () => {
    const api = withState({
      state: 'applied',
      appliedAt: '2026-11-20T10:00:00.000Z',
      appliedReference: 'CHG-7',
      verifyOverdueAt: '2026-11-20T11:00:00.000Z',
    });
    renderProposal(api);
    expect(
      await screen.findByText('Verify overdue', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('proposal-verify-overdue')).toHaveTextContent(
      'No verify or rollback yet; overdue since',
    );
    expect(screen.queryByRole('button', { name: 'Mark applied' })).toBeNull();

    const dialog = await openDialog('Verify');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Verify' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Evidence packet id: is required',
    );
    fill(dialog, /Evidence packet id/, 'https://ci.example.com/job/7');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Verify' }),
    );
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'must be an evidence packet id',
      ),
    );
    expect(api.verify).not.toHaveBeenCalled();

    fill(dialog, /Evidence packet id/, PACKET);
    fill(dialog, /Comment/, 'smoke tests green');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Verify' }),
    );
    await waitFor(() =>
      expect(api.verify).toHaveBeenCalledWith(ID, {
        evidence: PACKET,
        comment: 'smoke tests green',
      }),
    );
  });

  it('records a rollback only with a reason and a packet', async () => {
    const api = withState({ state: 'applied', appliedReference: 'CHG-7' });
    renderProposal(api);
    const dialog = await openDialog('Roll back');
    const submit = () =>
      userEvent.click(within(dialog).getByRole('button', { name: 'Roll back' }));
    await submit();
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Reason: is required',
    );
    fill(dialog, /Reason/, 'error rate doubled');
    await submit();
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'Evidence packet id: is required',
      ),
    );
    expect(api.rollback).not.toHaveBeenCalled();
    fill(dialog, /Evidence packet id/, PACKET);
    await submit();
    await waitFor(() =>
      expect(api.rollback).toHaveBeenCalledWith(ID, {
        reason: 'error rate doubled',
        evidence: PACKET,
      }),
    );
  });

  it('refuses to mark applied from the page without a packet', async () => {
    const api = withState({ state: 'approved' });
    renderProposal(api);
    const dialog = await openDialog('Mark applied');
    fill(dialog, /Reference/, 'CHG-8');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Mark applied' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Evidence packet id: is required; name the verified packet of the apply run (or record the apply with yarn fabric apply)',
    );
    expect(api.apply).not.toHaveBeenCalled();
    fill(dialog, /Evidence packet id/, PACKET);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Mark applied' }),
    );
    await waitFor(() =>
      expect(api.apply).toHaveBeenCalledWith(ID, {
        reference: 'CHG-8',
        evidence: PACKET,
      }),
    );
  });
});
