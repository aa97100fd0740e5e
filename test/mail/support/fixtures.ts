import { loadConfig, type Config } from '../../../common/config';
import { migrateToLatest, openDatabase, type Db } from '../../../activities/db/database';
import { upsertUnits } from '../../../activities/directory/repository';
import type { UnitInput } from '../../../activities/directory/types';
import { createMailActivities, type MailActivities } from '../../../activities/mail/activities';
import { createMailDispatcher, type MailDispatcher } from '../../../activities/mail/dispatcher';
import { createMailer, type Mailer } from '../../../activities/mail/transport';
import { startSmtpSink, type SinkOptions, type SmtpSink } from '../../support/smtp-sink';

export const ROOT = 'LDLD-HN';
export const DISTRICT = 'LDLD-LB';
/** an English-speaking intermediate: the union of the Thang Long industrial zone */
export const ZONE = 'CDKCN-TL';
export const MAY = 'CDCS-0412';
export const CANON = 'CDCS-0413';
export const HOSTILE = 'CDCS-0666';
/** a unit whose officer address no longer exists */
export const STALE = 'CDCS-0777';
export const STALE_EMAIL = 'hopthu-cu@aimo.edu.vn';
export const CYCLE = 'cycle-2027-LDLD-HN';
export const REHEARSAL = 'rehearsal-2027-LDLD-HN-20270101120000';
export const PUBLIC_URL = 'https://baocao.ldld-hn.vn';
export const SENDER_DOMAIN = 'ldld-hn.vn';
/** Thursday 25/03/2027 08:00 in Hanoi */
export const NOW = new Date('2027-03-25T01:00:00.000Z');
/** Wednesday 31/03/2027 23:59:59 in Hanoi */
export const PLAN_DUE = '2027-03-31T16:59:59.000Z';
export const REPORT_DUE = '2027-11-30T16:59:59.000Z';
export const CLOSES = '2027-12-31T16:59:59.000Z';

const unit = (u: Partial<UnitInput> & Pick<UnitInput, 'id' | 'name' | 'kind' | 'parentId' | 'officer' | 'chair'>): UnitInput => ({
  language: 'vi',
  activeFrom: '2020-01-01',
  activeTo: null,
  distribution: [],
  ...u,
});

export const UNITS: UnitInput[] = [
  unit({
    id: ROOT,
    name: 'Liên đoàn Lao động thành phố Hà Nội',
    kind: 'root',
    parentId: null,
    chair: { name: 'Phạm Quang Thanh', email: 'chutich@ldld-hn.vn' },
    officer: { name: 'Nguyễn Thị Hằng', email: 'tuyengiao@ldld-hn.vn' },
    distribution: [
      { name: 'Tổng Liên đoàn Lao động Việt Nam', email: 'vanphong@congdoanvn.org.vn' },
      { name: 'Ban Dân vận Thành ủy Hà Nội', email: 'danvan@hanoi.org.vn' },
    ],
  }),
  unit({
    id: DISTRICT,
    name: 'Liên đoàn Lao động quận Long Biên',
    kind: 'intermediate',
    parentId: ROOT,
    chair: { name: 'Lê Thị Thu Hương', email: 'chutich@ldld-longbien.vn' },
    officer: { name: 'Đỗ Văn Quyết', email: 'tuyengiao@ldld-longbien.vn' },
    distribution: [
      { name: 'Liên đoàn Lao động thành phố Hà Nội', email: 'tonghop@ldld-hn.vn' },
      { name: 'Quận ủy Long Biên', email: 'vanphong@quanuy-longbien.vn' },
    ],
  }),
  unit({
    id: ZONE,
    name: 'Công đoàn các Khu công nghiệp Thăng Long',
    kind: 'intermediate',
    parentId: ROOT,
    language: 'en',
    chair: { name: 'Trịnh Văn Khải', email: 'chair@kcn-thanglong.example' },
    officer: { name: 'Mai Thị Phương', email: 'office@kcn-thanglong.example' },
    distribution: [{ name: 'Liên đoàn Lao động thành phố Hà Nội', email: 'tonghop@ldld-hn.vn' }],
  }),
  unit({
    id: MAY,
    name: 'Công đoàn cơ sở Công ty CP May Đức Giang',
    kind: 'grassroots',
    parentId: DISTRICT,
    chair: { name: 'Hoàng Thị Nguyệt', email: 'chutich@may-ducgiang.vn' },
    officer: { name: 'Vũ Đình Trọng', email: 'congdoan@may-ducgiang.vn' },
  }),
  unit({
    id: CANON,
    name: 'Công đoàn cơ sở Công ty TNHH Canon Việt Nam',
    kind: 'grassroots',
    parentId: ZONE,
    language: 'en',
    chair: { name: 'Ngô Minh Tuấn', email: 'union.chair@canon-vn.example' },
    officer: { name: 'Bùi Thị Lan', email: 'union.office@canon-vn.example' },
  }),
  unit({
    id: HOSTILE,
    name: 'Công đoàn cơ sở <img src=x onerror=alert(1)> & "Ánh Sáng"',
    kind: 'grassroots',
    parentId: DISTRICT,
    chair: { name: 'Chủ tịch <b>', email: 'chair@hostile.example' },
    officer: { name: 'Cán bộ <script>alert(1)</script>', email: 'officer@hostile.example' },
  }),
  unit({
    id: STALE,
    name: 'Công đoàn cơ sở Trường Tiểu học Ái Mộ',
    kind: 'grassroots',
    parentId: DISTRICT,
    chair: { name: 'Đặng Thị Mai', email: 'hieutruong@aimo.edu.vn' },
    officer: { name: 'Lý Văn Hùng', email: STALE_EMAIL },
  }),
];

export async function testDb(): Promise<Db> {
  const db = openDatabase({ kind: 'sqlite', file: ':memory:' });
  await migrateToLatest(db);
  await upsertUnits(db, UNITS);
  return db;
}

export function testConfig(smtpUrl: string): Config {
  return loadConfig({
    SMTP_URL: smtpUrl,
    BAOCAO_PUBLIC_URL: PUBLIC_URL,
    MAIL_FROM: `"Ban Tuyên giáo – LĐLĐ Hà Nội" <baocao@${SENDER_DOMAIN}>`,
    MAIL_REPLY_TO: `tuyengiao@${SENDER_DOMAIN}`,
    MAIL_POOL_SIZE: '3',
  });
}

export interface MailHarness {
  sink: SmtpSink;
  db: Db;
  mailer: Mailer;
  config: Config;
  /** the activities, at NOW: they queue */
  mail: MailActivities;
  /** the worker's dispatcher, at NOW unless told an instant: it delivers (not started: tests drive it) */
  dispatcher: MailDispatcher;
  /** every email queued so far delivered as far as it goes at `at` (default NOW) */
  deliver(at?: Date): ReturnType<MailDispatcher['idle']>;
  close(): Promise<void>;
}

/** A migrated in-memory database with the units above, an SMTP sink, and the activities wired to both. */
export async function mailHarness(sinkOptions: SinkOptions = {}): Promise<MailHarness> {
  const sink = await startSmtpSink(sinkOptions);
  const database = await testDb();
  const config = testConfig(sink.url);
  // nodemailer's limiter waits on the wall clock: off in tests
  const mailer = createMailer(config.mail, { rateLimit: false });
  const mail = createMailActivities({ mailer, db: database, config, now: () => NOW });
  const dispatcher = createMailDispatcher({ db: database, mailer, config, now: () => NOW, log: () => undefined });
  return {
    sink,
    db: database,
    mailer,
    config,
    mail,
    dispatcher,
    deliver: (at) => dispatcher.idle(at),
    async close() {
      await dispatcher.stop();
      mailer.close();
      await sink.close();
      await database.destroy();
    },
  };
}

/**
 * Runs the dispatcher as time passes, from `from` one `stepMs` at a time (at most `steps`), until no email is
 * queued any more; returns the instant it stopped at.
 */
export async function deliverOverTime(h: MailHarness, o: { steps: number; stepMs: number; from?: Date }): Promise<Date> {
  let at = o.from ?? NOW;
  await h.dispatcher.idle(at);
  for (let i = 0; i < o.steps; i++) {
    const queued = await h.db.selectFrom('mail_outbox').select('key').where('status', '=', 'queued').execute();
    if (queued.length === 0) return at;
    at = new Date(at.getTime() + o.stepMs);
    await h.dispatcher.idle(at);
  }
  return at;
}
