import type { Migration } from 'kysely';
import * as m0001 from './0001_directory';
import * as m0002 from './0002_mail';
import * as m0003 from './0003_archive';
import * as m0004 from './0004_web';
import * as m0005 from './0005_aggregates';
import * as m0006 from './0006_redact_task_links';
import * as m0007 from './0007_mail_dispatch';
import * as m0008 from './0008_web_security';
import * as m0009 from './0009_content_hash_and_root_index';
import * as m0010 from './0010_campaigns';
import * as m0011 from './0011_files';
import * as m0012 from './0012_web_bulk_jobs';
import * as m0013 from './0013_issuing_documents';
import * as m0014 from './0014_campaign_version_uses';
import * as m0015 from './0015_campaign_cycle_plans';

// Ordered by name. A landed migration is never edited: add a new one.
// Migrations must work on both SQLite and PostgreSQL (use Kysely's schema builder, portable types:
// 'text', 'integer', 'bigint'; store instants as ISO-8601 text; JSON as text).
export const migrations: Record<string, Migration> = {
  '0001_directory': m0001,
  '0002_mail': m0002,
  '0003_archive': m0003,
  '0004_web': m0004,
  '0005_aggregates': m0005,
  '0006_redact_task_links': m0006,
  '0007_mail_dispatch': m0007,
  '0008_web_security': m0008,
  '0009_content_hash_and_root_index': m0009,
  '0010_campaigns': m0010,
  '0011_files': m0011,
  '0012_web_bulk_jobs': m0012,
  '0013_issuing_documents': m0013,
  '0014_campaign_version_uses': m0014,
  '0015_campaign_cycle_plans': m0015,
};
