import { darken, getContrastRatio, lighten } from '@mui/material/styles';
import type { ChipColour } from './format';

/** WCAG 2.1 AA for normal text (1.4.3). */
export const MIN_CONTRAST = 4.5;

/**
 * The chip colours with the text darkened (on a light background) or lightened (on a dark one)
 * just enough to reach 4.5:1, the background untouched: each plugin's colour table keeps its
 * hue, and no state is ever shown in text too faint to read.
 */
export function readableColour(colour: ChipColour): ChipColour {
  if (getContrastRatio(colour.fg, colour.bg) >= MIN_CONTRAST) return colour;
  const towardsBlack =
    getContrastRatio('#000', colour.bg) >= getContrastRatio('#fff', colour.bg);
  for (let step = 1; step <= 20; step++) {
    const fg = towardsBlack
      ? darken(colour.fg, step / 20)
      : lighten(colour.fg, step / 20);
    if (getContrastRatio(fg, colour.bg) >= MIN_CONTRAST)
      return { ...colour, fg };
  }
  return { ...colour, fg: towardsBlack ? '#000000' : '#ffffff' };
}
