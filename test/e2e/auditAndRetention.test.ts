import assert from 'node:assert/strict';
import { executeActivity, installActivity, messageActivity } from '../fixtures/activities';
import { alva, concernForm, eva, goran, personalConversation, sara } from '../fixtures/people';
import { startHarness, type Harness } from '../helpers/botHarness';

const text = (x: unknown) => JSON.stringify(x);
const cardFrom = (res: { body: any }) => res.body?.value;

describe('audit export and retention over HTTP', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness({ now: '2026-11-23T09:00:00+01:00' });
    for (const u of [eva, sara, goran, alva]) await h.post(installActivity(u, h.connector.url));
    await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm()));
    await h.post(executeActivity(sara, h.connector.url, 'case.open', { caseCode: 'SST-2026-0001' }));
  });
  afterEach(async () => h.stop());

  it('lets an admin export the access log of a date range as CSV; others are refused and logged', async () => {
    const card = cardFrom(await h.post(executeActivity(alva, h.connector.url, 'audit.export', { from: '2026-11-01', to: '2026-11-30' })));
    assert.match(text(card), /händelser 2026-11-01–2026-11-30/);
    const link = card.actions.find((a: any) => a.type === 'Action.OpenUrl');
    const csv = await (await fetch(link.url)).text();
    assert.match(csv, /^tid \(svensk tid\);vem;person-id;åtgärd;ärende;skola;tillåten;varifrån;kod\r\n/);
    assert.match(csv, /Eva Kurator;eht-1;lyfte en oro;SST-2026-0001;Rydskolan;ja;kortet: Skicka oro till skolsociala teamet;card:concern\.submit/);
    assert.match(csv, /Sara Socionom;sw-1;läste ärendet;SST-2026-0001;Rydskolan;ja;kortet: Visa ärendet;card:case\.open/);
    const outside = cardFrom(await h.post(executeActivity(alva, h.connector.url, 'audit.export', { from: '2026-10-01', to: '2026-10-31' })));
    assert.match(text(outside), /0 händelser/);
    const byEva = await h.post(executeActivity(eva, h.connector.url, 'audit.export', { from: '2026-11-01', to: '2026-11-30' }));
    assert.match(text(cardFrom(byEva)), /bara tas ut av systemförvaltare/);
    await h.post(messageActivity(goran, h.connector.url, 'åtkomstlogg'));
    assert.match(text(h.connector.to(personalConversation(goran))), /bara tas ut av systemförvaltare/);
    const expired = await fetch(link.url.replace(/[0-9a-f]{32}/, 'f'.repeat(32)));
    assert.equal(expired.status, 404);
  });

  it('purges a closed case and everything beside it after RETENTION_MONTHS, logs the purge, keeps open cases', async () => {
    await h.post(executeActivity(eva, h.connector.url, 'concern.submit', concernForm()));
    await h.post(executeActivity(sara, h.connector.url, 'case.accept', { caseCode: 'SST-2026-0001' }));
    await h.post(executeActivity(sara, h.connector.url, 'case.requestInfo', { caseCode: 'SST-2026-0001', message: 'En fråga om fredagar' }));
    await h.post(executeActivity(sara, h.connector.url, 'case.close', { caseCode: 'SST-2026-0001', outcome: 'attendanceImproved', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' }));
    const rows = async () => {
      const out: string[] = [];
      for await (const e of h.bot.store.table('cases').listEntities()) out.push(`${e.rowKey}`);
      return out;
    };
    // 23 months later: nothing purged yet.
    h.clock.set('2028-10-24T03:00:00+02:00');
    await h.bot.tick();
    assert.ok((await rows()).some((r) => r.startsWith('c|SST-2026-0001')));
    // 24 months and a night later: the closed case goes, with its events; the open one stays.
    h.clock.set('2028-11-24T03:00:00+01:00');
    await h.bot.tick();
    const after = await rows();
    assert.ok(!after.some((r) => r.includes('SST-2026-0001')), after.join(', '));
    assert.ok(after.some((r) => r.startsWith('c|SST-2026-0002')), 'the open case is kept');
    const purges: any[] = [];
    for await (const e of h.bot.store.table('accessLog').listEntities()) if (e.action === 'purge') purges.push(e);
    assert.equal(purges.length, 1);
    assert.equal(purges[0].caseCode, 'SST-2026-0001');
  });
});
