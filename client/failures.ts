// A failure as the user reads it: Temporal wraps the real cause in layers (update failed → activity task
// failed → ApplicationFailure, or workflow failed → child workflow failed → activity …); the user needs the
// innermost cause, its type and its message, and where it happened — never a bare "Activity task failed".
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/client';

/** Refusals of the workflows' update validators: already written for people, shown as they are. */
const REFUSAL_TYPES = new Set(['SubmissionRejected']);

function layers(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 20; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

function where(layer: unknown): string | undefined {
  if (layer instanceof ActivityFailure) return `activity ${layer.activityType}`;
  if (layer instanceof ChildWorkflowFailure) return `workflow ${layer.execution?.workflowId ?? layer.workflowType}`;
  return undefined;
}

/** One readable reason: `<where> failed / lỗi ở <where>: <Type>: <message>`, or a refusal's own words. */
export function failureReason(err: unknown): string {
  const chain = layers(err);
  const innermost = chain.at(-1);
  if (innermost instanceof ApplicationFailure && innermost.type && REFUSAL_TYPES.has(innermost.type)) return innermost.message;
  const places = chain.map(where).filter((w): w is string => w !== undefined);
  const type =
    innermost instanceof ApplicationFailure
      ? (innermost.type ?? 'Error')
      : innermost instanceof TerminatedFailure
        ? 'Terminated'
        : innermost instanceof TimeoutFailure
          ? 'Timeout'
          : innermost instanceof Error
            ? innermost.name
            : 'Error';
  const message = innermost instanceof Error ? innermost.message : String(innermost);
  const cause = `${type}: ${message}`;
  if (places.length === 0) return cause;
  const place = places.join(' → ');
  return `${place} failed / lỗi ở ${place} — ${cause}`;
}
