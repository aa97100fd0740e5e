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

/** A browser that used a unit's link (migration 0008): the cookie holds the session id, this table its hash. */
export interface UnitLinkSessionsTable {
  session_hash: string;
  /** the link it used (access_tokens.token_hash) */
  token_hash: string;
  cycle_id: string;
  unit_id: string;
  /** as the browser sent it, at most LINK_SESSION_USER_AGENT_CHARS */
  user_agent: string;
  created_at: string;
  last_seen_at: string;
  /** set when the unit's officer ended it: the browser is refused while it keeps the cookie */
  revoked_at: string | null;
}

export interface AccessTables {
  access_tokens: AccessTokensTable;
  unit_link_sessions: UnitLinkSessionsTable;
}
