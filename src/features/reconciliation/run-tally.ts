import type { DeliveredRecord, Finding, Mismatch, MismatchKind, ReconciledTarget, ReconciliationReport, ReconciliationWindow, Unchecked, UncheckedReason } from './reconciliation';

/** Failed exchanges in a row after which a run stops asking a system: the rest of its deliveries are unchecked. */
export const UNREACHABLE_AFTER_FAILURES = 3;

/** A delivery as the run read it: its place in the order deliveries were delivered. */
export type ReadRecord = DeliveredRecord & { seq: number };

/** What a run found so far: the sales and returns checked, the mismatches, what was left unchecked and why. */
export class RunTally {
  private seq = 0;
  private readonly sales = new Set<string>();
  private readonly returns = new Set<string>();
  private readonly mismatches: { seq: number; mismatch: Mismatch }[] = [];
  private readonly uncheckedEntries = new Map<string, Unchecked>();
  private readonly failures = new Map<ReconciledTarget, { inARow: number; unreachable?: string }>();

  read(record: DeliveredRecord): ReadRecord {
    return { ...record, seq: this.seq++ };
  }

  /** The delivery was compared with its system: these are what disagrees (none: it agrees). */
  checked(record: ReadRecord, findings: Finding[]): void {
    this.failuresOf(record.target).inARow = 0;
    (record.kind === 'sale' ? this.sales : this.returns).add(record.global_id);
    for (const finding of findings) {
      const { kind, order_id, expected, found, detail } = finding;
      this.mismatches.push({ seq: record.seq, mismatch: { kind, global_id: record.global_id, order_id, target: record.target, expected, found, detail } });
    }
  }

  /** The system failed to answer for this delivery; after UNREACHABLE_AFTER_FAILURES in a row it is not asked again. */
  failed(record: ReadRecord, error: string): void {
    const failures = this.failuresOf(record.target);
    failures.inARow += 1;
    if (failures.inARow >= UNREACHABLE_AFTER_FAILURES) failures.unreachable ??= error;
    this.unchecked(record, 'unreachable', error);
  }

  /** Why the run no longer asks this system, if it does not. */
  unreachable(target: ReconciledTarget): string | undefined {
    return this.failures.get(target)?.unreachable;
  }

  unchecked(record: ReadRecord, reason: UncheckedReason, detail: string): void {
    this.uncheckedCount(record.target, reason, 1, detail);
  }

  uncheckedCount(target: ReconciledTarget, reason: UncheckedReason, deliveries: number, detail: string): void {
    const key = `${target}/${reason}`;
    const entry = this.uncheckedEntries.get(key) ?? { target, reason, deliveries: 0, detail };
    this.uncheckedEntries.set(key, { ...entry, deliveries: entry.deliveries + deliveries, detail });
  }

  report(window: ReconciliationWindow): ReconciliationReport {
    return {
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      checked: { sales: this.sales.size, returns: this.returns.size },
      mismatches: [...this.mismatches].sort((a, b) => a.seq - b.seq).map(({ mismatch }) => mismatch),
      unchecked: [...this.uncheckedEntries.values()],
    };
  }

  /** What the run's record keeps: how many were checked, mismatches per kind, unchecked deliveries per system. */
  counts(): { checked: ReconciliationReport['checked']; mismatches: Partial<Record<MismatchKind, number>>; unchecked: Partial<Record<ReconciledTarget, number>> } {
    const mismatches: Partial<Record<MismatchKind, number>> = {};
    for (const { mismatch } of this.mismatches) mismatches[mismatch.kind] = (mismatches[mismatch.kind] ?? 0) + 1;
    const unchecked: Partial<Record<ReconciledTarget, number>> = {};
    for (const entry of this.uncheckedEntries.values()) unchecked[entry.target] = (unchecked[entry.target] ?? 0) + entry.deliveries;
    return { checked: { sales: this.sales.size, returns: this.returns.size }, mismatches, unchecked };
  }

  private failuresOf(target: ReconciledTarget) {
    const failures = this.failures.get(target) ?? { inARow: 0 };
    this.failures.set(target, failures);
    return failures;
  }
}
