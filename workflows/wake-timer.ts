// The wait at the bottom of every main loop: until the next scheduled event, or until a signal or an update
// marks the state dirty. `condition(() => dirty, ms)` does that with a fresh timer per pass, and cancels the
// timer whenever a message wakes the loop first. That costs two history events per wake (TimerCanceled, then a
// new TimerStarted) and, when the timer fired in the same task that cancels it, the Java time-skipping server
// refuses the task and never schedules the run again (sdk-java#2606, #3088; test/foundation/stranded-run.test.ts).
//
// WakeTimer keeps its timer across passes instead: a pass starts a new timer only when the next event is due
// earlier than the kept one, or the kept one has fired. So no timer is ever cancelled. A kept timer that fires
// before anything is due costs one empty pass; a superseded one fires unheeded.
import { condition, patched, sleep } from '@temporalio/workflow';

/** Main loops wait on a kept timer (no CancelTimer command) in runs past this patch; before it, on condition's own. */
export const KEEP_WAKE_TIMER_PATCH = 'v8-keep-wake-timer';

interface KeptTimer {
  readonly atMs: number;
  fired: boolean;
}

export class WakeTimer {
  private kept: KeptTimer | undefined;

  /** Resolves when `woken()` holds or the clock reaches `atMs`, whichever comes first; at once if `atMs` has passed. */
  async waitUntil(atMs: number, woken: () => boolean): Promise<void> {
    const ms = atMs - Date.now();
    if (ms <= 0) return;
    if (!patched(KEEP_WAKE_TIMER_PATCH)) {
      await condition(woken, ms);
      return;
    }
    const timer = this.timerFor(atMs, ms);
    await condition(() => woken() || timer.fired);
  }

  private timerFor(atMs: number, ms: number): KeptTimer {
    const kept = this.kept;
    if (kept && !kept.fired && kept.atMs <= atMs) return kept;
    const timer: KeptTimer = { atMs, fired: false };
    this.kept = timer;
    // a cancelled workflow rejects its wait in condition(); the timer's own rejection is then of no interest
    void sleep(ms).then(
      () => {
        timer.fired = true;
      },
      () => undefined,
    );
    return timer;
  }
}
