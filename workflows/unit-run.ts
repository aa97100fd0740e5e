// What one run of a unit's task (workflows/unit.ts) is made of: its input, the state it carries through
// continue-as-new, its size limits, and the context its message handlers share (workflows/unit-children.ts,
// unit-remind-now.ts, unit-submissions.ts). Types and constants only, beside the two refusal helpers.
import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import type { DeadlinePlan } from '../domain/calendar';
import type { UnitKind } from '../domain/directory';
import { validationMessage } from './field-errors';
import type { Phase } from './report';
import type { UnitState } from './unit-state';
import type { PackedChildren } from './unit-state-packing';

/** Temporal handles many more, but a workflow with thousands of pending children is slow to load. */
export const MAX_DIRECT_CHILDREN = 500;
/** children are listed and started this many at a time */
export const START_PAGE = 50;

/**
 * A unit continues as new when the server suggests it or, whichever comes first, when its history passes these
 * (Temporal warns at 10,240 events / 10 MB and terminates at 51,200 / 50 MB): far below, since one loop pass can
 * add a few hundred events (a wave of children's reports) before the next check.
 */
export const HISTORY_EVENTS_BUDGET = 4_000;
export const HISTORY_BYTES_BUDGET = 4 * 1024 * 1024;

/** What a unit's run carries through continue-as-new: its state, and where its start-up stands. */
export type RunState = UnitState & {
  taskSent: boolean;
  childrenStarted: boolean;
  /** workflow time (ms) of the last "remind now" per phase: the rate limit (absent in runs before it) */
  remindedNowAtMs?: Partial<Record<Phase, number>>;
};

export interface UnitWorkflowInput {
  cycleId: string;
  year: number;
  unitId: string;
  kind: UnitKind;
  /** 0 = the cycle's root */
  depth: number;
  parentUnitId: string | null;
  grandparentUnitId: string | null;
  rootUnitId: string;
  /** the workflow this unit reports to: its parent unit's, or the cycle workflow for the root */
  reportToWorkflowId: string;
  plan: DeadlinePlan;
  childCount: number;
  /** at most this many children per workflow; more go through batch workflows (default MAX_DIRECT_CHILDREN) */
  maxDirectChildren?: number;
  /** continue as new past this many history events (default HISTORY_EVENTS_BUDGET; tests use a small number) */
  continueAsNewAfterEvents?: number;
  /**
   * reports this unit may send upward per UPWARD_WINDOW_MS (default UPWARD_BURST); a benchmark sets a number out
   * of reach to measure the tree as it ran before the pacing (bench:soak --no-upward-pacing)
   */
  upwardBurst?: number;
  /** carried over by continue-as-new */
  resume?: ResumedState;
}

/** What continue-as-new carries: the state; since PACK_CHILDREN_PATCH its children packed, `children` empty. */
export type ResumedState = RunState & { packedChildren?: PackedChildren };

export interface UnitBatchWorkflowInput {
  parent: UnitWorkflowInput;
  offset: number;
  limit: number;
}

/** What the handlers of one run share with its main loop (all of it lives in unitWorkflow's closure). */
export interface UnitRun {
  readonly input: UnitWorkflowInput;
  readonly state: RunState;
  readonly workflowId: string;
  /** ids of each child's subtree kept per list (AGGREGATE_LIST_CAP shared by all children) */
  readonly sampleQuota: number;
  /** the keys of the scheduled events already handled */
  readonly done: Set<string>;
  /** workflow time of a calendar instant (the rehearsal timeline applied) */
  wall(instant: string): number;
  /** the calendar instant of now */
  calendarNow(): string;
  /** `at`: the scheduled instant for timer events (exact, whatever the worker's delay), else now. */
  audit(kind: string, key: string, actor: string, channel: string, data: Record<string, unknown>, at?: string): Promise<void>;
  /** every write to a child's entry goes through here (the running aggregate and the escalation rounds follow) */
  setChild(id: string, entry: UnitState['children'][string]): void;
  /** the state changed: report upward at the loop's next pass */
  markDirty(): void;
  /** marks events scheduled before now as handled (no burst of stale reminders) */
  skipPast(keys: { key: string; atMs: number }[]): void;
}

/** The key of a scheduled reminder of a phase (also what an extension marks as past). */
export function reminderKey(phase: Phase, at: string): string {
  return `reminder:${phase}:${at}`;
}

export function rejected(message: string): never {
  // Thrown from a validator, this rejects the update before anything is written to history.
  throw ApplicationFailure.create({ type: 'SubmissionRejected', message, nonRetryable: true });
}

export function parseOrReject<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  rejected(validationMessage(parsed.error));
}
