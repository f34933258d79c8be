// The "previous peak" of an on-demand table or GSI: the highest traffic it served in one
// second, adopted onDemandPeakAdoptionMinutes after it was reached. DynamoDB serves up to
// double the previous peak instantly; traffic beyond that within 30 minutes may be throttled,
// and once a higher peak is adopted, double of it is available (developer guide, "On-demand
// capacity mode"). Traffic is counted per whole second and kept as one maximum per clock
// minute in a ring, so the state is fixed-size and each request costs a comparison.
import { onDemandPeakAdoptionMinutes } from './capacity-limits.js';

const minutes = onDemandPeakAdoptionMinutes;

export class OnDemandPeak {
  /** Write units per second (a read unit weighs a third). */
  adopted: number;
  private second = -1;
  private secondUnits = 0;
  /** The minute whose adoption was last checked. */
  private checkedMinute = -1;
  /** Per ring slot: the clock minute it holds (-1 none) and that minute's busiest second. */
  private readonly slotMinute = new Float64Array(minutes).fill(-1);
  private readonly slotUnits = new Float64Array(minutes);

  constructor(initialPeak: number) {
    this.adopted = initialPeak;
  }

  /** Counts `units` served now (negative: given back at settlement). */
  add(units: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.closeSecond();
      this.second = second;
    }
    this.secondUnits += units;
  }

  /** Adopts every peak reached 30 minutes ago or earlier; returns whether the adopted peak rose. */
  adoptDue(nowMs: number): boolean {
    const minute = Math.floor(nowMs / 60_000);
    if (minute === this.checkedMinute) return false;
    this.checkedMinute = minute;
    if (Math.floor(nowMs / 1000) !== this.second) {
      this.closeSecond();
      this.second = -1;
    }
    const before = this.adopted;
    for (let slot = 0; slot < minutes; slot++) {
      const slotMinute = this.slotMinute[slot]!;
      if (slotMinute >= 0 && slotMinute <= minute - minutes) this.adoptSlot(slot);
    }
    return this.adopted > before;
  }

  /** The highest second not adopted yet (tests, DescribeTable-style reporting). */
  pendingPeak(): number {
    let pending = this.secondUnits;
    for (let slot = 0; slot < minutes; slot++) if (this.slotMinute[slot]! >= 0) pending = Math.max(pending, this.slotUnits[slot]!);
    return pending;
  }

  private closeSecond(): void {
    if (this.second < 0 || this.secondUnits <= 0) {
      this.secondUnits = 0;
      return;
    }
    const minute = Math.floor(this.second / 60);
    const slot = minute % minutes;
    // A slot still holding an older minute holds one 30 or more minutes old: adopt it first.
    if (this.slotMinute[slot] !== minute) {
      if (this.slotMinute[slot]! >= 0) this.adoptSlot(slot);
      this.slotMinute[slot] = minute;
      this.slotUnits[slot] = 0;
    }
    if (this.secondUnits > this.slotUnits[slot]!) this.slotUnits[slot] = this.secondUnits;
    this.secondUnits = 0;
  }

  private adoptSlot(slot: number): void {
    if (this.slotUnits[slot]! > this.adopted) this.adopted = this.slotUnits[slot]!;
    this.slotMinute[slot] = -1;
    this.slotUnits[slot] = 0;
  }
}
