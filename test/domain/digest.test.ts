import assert from 'node:assert/strict';
import type { Case } from '../../src/domain/concern';
import { buildDigest, digestCodes, reviewsByWeek, type Digest } from '../../src/domain/digest';
import type { Meeting } from '../../src/domain/meeting';
import type { Plan } from '../../src/domain/plan';

const MARKER = 'MARKER-7f3a';
const NOW = new Date('2026-11-25T07:30:00+01:00'); // Wednesday; the week ends Sunday 2026-11-29

function aCase(code: string, overrides: Partial<Case> = {}): Case {
  const t0 = '2026-10-01T08:00:00.000Z';
  return {
    code, teamId: 'sst-1', schoolId: 'ryd', grade: '7', category: 'absence', absenceBand: '20to50', summary: `Frånvaro ${MARKER}-summary`,
    schoolRef: `${MARKER}-ref`, status: 'active', raisedBy: 'eht-1', assignedTo: 'sw-1', createdAt: t0, updatedAt: t0, lastActivityAt: t0,
    ...overrides,
  };
}
const consent = (expires: string) => ({ scope: `${MARKER}-scope`, expires, recordedBy: 'eht-1', recordedAt: '2026-10-01T08:00:00.000Z' });

function aMeeting(id: string, caseCode: string, overrides: Partial<Meeting> = {}): Meeting {
  return {
    id, caseCode, teamId: 'sst-1', schoolId: 'ryd', type: 'startup', minutes: 60, place: 'school', guardiansAttending: true,
    ehtId: 'eht-1', socialWorkerId: 'sw-2', status: 'confirmed', proposals: [], awaiting: 'socialWorker', declineReason: `${MARKER}-decline`,
    joinUrl: `https://teams.example/${MARKER}-join`, icsToken: `${MARKER}-ics`, version: 1, createdAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-01T08:00:00.000Z',
    ...overrides,
  };
}

function aPlan(id: string, caseCode: string, reviews: Plan['reviews'], overrides: Partial<Plan> = {}): Plan {
  return {
    id, caseCode, teamId: 'sst-1', schoolId: 'ryd', type: 'sip', goals: [`${MARKER}-goal`], responsibilities: [{ role: 'mentor', what: `${MARKER}-resp` }],
    reviews, status: 'active', ownerId: 'sw-1', ehtContactId: 'eht-1', createdAt: '2026-10-01T08:00:00.000Z', updatedAt: '2026-10-01T08:00:00.000Z',
    ...overrides,
  };
}

const C = (n: number) => `SST-2026-000${n}`;

/** A seeded team: five open cases, one closed one that has something of every kind. */
function seeded() {
  const cases: Case[] = [
    aCase(C(1), { status: 'new', createdAt: '2026-11-22T10:00:00.000Z' }), // 3 days old
    aCase(C(2), { status: 'new', createdAt: '2026-11-24T23:30:00.000Z' }), // 00:30 today in Stockholm: 0 days (UTC would say 1)
    aCase(C(3), { status: 'accepted', assignedTo: 'sw-2', consent: consent('2026-12-09') }), // 14 days left
    aCase(C(4), { assignedTo: 'sw-2', consent: consent('2026-12-10') }), // 15 days left
    aCase(C(5), { consent: consent('2026-11-20') }), // expired 5 days ago, not renewed
    aCase(C(6), { status: 'closed', outcome: 'attendanceImproved', assignedTo: 'sw-3', consent: consent('2026-11-26') }),
  ];
  const meetings: Meeting[] = [
    aMeeting('m-wait', C(3), { status: 'proposed', proposals: ['2026-11-30T09:00:00.000Z'], awaiting: 'socialWorker', updatedAt: '2026-11-23T14:00:00.000Z' }),
    aMeeting('m-wait-eht', C(4), { status: 'proposed', proposals: ['2026-12-01T09:00:00.000Z'], awaiting: 'eht', updatedAt: '2026-11-25T06:00:00.000Z' }),
    aMeeting('m-wait-closed', C(6), { status: 'proposed', proposals: ['2026-11-30T09:00:00.000Z'], updatedAt: '2026-11-20T14:00:00.000Z' }),
    aMeeting('m-13', C(4), { start: '2026-11-25T12:00:00.000Z' }),
    aMeeting('m-09', C(3), { start: '2026-11-25T08:00:00.000Z' }),
    aMeeting('m-tomorrow', C(5), { start: '2026-11-26T08:00:00.000Z' }),
    aMeeting('m-cancelled', C(5), { status: 'cancelled', start: '2026-11-25T10:00:00.000Z' }),
    aMeeting('m-declined', C(5), { status: 'declined', proposals: [] }),
  ];
  const plans: Plan[] = [
    aPlan('p-fri', C(3), [{ date: '2026-11-27', status: 'planned' }], { ownerId: 'sw-2' }),
    aPlan('p-today', C(4), [{ date: '2026-11-25', status: 'planned' }], { ownerId: 'sw-2' }),
    aPlan('p-monday', C(5), [{ date: '2026-11-23', status: 'planned' }]),
    aPlan('p-next-week', C(1), [{ date: '2026-11-30', status: 'planned' }]),
    aPlan('p-done', C(5), [{ date: '2026-11-10', status: 'done' }, { date: '2026-12-15', status: 'planned' }]),
    aPlan('p-ended', C(2), [{ date: '2026-11-20', status: 'planned' }], { status: 'ended' }),
    aPlan('p-closed', C(6), [{ date: '2026-11-20', status: 'planned' }], { ownerId: 'sw-3' }),
  ];
  const unreachable = [{ personId: 'eht-2', since: '2026-11-20T07:00:00.000Z' }, { personId: 'eht-1', since: '2026-11-24T07:00:00.000Z' }];
  return { teamId: 'sst-1', now: NOW, cases, meetings, plans, unreachable, socialWorkerIds: ['sw-1', 'sw-2', 'sw-3'] };
}

function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, into));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) into.add(k), keysOf(v, into);
  return into;
}

describe('domain/digest', () => {
  let digest: Digest;
  beforeEach(() => {
    digest = buildDigest(seeded());
  });

  it('is for the team and the Stockholm date', () => {
    assert.equal(digest.teamId, 'sst-1');
    assert.equal(digest.date, '2026-11-25');
    assert.equal(buildDigest({ ...seeded(), now: new Date('2026-11-24T23:30:00Z') }).date, '2026-11-25');
  });

  it('lists new concerns with their age in Stockholm days', () => {
    assert.deepEqual(digest.newConcerns, [{ code: C(1), ageDays: 3, assigneeId: 'sw-1' }, { code: C(2), ageDays: 0, assigneeId: 'sw-1' }]);
  });

  it('lists meeting requests waiting, with who is awaited and for how long, not those of closed cases', () => {
    assert.deepEqual(digest.meetingRequestsWaiting, [
      { code: C(3), meetingId: 'm-wait', awaiting: 'socialWorker', awaitingId: 'sw-2', ageDays: 2 },
      { code: C(4), meetingId: 'm-wait-eht', awaiting: 'eht', awaitingId: 'eht-1', ageDays: 0 },
    ]);
  });

  it("lists today's confirmed meetings in time order, not tomorrow's, cancelled or declined ones", () => {
    assert.deepEqual(digest.meetingsToday, [
      { code: C(3), start: '2026-11-25T08:00:00.000Z', socialWorkerId: 'sw-2' },
      { code: C(4), start: '2026-11-25T12:00:00.000Z', socialWorkerId: 'sw-2' },
    ]);
  });

  // Regression: meetingsToday once listed the confirmed meetings of closed cases (and access-logged their codes).
  it("leaves out today's meeting of a closed case", () => {
    const input = seeded();
    input.meetings.push(aMeeting('m-closed-today', C(6), { start: '2026-11-25T10:00:00.000Z' }));
    const d = buildDigest(input);
    assert.deepEqual(d.meetingsToday.map((m) => m.code), [C(3), C(4)]);
    assert.ok(!digestCodes(d).includes(C(6)), 'a closed case is not shown (nor access-logged as read)');
  });

  it('splits reviews into due this week (today to Sunday) and overdue (before today), by the next planned review only', () => {
    assert.deepEqual(digest.reviewsDueThisWeek, [
      { code: C(3), date: '2026-11-27', ownerId: 'sw-2' },
      { code: C(4), date: '2026-11-25', ownerId: 'sw-2' },
    ]);
    assert.deepEqual(digest.reviewsOverdue, [{ code: C(5), date: '2026-11-23', ownerId: 'sw-1', planId: 'p-monday' }]);
  });

  it('on a Friday a review on Monday is not "this week"', () => {
    const d = buildDigest({ ...seeded(), now: new Date('2026-11-27T07:30:00+01:00') });
    assert.deepEqual(d.reviewsDueThisWeek.map((r) => r.date), ['2026-11-27']);
    assert.deepEqual(d.reviewsOverdue.map((r) => [r.code, r.date]), [[C(4), '2026-11-25'], [C(5), '2026-11-23']]);
  });

  it('lists consents expiring within 14 days (and ones already expired), not 15 days out, not closed cases', () => {
    assert.deepEqual(digest.consentsExpiring, [{ code: C(3), expires: '2026-12-09' }, { code: C(5), expires: '2026-11-20' }]);
  });

  it('counts the caseload per social worker, including those with none, without closed cases', () => {
    assert.deepEqual(digest.caseload, [
      { socialWorkerId: 'sw-1', open: 3 },
      { socialWorkerId: 'sw-2', open: 2 },
      { socialWorkerId: 'sw-3', open: 0 },
    ]);
    assert.deepEqual(digest.totals, { open: 5, closed: 1 });
  });

  it('lists unreachable people sorted', () => {
    assert.deepEqual(digest.unreachable.map((u) => u.personId), ['eht-1', 'eht-2']);
  });

  it('holds codes, ids, dates and counts only: nothing of summaries, references, consent scopes, goals, reasons or links', () => {
    assert.doesNotMatch(JSON.stringify(digest), new RegExp(MARKER));
    assert.deepEqual([...keysOf(digest)].sort(), [
      'ageDays', 'assigneeId', 'awaiting', 'awaitingId', 'caseload', 'closed', 'code', 'consentsExpiring', 'date', 'expires', 'meetingId', 'meetingRequestsWaiting',
      'count', 'from', 'meetingsToday', 'newConcerns', 'open', 'ownerId', 'personId', 'planId', 'reviewsByWeek', 'reviewsDueThisWeek', 'reviewsOverdue', 'since', 'socialWorkerId',
      'start', 'teamId', 'totals', 'unreachable', 'week', 'weekYear',
    ].sort());
    assert.doesNotMatch(JSON.stringify(digest), /ryd|schoolId|absence|20to50/);
  });

  it('digestCodes: every code shown, once, sorted, and never a closed case', () => {
    assert.deepEqual(digestCodes(digest), [C(1), C(2), C(3), C(4), C(5)]);
  });

  it('an empty team: zeros, every social worker with 0', () => {
    const d = buildDigest({ teamId: 'sst-2', now: NOW, cases: [], meetings: [], plans: [], unreachable: [], socialWorkerIds: ['sw-9', 'sw-8'] });
    assert.deepEqual(d, {
      teamId: 'sst-2', date: '2026-11-25', newConcerns: [], meetingRequestsWaiting: [], meetingsToday: [], reviewsDueThisWeek: [], reviewsOverdue: [],
      consentsExpiring: [], unreachable: [], caseload: [{ socialWorkerId: 'sw-8', open: 0 }, { socialWorkerId: 'sw-9', open: 0 }], totals: { open: 0, closed: 0 },
      reviewsByWeek: [48, 49, 50, 51, 52, 53].map((week, i) => ({ weekYear: 2026, week, from: ['2026-11-23', '2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21', '2026-12-28'][i], count: 0 })),
    });
    assert.deepEqual(digestCodes(d), []);
  });

  it('counts planned reviews per ISO week for six weeks from this one: from today, not overdue ones, not ended plans or closed cases; week 53 of 2026 included', () => {
    // Wed 2026-11-25 is in week 48: p-today (25th) and p-fri (27th); p-monday (23rd) is overdue; p-next-week in 49; p-done's next in 51.
    assert.deepEqual(digest.reviewsByWeek, [
      { weekYear: 2026, week: 48, from: '2026-11-23', count: 2 },
      { weekYear: 2026, week: 49, from: '2026-11-30', count: 1 },
      { weekYear: 2026, week: 50, from: '2026-12-07', count: 0 },
      { weekYear: 2026, week: 51, from: '2026-12-14', count: 1 },
      { weekYear: 2026, week: 52, from: '2026-12-21', count: 0 },
      { weekYear: 2026, week: 53, from: '2026-12-28', count: 0 },
    ]);
    assert.doesNotMatch(JSON.stringify(digest.reviewsByWeek), /SST-|sw-|p-/, 'counts only: no codes, owners or plans');
  });
})

describe('domain/digest reviewsByWeek', () => {
  const plan = (...dates: string[]) => ({ status: 'active' as const, reviews: dates.map((date) => ({ date, status: 'planned' as const })) });

  it('counts every planned review of a plan in its week, not only the next one, and not done ones', () => {
    const p = { status: 'active' as const, reviews: [{ date: '2026-11-26', status: 'planned' as const }, { date: '2026-12-03', status: 'planned' as const }, { date: '2026-11-26', status: 'done' as const }] };
    assert.deepEqual(reviewsByWeek([p], NOW).map((w) => w.count), [1, 1, 0, 0, 0, 0]);
  });

  it('an ended plan\'s planned reviews are not counted', () => {
    assert.deepEqual(reviewsByWeek([{ ...plan('2026-11-26'), status: 'ended' as const }, plan('2026-11-27')], NOW).map((w) => w.count), [1, 0, 0, 0, 0, 0]);
  });

  it('crosses the year: from Wed 2026-12-30 the weeks are 53, then 1–5 of 2027 (ISO week-numbering year)', () => {
    const w = reviewsByWeek([plan('2027-01-04', '2027-01-10', '2027-02-01', '2027-02-07')], new Date('2026-12-30T08:00:00+01:00'));
    assert.deepEqual(w.map((x) => [x.weekYear, x.week, x.from, x.count]), [
      [2026, 53, '2026-12-28', 0], [2027, 1, '2027-01-04', 2], [2027, 2, '2027-01-11', 0], [2027, 3, '2027-01-18', 0], [2027, 4, '2027-01-25', 0], [2027, 5, '2027-02-01', 2],
    ]);
  });

  it('a review the Monday after the last week, and one on the Sunday before a DST change, land right (Stockholm dates, whole days)', () => {
    // Thu 2027-03-25; summer time begins Sun 2027-03-28. Week 12 from 03-22 … week 17 ends Sun 05-02.
    const w = reviewsByWeek([plan('2027-03-28', '2027-03-29', '2027-05-02', '2027-05-03')], new Date('2027-03-25T07:30:00+01:00'));
    assert.deepEqual(w.map((x) => [x.week, x.count]), [[12, 1], [13, 1], [14, 0], [15, 0], [16, 0], [17, 1]]);
  });

  it('the Stockholm date decides the week: 23:30 UTC on Sunday is already Monday in Stockholm', () => {
    const w = reviewsByWeek([plan('2026-11-29', '2026-11-30')], new Date('2026-11-29T23:30:00Z'));
    assert.deepEqual(w.slice(0, 2).map((x) => [x.week, x.count]), [[49, 1], [50, 0]]);
  });
});
