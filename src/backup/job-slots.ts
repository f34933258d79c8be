// Account-wide limits on jobs running at once (restores, exports, imports). A slot is taken
// synchronously when a request is accepted and given back when its job ends, so requests arriving
// together cannot all pass the check before any job has been recorded.
import { DynamoError } from '../model/errors.js';

export class JobSlots {
  private used = 0;

  constructor(
    /** How many jobs may run at once. */
    readonly max: number,
    /** The LimitExceededException text when none is free. */
    private readonly limitText: string,
  ) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes a slot or throws LimitExceededException; the returned function gives it back (once). */
  acquire(): () => void {
    if (this.used >= this.max) throw new DynamoError('LimitExceededException', this.limitText);
    this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used--;
    };
  }
}
