import fs from 'node:fs';
import path from 'node:path';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { parse } from 'yaml';
import {
  PatternTextField,
  describeTextErrors,
  patternTextValidation,
} from './PatternTextField';

// The real New site template in the scaffolder's own form: a name that breaks the naming rule
// is refused with the rule in words, once, and never with the regular expression.

jest.setTimeout(60_000);

const template = parse(
  fs.readFileSync(
    path.resolve(__dirname, '../../../../templates/new-site/template.yaml'),
    'utf8',
  ),
);
const patience = { timeout: 15_000 };

beforeAll(() => {
  window.scrollTo = jest.fn() as any;
});

describe('describeTextErrors', () => {
  it('turns a pattern error into the hint and keeps other errors', () => {
    expect(
      describeTextErrors(
        ['must match pattern "^a$"', 'must NOT have more than 63 characters'],
        'use a',
      ),
    ).toEqual(['use a', 'must NOT have more than 63 characters']);
  });

  it('says something readable when a template forgot the hint', () => {
    expect(describeTextErrors(['must match pattern "^a$"'], undefined)).toEqual(
      ['has a form this field does not accept'],
    );
  });

  it('shows one message for repeated errors and none for none', () => {
    expect(
      describeTextErrors(
        ['must match pattern "x"', 'must match pattern "x"'],
        'h',
      ),
    ).toEqual(['h']);
    expect(describeTextErrors(undefined, 'h')).toEqual([]);
  });
});

describe('the New site form', () => {
  it('refuses a name outside the naming rule with the rule in words, once', async () => {
    const onCreate = jest.fn(async () => {});
    await renderInTestApp(
      <Stepper
        manifest={{
          title: template.metadata.title,
          steps: template.spec.parameters.map((step: any) => ({
            title: step.title,
            schema: step,
          })),
        }}
        extensions={[
          {
            name: 'FabricText',
            component: PatternTextField,
            validation: patternTextValidation,
          },
          { name: 'OwnerPicker', component: () => null },
        ]}
        initialState={{ owner: 'group:default/web-team' }}
        onCreate={onCreate}
      />,
    );
    const name = await screen.findByRole(
      'textbox',
      { name: /^Name/ },
      patience,
    );
    await userEvent.type(name, 'shop-web');
    await userEvent.type(
      screen.getByRole('textbox', { name: /^Domain/ }),
      'shop.alai.no',
    );
    await userEvent.click(screen.getByRole('button', { name: /Next|Review/ }));

    // The field says the rule under the input (the form's summary above may repeat it).
    await waitFor(
      () =>
        expect(name).toHaveAccessibleDescription(
          /use alai-<product>-web for an ALAI property/,
        ),
      patience,
    );
    expect(screen.queryByText(/pattern/)).toBeNull();
    expect(screen.queryByText(/\^\(alai/)).toBeNull();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(onCreate).not.toHaveBeenCalled();

    // A name that follows the rule clears the message.
    await userEvent.clear(name);
    await userEvent.type(name, 'alai-shop-web');
    await userEvent.click(screen.getByRole('button', { name: /Next|Review/ }));
    await waitFor(
      () =>
        expect(
          screen.queryByText(/use alai-<product>-web for an ALAI property/),
        ).toBeNull(),
      patience,
    );
  });
});
