/** A {@link MassSignalPolicy} that records its calls (into a log shared with the caller) and answers as told. */
import type { MassSignalPolicy } from '../../src/signal/policy.js';
import type { PidfdResult } from '../../src/system.js';

export class FakePolicy implements MassSignalPolicy {
  /** Fd table sizes asked for, in order. */
  readonly rooms: number[] = [];
  raised = false;
  constructor(
    /** Where `room`, `raise` and `lower` are logged, in order with the caller's own entries. */
    readonly log: string[] = [],
    /** What makeRoom answers. */
    private readonly roomResult: PidfdResult = 0,
    /** Whether a raise succeeds. */
    private readonly raiseResult = true,
    /** The policy's untilOutput (the CLI's is true). */
    untilOutput = true,
  ) {
    this.raise.untilOutput = untilOutput;
  }
  readonly batch = {
    makeRoom: (_anyFd: number, slots: number): PidfdResult => {
      this.log.push('room');
      this.rooms.push(slots);
      return this.roomResult;
    },
  };
  readonly raise = {
    untilOutput: true,
    raise: (): boolean => {
      this.log.push('raise');
      this.raised = this.raiseResult;
      return this.raiseResult;
    },
    lower: (): void => {
      if (!this.raised) return;
      this.log.push('lower');
      this.raised = false;
    },
  };
}
