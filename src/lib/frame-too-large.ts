/**
 * One event of an upstream stream (or the unfinished bytes of one) grew past the framer's limit.
 * Every stream framer throws this (or a subclass), so the gateway maps any of them to one error.
 */
export class FrameTooLargeError extends Error {
  constructor(
    readonly limitBytes: number,
    what = 'stream event',
  ) {
    super(`${what} larger than ${limitBytes} bytes`);
    this.name = 'FrameTooLargeError';
  }
}
