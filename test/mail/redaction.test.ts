import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { newUnitToken, verifyUnitToken } from '../../activities/access/tokens';
import type { Db } from '../../activities/db/database';
import * as migration0006 from '../../activities/db/migrations/0006_redact_task_links';
import { CLAIM_MS, createMailDispatcher } from '../../activities/mail/dispatcher';
import { composeMessage } from '../../activities/mail/compose';
import { findOutboxMessage, redactSettledTaskLinks } from '../../activities/mail/outbox';
import { REDACTED_TOKEN, redactTaskLinks, TASK_TOKEN_LENGTH, unfoldSoftBreaks } from '../../activities/mail/redact';
import { DieBeforeMark } from './support/die-before-mark';
import { CLOSES, CYCLE, mailHarness, MAY, NOW, PLAN_DUE, PUBLIC_URL, REPORT_DUE, STALE, STALE_EMAIL, type MailHarness } from './support/fixtures';
import type { ReceivedMail as Received } from '../support/smtp-sink';

// A copy of the database (backup, support dump) must not let anyone submit for a unit: the task link's token
// is stored only as a hash, and the outbox's copy of the task email keeps the link only while the email may
// still have to be re-sent byte for byte. Once settled (sent, bounced, undeliverable) the stored copy shows a
// placeholder.

let h: MailHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const taskInput = (unitId: string, key = `${CYCLE}/${unitId}:task`) => ({
  key,
  cycleId: CYCLE,
  year: 2027,
  unitId,
  planDueAt: PLAN_DUE,
  reportDueAt: REPORT_DUE,
  closesAt: CLOSES,
});

const LINK = new RegExp(`${PUBLIC_URL.replace(/[.:/]/g, '\\$&')}/t/([A-Za-z0-9_-]{${TASK_TOKEN_LENGTH}})(?![A-Za-z0-9_-])`);

function tokenIn(mail: Received): string {
  const m = LINK.exec(mail.parsed.text ?? '');
  if (!m) throw new Error(`no task link in "${mail.parsed.subject ?? ''}"`);
  return m[1]!;
}

/** `table.column` of every cell of every table that holds `needle` (also across quoted-printable soft breaks). */
async function cellsHolding(db: Db, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of await db.introspection.getTables()) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(db)).rows;
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (value !== null && unfoldSoftBreaks(String(value)).includes(needle)) found.push(`${table.name}.${column}`);
      }
    }
  }
  return found;
}

async function expectRedacted(db: Db, key: string, sent: Received, token: string): Promise<void> {
  const row = (await findOutboxMessage(db, key))!;
  expect(await cellsHolding(db, token)).toEqual([]);
  // the token overwritten in place: same length, same headers and Message-ID, nothing else changed
  const wire = sent.raw.toString('utf8');
  expect(row.raw).not.toBe(wire);
  expect(row.raw).toHaveLength(wire.length);
  expect(row.raw).toBe(redactTaskLinks(wire));
  const stored = await simpleParser(row.raw);
  expect(stored.messageId).toBe(sent.messageId);
  expect(stored.subject).toBe(sent.parsed.subject);
  expect(stored.text).toContain(`${PUBLIC_URL}/t/${REDACTED_TOKEN}`);
  expect(stored.html).toContain(`href="${PUBLIC_URL}/t/${REDACTED_TOKEN}"`);
}

describe('task links in the outbox', () => {
  it('after a task email is sent, no column of any table holds its token; the emailed link works', async () => {
    h = await mailHarness();
    expect((await h.mail.sendTaskAssignment(taskInput(MAY))).status).toBe('queued');
    await h.deliver();
    expect(h.sink.messages).toHaveLength(1);
    const sent = h.sink.messages[0]!;
    const token = tokenIn(sent);
    expect(sent.parsed.html).toContain(`href="${PUBLIC_URL}/t/${token}"`);
    expect(await verifyUnitToken(h.db, token, NOW)).toEqual({ cycleId: CYCLE, unitId: MAY });
    await expectRedacted(h.db, taskInput(MAY).key, sent, token);
    // a replay finds the settled row and sends nothing
    expect((await h.mail.sendTaskAssignment(taskInput(MAY))).status).toBe('already-sent');
    expect(h.sink.messages).toHaveLength(1);
  });

  it('a crash between the send and the mark: the retry sends the same bytes, Message-ID and working link, then redacts', async () => {
    h = await mailHarness();
    const die = new DieBeforeMark();
    const dying = createMailDispatcher({ db: h.db.withPlugin(die), mailer: h.mailer, config: h.config, now: () => NOW, log: () => undefined });
    const input = taskInput(MAY);
    await h.mail.sendTaskAssignment(input);
    expect((await dying.runOnce()).errors).toEqual([expect.stringMatching(/worker killed/)]);
    expect(die.kills).toBe(1);
    const first = h.sink.messages[0]!;
    const token = tokenIn(first);
    // still `queued`: the stored bytes are what the retry must send again, link included
    const waiting = (await findOutboxMessage(h.db, input.key))!;
    expect(waiting.status).toBe('queued');
    expect(waiting.raw).toBe(first.raw.toString('utf8'));
    expect(await cellsHolding(h.db, token)).toEqual(['mail_outbox.raw']);

    expect(await h.deliver(new Date(NOW.getTime() + CLAIM_MS + 1000))).toMatchObject({ sent: 1 });
    expect(h.sink.messages).toHaveLength(2);
    const second = h.sink.messages[1]!;
    expect(second.messageId).toBe(first.messageId);
    expect(second.raw.equals(first.raw)).toBe(true);
    expect(tokenIn(second)).toBe(token);
    expect(await verifyUnitToken(h.db, token, NOW)).toEqual({ cycleId: CYCLE, unitId: MAY });
    expect(await h.db.selectFrom('access_tokens').select('token_hash').execute()).toHaveLength(1);
    await expectRedacted(h.db, input.key, second, token);
  });

  it('a recipient deferred (4xx) keeps the link stored until the retry reaches it; then it is redacted', async () => {
    let deferChair = true;
    h = await mailHarness({ defer: (address) => deferChair && address === 'chutich@may-ducgiang.vn' });
    const input = taskInput(MAY);
    await h.mail.sendTaskAssignment(input);
    expect(await h.deliver()).toMatchObject({ deferred: 1 });
    const token = tokenIn(h.sink.messages[0]!);
    expect((await findOutboxMessage(h.db, input.key))?.status).toBe('queued');
    expect(await cellsHolding(h.db, token)).toEqual(['mail_outbox.raw']);
    deferChair = false;
    expect(await h.deliver(new Date(NOW.getTime() + 3600_000))).toMatchObject({ sent: 1 });
    expect((await findOutboxMessage(h.db, input.key))?.status).toBe('sent');
    const toChair = h.sink.messages.at(-1)!;
    expect(toChair.envelopeTo).toEqual(['chutich@may-ducgiang.vn']);
    expect(tokenIn(toChair)).toBe(token);
    await expectRedacted(h.db, input.key, toChair, token);
  });

  it('a task email refused by every recipient (bounced) is redacted too', async () => {
    const chair = 'hieutruong@aimo.edu.vn';
    h = await mailHarness({ refuse: (address) => ([STALE_EMAIL, chair].includes(address) ? '5.1.1 User unknown' : undefined) });
    await h.mail.sendTaskAssignment(taskInput(STALE));
    await h.deliver();
    const row = (await findOutboxMessage(h.db, taskInput(STALE).key))!;
    expect(row.status).toBe('bounced');
    // nothing was delivered to read the token from: every 43-character link in the stored copy is the placeholder
    const stored = await simpleParser(row.raw);
    expect(stored.text).toContain(`${PUBLIC_URL}/t/${REDACTED_TOKEN}`);
    expect(unfoldSoftBreaks(row.raw)).not.toMatch(/\/t\/[A-Za-z0-9_-]{43}/);
    // the secretariat's alert names the refused addresses, not the link
    const alert = h.sink.messages.find((m) => m.envelopeTo.includes('tuyengiao@ldld-hn.vn'));
    expect(alert?.parsed.text).toContain(STALE_EMAIL);
    expect(unfoldSoftBreaks(alert!.raw.toString('utf8'))).not.toMatch(/\/t\/[A-Za-z0-9_-]{43}/);
  });

  it('a task email given up after the retry window (undeliverable) is redacted too', async () => {
    h = await mailHarness({ defer: (address) => (address === 'chutich@may-ducgiang.vn' ? { code: 452, text: '4.2.2 Mailbox full' } : false) });
    const input = taskInput(MAY);
    await h.mail.sendTaskAssignment(input);
    await h.deliver();
    const token = tokenIn(h.sink.messages[0]!);
    expect(await cellsHolding(h.db, token)).toEqual(['mail_outbox.raw']);
    expect(await h.deliver(new Date(NOW.getTime() + h.config.mail.retryWindowMs))).toMatchObject({ undeliverable: 1 });
    const row = (await findOutboxMessage(h.db, input.key))!;
    expect(row.status).toBe('undeliverable');
    expect(await cellsHolding(h.db, token)).toEqual([]);
    expect(row.raw).toBe(redactTaskLinks(h.sink.messages[0]!.raw.toString('utf8')));
  });

  it.each([
    ['the runtime sweep', async (db: Db) => (await redactSettledTaskLinks(db)).redacted],
    ['migration 0006 (a frozen copy)', async (db: Db) => {
      const before = await db.selectFrom('mail_outbox').select('raw').orderBy('key').execute();
      await migration0006.up(db as unknown as Kysely<unknown>);
      const after = await db.selectFrom('mail_outbox').select('raw').orderBy('key').execute();
      return before.filter((r, i) => r.raw !== after[i]!.raw).length;
    }],
  ])('redacts rows settled by an older version (%s), never a row still waiting to be sent', async (_name, sweep) => {
    h = await mailHarness();
    await h.mail.sendTaskAssignment(taskInput(MAY));
    await h.deliver();
    const sent = h.sink.messages[0]!;
    const token = tokenIn(sent);
    // as an older version left it: settled, with the link
    await h.db.updateTable('mail_outbox').set({ raw: sent.raw.toString('utf8') }).where('key', '=', taskInput(MAY).key).execute();
    // and a row still `queued`
    const pending = 'cycle-2027-LDLD-HN/CDCS-0413:task:pending';
    await h.db.insertInto('mail_outbox').values({ ...(await h.db.selectFrom('mail_outbox').selectAll().executeTakeFirstOrThrow()), key: pending, message_id: '<pending@ldld-hn.vn>', status: 'queued', raw: sent.raw.toString('utf8') }).execute();
    expect(await cellsHolding(h.db, token)).toEqual(['mail_outbox.raw', 'mail_outbox.raw']);

    expect(await sweep(h.db)).toBe(1);
    expect(await sweep(h.db)).toBe(0);
    expect((await findOutboxMessage(h.db, taskInput(MAY).key))!.raw).toBe(redactTaskLinks(sent.raw.toString('utf8')));
    expect((await findOutboxMessage(h.db, pending))!.raw).toBe(sent.raw.toString('utf8'));
  });
});

describe('redactTaskLinks', () => {
  it('the placeholder has the length of a minted token and is not itself a token', () => {
    expect(newUnitToken().token).toHaveLength(TASK_TOKEN_LENGTH);
    expect(REDACTED_TOKEN).toHaveLength(TASK_TOKEN_LENGTH);
    expect(redactTaskLinks(`x/t/${REDACTED_TOKEN}`)).toBe(`x/t/${REDACTED_TOKEN}`);
  });

  it('wherever a soft line break cuts the link, the result is the message composed with the placeholder', async () => {
    const alphabet = 'ABCXYZabcxyz0189_-'.split('');
    const token = fc.array(fc.constantFrom(...alphabet), { minLength: TASK_TOKEN_LENGTH, maxLength: TASK_TOKEN_LENGTH }).map((cs) => cs.join(''));
    // text before the link: ASCII, Vietnamese (3 encoded characters per byte), spaces and punctuation move the
    // soft breaks to every offset within the link
    const lead = fc.array(fc.constantFrom('a', 'đ', 'ệ', ' ', '.', ',', 'x9', '–'), { maxLength: 120 }).map((cs) => cs.join(''));
    const boundaries = (raw: string) => raw.replace(/--_NmP-[0-9a-f]+-Part/g, '--_NmP-boundary-Part');
    const compose = (lead: string, link: string) =>
      composeMessage({
        from: '"Ban Tuyên giáo" <baocao@ldld-hn.vn>',
        to: [{ name: 'Vũ Đình Trọng', email: 'congdoan@may-ducgiang.vn' }],
        cc: [],
        rendered: { subject: 'Giao nhiệm vụ', text: `${lead}${link}\r\n${lead}`, html: `<p>${lead}<a href="${link}">${lead}</a></p>` },
        messageId: '<x@ldld-hn.vn>',
        date: NOW,
      });
    await fc.assert(
      fc.asyncProperty(token, lead, async (t, l) => {
        const real = await compose(l, `${PUBLIC_URL}/t/${t}`);
        const placeholder = await compose(l, `${PUBLIC_URL}/t/${REDACTED_TOKEN}`);
        const redacted = redactTaskLinks(real);
        expect(migration0006.redactTaskLinksAsOf0006(real)).toBe(redacted);
        expect(unfoldSoftBreaks(redacted)).not.toContain(t);
        expect(boundaries(redacted)).toBe(boundaries(placeholder));
      }),
      { seed: 20270325, numRuns: 150 },
    );
  });
});
