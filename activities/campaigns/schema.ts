// The campaign tables (migration 0010). Merged into `Database` in activities/db/schema.ts.

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

export interface CampaignTables {
  campaigns: CampaignsTable;
  campaign_versions: CampaignVersionsTable;
}
