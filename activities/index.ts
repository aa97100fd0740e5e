// The one place activities are assembled. Workflows `import type { Activities }` from here for
// proxyActivities; the worker calls createActivities() with real dependencies, tests with test ones.
import type { Transporter } from 'nodemailer';
import type { Config } from '../common/config';
import { auditTrail, recordEvent, storeSubmission, type AuditEventInput, type StoreSubmissionInput } from './archive/store';
import { createCalendarActivities } from './calendar';
import type { Db } from './db/database';
import { cycleChildren, cycleUnitRef, snapshotCycleTree } from './directory/repository';
import type { UnitRef } from './directory/types';
import { createDocumentActivities } from './documents';
import { createFileStorage, storeSubmissionWithFiles, type FileStorage } from './files';
import { createMailActivities } from './mail/activities';
import { createCampaignCycleActivities } from './campaigns/cycle-activities';
import { createCampaignMailActivities } from './campaigns/mail';

export interface ActivityDeps {
  mailer: Transporter;
  db: Db;
  config: Config;
  /** called when an email is queued: the worker's mail dispatcher (activities/mail/dispatcher.ts) kicks in */
  onMailQueued?: () => void;
  /** where attached files are (default: the store config.files names); the archive checks a submission's files there */
  fileStorage?: FileStorage;
}

export function createActivities({ mailer, db, config, onMailQueued, fileStorage }: ActivityDeps) {
  const storage = fileStorage ?? createFileStorage(config.files.store);
  const calendar = createCalendarActivities({ config });
  const mail = createMailActivities({ mailer, db, config, onQueued: onMailQueued });
  const campaignMail = createCampaignMailActivities({ db, config, now: () => new Date(), onQueued: onMailQueued });
  return {
    computeCyclePlan: calendar.computeCyclePlan,
    computePhaseDeadlines: calendar.computePhaseDeadlines,

    snapshotCycleTree: (input: { cycleId: string; rootId: string; asOf: string }) => snapshotCycleTree(db, input),
    listCycleChildren: (input: { cycleId: string; unitId: string; offset: number; limit: number }): Promise<UnitRef[]> =>
      cycleChildren(db, input),
    cycleUnitRef: (input: { cycleId: string; unitId: string }): Promise<UnitRef> => cycleUnitRef(db, input),

    storeSubmission: (input: StoreSubmissionInput) =>
      storeSubmissionWithFiles({ db, storage, maxSubmissionBytes: config.files.maxSubmissionBytes }, input, (i) => storeSubmission(db, i)),
    recordEvent: (input: AuditEventInput) => recordEvent(db, input),
    auditTrail: (input: { cycleId: string; unitId?: string }) => auditTrail(db, input.cycleId, input.unitId),
    ...createDocumentActivities({ db }),

    sendTaskAssignment: mail.sendTaskAssignment,
    sendReminder: mail.sendReminder,
    sendOverdueNotice: mail.sendOverdueNotice,
    sendEscalationDigest: mail.sendEscalationDigest,
    sendLateSubmissionNotice: mail.sendLateSubmissionNotice,
    sendReviewResult: mail.sendReviewResult,
    sendAggregateUpward: mail.sendAggregateUpward,

    // cycles of a campaign (workflows/campaign-cycle.ts, campaign-unit.ts)
    ...createCampaignCycleActivities({ db, config, storage }),
    sendCampaignEmail: campaignMail.sendCampaignEmail,
  };
}

export type Activities = ReturnType<typeof createActivities>;
