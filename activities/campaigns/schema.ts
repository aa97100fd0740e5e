// The campaign tables (migrations 0010, 0014, 0015). Merged into `Database` in activities/db/schema.ts.

export interface CampaignsTable {
  /** the campaign's slug (domain/campaign.ts CAMPAIGN_ID) */
  id: string;
  created_by: string;
  created_at: string;
}

export interface CampaignVersionsTable {
  campaign_id: string;
  /** 1, 2, … per campaign */
  version: number;
  /** the CampaignDefinition as JSON text, as parsed (defaults applied) */
  definition_json: string;
  created_by: string;
  created_at: string;
  updated_by: string;
  updated_at: string;
  /** 1 once a cycle uses this version: it never changes again */
  frozen: number;
  /** the cycle that froze it first */
  frozen_by: string | null;
  frozen_at: string | null;
}

/** Which version each cycle or programme runs (migration 0014): one row per user, the first freeze kept. */
export interface CampaignVersionUsesTable {
  /** a cycle id or a programme id */
  used_by: string;
  campaign_id: string;
  version: number;
  used_at: string;
}

/** The deadline plan a cycle of a campaign computed at its start (migration 0015). */
export interface CampaignCyclePlansTable {
  cycle_id: string;
  /** PhasedDeadlinePlan as JSON text */
  plan_json: string;
  recorded_at: string;
}

export interface CampaignTables {
  campaigns: CampaignsTable;
  campaign_versions: CampaignVersionsTable;
  campaign_version_uses: CampaignVersionUsesTable;
  campaign_cycle_plans: CampaignCyclePlansTable;
}
