import { CustomErrorBase } from '@backstage/errors';

/** An upload over a configured size limit; answered with 413. */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
}
