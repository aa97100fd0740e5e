// Tables of the archive: what units submitted (every version) and the audit log of everything that happened.
// They outlive Temporal's retention: closed cycles stay readable from here.

export interface SubmissionsTable {
  cycle_id: string;
  unit_id: string;
  /** `plan` | `report`, or a campaign's phase key */
  phase: string;
  version: number;
  idempotency_key: string;
  /** PlanContent or ReportContent as JSON */
  content_json: string;
  /**
   * SHA-256 (hex) of content_json, the content as its schema normalised it (workflows/content-hash.ts; the
   * receipts of the unit workflow keep the same value). Migration 0009 added it and backfilled older rows.
   */
  content_hash: string;
  channel: string;
  submitted_by: string;
  /** calendar instant (ISO) */
  submitted_at: string;
  late: number;
}

export interface AuditLogTable {
  /** deterministic per event (workflow id + event), so a retried activity writes once */
  event_key: string;
  cycle_id: string;
  unit_id: string;
  kind: string;
  /** who did it: a unit id, or 'system' for timers */
  actor: string;
  channel: string;
  /** calendar instant (ISO) */
  at: string;
  data_json: string;
}

/** Every aggregate a node computed and sent (migration 0005): what a closed cycle's documents are built from. */
export interface AggregatesTable {
  /** deterministic per write (workflow id + round), so a retried activity writes once */
  aggregate_key: string;
  cycle_id: string;
  unit_id: string;
  /** calendar instant (ISO) the aggregate was computed at */
  as_of: string;
  /** 1 for the aggregate at the cycle's close */
  final: number;
  /** `Aggregate` (workflows/aggregate-types.ts) as JSON */
  aggregate_json: string;
  /** wall-clock instant of the write (ISO) */
  recorded_at: string;
}

export interface ArchiveTables {
  submissions: SubmissionsTable;
  audit_log: AuditLogTable;
  aggregates: AggregatesTable;
}
