import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { driftApiRef } from '@internal/plugin-drift';
import { evidenceApiRef } from '@internal/plugin-evidence';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  BIRDS,
  ORCHARD,
  driftApi,
  evidenceApi,
} from '../__testUtils__/citations';
import {
  Harness,
  HarnessProps,
  birds,
  orchard,
} from '../__testUtils__/harness';
import { ReviewValueField } from './ReviewValueField';

jest.setTimeout(30_000);
const patience = { timeout: 15_000 };

const withTitle = (title: string, entity = birds()) => ({
  ...entity,
  metadata: { ...entity.metadata, title },
});

async function render(props: Partial<HarnessProps>) {
  const onValue = jest.fn();
  await renderInTestApp(
    <Harness
      field={ReviewValueField}
      name="tenantForReview"
      title="Tenant"
      siblings={{ tenant: BIRDS }}
      uiOptions={{ of: 'tenant' }}
      onValue={onValue}
      {...props}
    />,
    {
      apis: [
        [
          catalogApiRef,
          catalogApiMock({
            entities: [
              withTitle('Project Birds'),
              withTitle('Project Orchard', orchard()),
            ],
          }),
        ],
        [evidenceApiRef, evidenceApi()],
        [driftApiRef, driftApi()],
      ],
    },
  );
  return onValue;
}

describe('ReviewValueField', () => {
  it("holds the chosen tenant's title for the Review step", async () => {
    const onValue = await render({});
    await waitFor(
      () => expect(onValue).toHaveBeenLastCalledWith('Project Birds'),
      patience,
    );
    expect(onValue).not.toHaveBeenCalledWith(BIRDS);
  });

  it('follows another choice of tenant', async () => {
    const onValue = await render({ laterSiblings: { tenant: ORCHARD } });
    await waitFor(
      () => expect(onValue).toHaveBeenLastCalledWith('Project Birds'),
      patience,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'change the other fields' }),
    );
    await waitFor(
      () => expect(onValue).toHaveBeenLastCalledWith('Project Orchard'),
      patience,
    );
  });

  it('keeps a value it already holds, and writes nothing while nothing is chosen', async () => {
    const kept = await render({ initial: 'Project Birds' });
    const empty = await render({ siblings: {} });
    // rjsf holds an empty list (its default for an array field) where nothing is picked.
    const emptyList = await render({
      siblings: {},
      uiOptions: { of: 'environments' },
      initial: [],
    });
    // Long enough for a read and a deferred write.
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(kept).not.toHaveBeenCalled();
    expect(empty).not.toHaveBeenCalled();
    expect(emptyList).not.toHaveBeenCalled();
  });
});
