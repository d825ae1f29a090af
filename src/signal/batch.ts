/**
 * Batched sends: confirmed targets held, pinned, and sent to in one tight loop (the CLI's way of sending, see
 * {@link SendBatch}).
 */
import type { System } from '../system.js';
import type { MassSignalPolicy } from './policy.js';
import { type Pin, type SendResult, unpin } from './send.js';

/** Pins a run holds before it asks for an fd table of its own: with Node's ~20 fds, below the 64 of a new table. */
const SMALL_BATCH = 16;
/**
 * The most pins a batch holds (an fd table of 16,384 slots, 128 KiB), and so the most sends in one raised loop (about
 * 2-3 µs each).
 */
const LARGE_BATCH = 16384;

/** What a batch needs from its run. */
export interface BatchOptions<V extends { readonly pin: Pin }> {
  readonly sys: System;
  /** The CLI's policy: the fd table and the priority of the send loop. */
  readonly policy: MassSignalPolicy;
  /** Sends to one held target (through its pin): nothing that blocks. */
  readonly send: (v: V) => SendResult;
  /** Records a send's result (the report, events, the wait list); true when the wait list keeps the pin. */
  readonly record: (v: V, result: SendResult) => boolean;
  /** No pin is kept after its send (no wait): the loop then closes each pin right after its send. */
  readonly closeInLoop: boolean;
  /** Pins a wait may keep besides the batch (room is made for them too). */
  readonly waitPins: number;
  /** Nothing waits after the sends: the last loop may stay raised ({@link MassSignalPolicy.raise}'s untilOutput). */
  readonly noWait: boolean;
  /** The soft limit on open fds (read once, when the batch grows). */
  readonly fdLimit: () => number;
}

/**
 * Confirmed targets held, pinned, until they are sent to in one tight loop: at the end of the scan, when the batch is
 * full, or before an event of the scan (`-e`'s skips, so that stderr keeps psmisc's order: the run calls
 * {@link SendBatch.flush}). psmisc sends as it scans; with thousands of matches each signal wakes a process that
 * preempts the sender, so that the sender spends most of the run waiting for a CPU while its victims exit
 * (bench/README.md). Here the scan runs before any victim wakes, and in a mass signal the loop of sends (and,
 * without a wait, of closes) runs raised to SCHED_FIFO where the policy allows it
 * ({@link MassSignalPolicy.raise}), so that the victims cannot preempt it; the bookkeeping (the report, `-v`'s lines,
 * the wait list) follows, lowered.
 *
 * Race-freedom is unchanged: each pin was confirmed (the scan's stat fd read again after pinning) before it was
 * held, and a pin is what the signal goes through. Used only when the caller passed a {@link MassSignalPolicy} (the
 * CLI; not under `--explain`, whose narration goes process by process): past {@link SMALL_BATCH} pins it asks the
 * policy for room in the fd table, and then holds up to half the soft fd limit (a quarter with a wait, whose list may
 * keep another quarter; at most {@link LARGE_BATCH}) and raises its sends; if that is refused it sends every
 * {@link SMALL_BATCH}, unraised. docs/reliability.md "Batched sends".
 */
export class SendBatch<V extends { readonly pin: Pin }> {
  private readonly held: V[] = [];
  private capacity = SMALL_BATCH;
  private grown = false;
  /** The policy made room for a large batch: a mass signal, whose sends are raised. */
  private large = false;
  constructor(private readonly o: BatchOptions<V>) {}

  /** Holds `v`; sends the batch when it is full. */
  add(v: V): void {
    this.held.push(v);
    if (this.held.length < this.capacity) return;
    if (!this.grown) {
      this.grown = true;
      // A batch that fills before the scan ends is sent at once, and the rest of the scan then runs among the
      // exits: hence as large a share of the fd limit as is safe.
      const limit = this.o.fdLimit();
      const share = Math.floor(limit / (this.o.closeInLoop ? 2 : 4));
      const capacity = Math.max(SMALL_BATCH, Math.min(LARGE_BATCH, share));
      // Room for the batch, the wait list's pins, and Node's own fds and the scan's (at most a few dozen).
      const slots = Math.min(limit - 1, capacity + this.o.waitPins + 256);
      if (this.o.policy.batch.makeRoom(v.pin.fd, slots) === 0) {
        this.large = true;
        this.capacity = capacity;
        if (this.held.length < this.capacity) return;
      }
    }
    this.flush();
  }

  /**
   * Sends to every held target in order, records the results, and releases every pin the wait list does not keep.
   * `last`: the scan is over.
   */
  flush(last = false): void {
    const held = this.held;
    if (held.length === 0) return;
    const { sys, policy, send, record, closeInLoop } = this.o;
    const results: SendResult[] = [];
    let closed = 0;
    // The first error of the loop or of the bookkeeping, rethrown once every pin not kept is released (the pins not
    // yet sent to are released unsent).
    let error: { e: unknown } | undefined;
    const raised = this.large && policy.raise.raise();
    try {
      for (let i = 0; i < held.length; i++) {
        results.push(send(held[i]!));
        if (closeInLoop) {
          closed++;
          unpin(sys, held[i]!.pin);
        }
      }
    } catch (e) {
      error = { e };
    } finally {
      // Lowered now, unless the policy lowers before its next output (then the bookkeeping of the last loop runs
      // raised, before the exiting victims).
      if (raised && !(last && this.o.noWait && policy.raise.untilOutput)) policy.raise.lower();
    }
    for (let i = 0; i < held.length; i++) {
      const v = held[i]!;
      let keep = false;
      try {
        if (i < results.length) keep = record(v, results[i]!);
      } catch (e) {
        error ??= { e };
      }
      try {
        if (!keep && i >= closed) unpin(sys, v.pin);
      } catch (e) {
        error ??= { e };
      }
    }
    held.length = 0;
    if (error) throw error.e;
  }

  /** Releases every held pin without sending. */
  release(): void {
    for (const v of this.held) unpin(this.o.sys, v.pin);
    this.held.length = 0;
  }
}
