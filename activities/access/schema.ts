// The access token table (migration 0002_mail). Merged into `Database` in activities/db/schema.ts.

export interface AccessTokensTable {
  /** hex SHA-256 of the token; the token itself is never stored */
  token_hash: string;
  /** 'unit-task' */
  purpose: string;
  cycle_id: string;
  unit_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface AccessTables {
  access_tokens: AccessTokensTable;
}
