// Tables of the archive: what units submitted (every version) and the audit log of everything that happened.
// They outlive Temporal's retention: closed cycles stay readable from here.

export interface SubmissionsTable {
  cycle_id: string;
  unit_id: string;
  phase: 'plan' | 'report';
  version: number;
  idempotency_key: string;
  /** PlanContent or ReportContent as JSON */
  content_json: string;
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

export interface ArchiveTables {
  submissions: SubmissionsTable;
  audit_log: AuditLogTable;
}
