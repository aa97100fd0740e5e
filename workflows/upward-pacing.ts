// How often a unit reports upward. Every change anywhere below reaches each ancestor as a childReport signal,
// so without a limit the root of a province processes a share of every change in it (bench/README.md,
// bench:scale: 1,320–1,803 events at the root after 2,000 units started and 600 plans). A child therefore sends
// its first reports at once and then at most UPWARD_BURST per UPWARD_WINDOW_MS of workflow time: a report held
// back is not queued but replaced, since each one carries the child's whole latest state (the parent keeps the
// highest seq), and it goes when the window allows, before a continue-as-new, and at the close; nothing is held
// in the last window before the close. Pure: the
// workflow passes its clock in.

/** Patch id: runs that started before it send every change at once (and replay so). */
export const COALESCE_UPWARD_REPORTS_PATCH = 'v5-soak-coalesce-upward-reports';

/** Reports a child may send in any window (a quiet unit's few changes go up at once: no lag in small trees). */
export const UPWARD_BURST = 3;

/**
 * The window, in workflow time (wall time, in a rehearsal too): a held report is at most this late at each level.
 * In the last window before the close nothing is held, so every change reaches the parent before its final.
 */
export const UPWARD_WINDOW_MS = 30_000;

export class UpwardPacer {
  /** the instants of the last sends, at most `burst`, oldest first */
  private sentAtMs: number[] = [];
  /** a report is held back: the latest state goes at `releaseAtMs()` */
  held = false;

  constructor(
    private readonly burst = UPWARD_BURST,
    private readonly windowMs = UPWARD_WINDOW_MS,
  ) {}

  /** Whether a report may go now: fewer than `burst` were sent in the window before `nowMs`. */
  mayReport(nowMs: number): boolean {
    return this.sentAtMs.filter((at) => nowMs - at < this.windowMs).length < this.burst;
  }

  sent(nowMs: number): void {
    this.sentAtMs = [...this.sentAtMs, nowMs].slice(-this.burst);
    this.held = false;
  }

  /** When the held report may go (undefined: nothing held). */
  releaseAtMs(): number | undefined {
    if (!this.held) return undefined;
    return this.sentAtMs.length < this.burst ? 0 : this.sentAtMs[0]! + this.windowMs;
  }
}
