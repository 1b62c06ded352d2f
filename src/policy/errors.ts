/**
 * A policy export that cannot be read: the file as the user named it, the line (1-based) where the
 * problem is, and what is wrong there. One error stops the reading: a policy read in part would
 * make the comparison report differences that are not there.
 */
export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}
