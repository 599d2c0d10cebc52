import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { executeActivity, type TeamsUser } from '../fixtures/activities';
import { alva, erik, eva, goran, olle, samir, sara } from '../fixtures/people';
import { MARKERS, gunilla, seedWorld, sixten, slotSource, tableRows, writeTwoTeamRoster, type World } from '../helpers/accessWorld';
import { startHarness, type Harness } from '../helpers/botHarness';

/*
 * Sends FUZZ_COUNT (default 2,000) generated malformed activities and card payloads to the real bot
 * over HTTP, one at a time, from a seeded PRNG: FUZZ_SEED=<n> reproduces a run exactly (the seed is
 * in every failure message). Asserts: no 5xx (a 501 for an unhandled invoke counts), the bot still
 * answers /healthz, the cases table holds exactly what the seeded legitimate actions wrote, no log
 * line at level error or above, and Object.prototype untouched.
 *
 * So that "nothing stored" is a sharp test, the generator never lets a request succeed legitimately:
 * a payload naming a real case, meeting, plan or school for a change is only ever sent by someone
 * outside that case (or nobody); insiders only get unknown ids (never ones that trim to a real id).
 * Reading verbs may name real objects for anyone.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const COUNT = Number(process.env.FUZZ_COUNT ?? 2000);
const SLOW_MS = 2000;
/** FUZZ_ONLY=12,345: generate the same run but send only these activities, and print them whole (to study one failure). */
const ONLY = new Set((process.env.FUZZ_ONLY ?? '').split(',').filter(Boolean).map(Number));
/** Error-level log lines that are expected under fuzzing. None: a malformed activity is the client's fault, not an error of the bot. */
const EXPECTED_ERROR_LOGS: RegExp[] = [];

/** mulberry32: small, fast, good enough, and the same everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Absence percentages as a concern form may send them: fine, at the edges, over 100 together, not whole, out of range (one pick, as the band it replaced). */
const ABSENCES = [{ absenceValid: '12', absenceInvalid: '18' }, { absenceValid: '100', absenceInvalid: '0' }, { absenceValid: '70', absenceInvalid: '40' }] as const;
const FOLLOW_UPS = [
  { absenceValid: '6', absenceInvalid: '3', goal1: 'partly' }, { absenceValid: '101', absenceInvalid: '-1', goal1: 'great' }, { absenceValid: '12.5', goal1: '' }, { absenceValid: '60', absenceInvalid: '60', goal1: 'reached', goal2: 'tooEarly' },
];
const CLOSINGS = [{ sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' }, { sameSchool: 'no' }, { sameSchool: 'maybe', absenceValid: '1e9' }, {}];

const CASE_VERBS = ['case.open', 'case.accept', 'case.requestInfo', 'case.replyInfo', 'case.close', 'case.list'];
const MEETING_VERBS = ['meeting.form', 'meeting.request', 'meeting.accept', 'meeting.decline', 'meeting.counter', 'meeting.cancel', 'meeting.reschedule', 'meeting.refresh'];
const PLAN_VERBS = ['plan.list', 'plan.record', 'plan.review', 'plan.choose'];
const OTHER_VERBS = ['concern.submit', 'admin.assignSchool', 'report.show'];
const REAL_VERBS = [...CASE_VERBS, ...MEETING_VERBS, ...PLAN_VERBS, ...OTHER_VERBS];
const READ_ONLY = new Set(['case.open', 'case.list', 'meeting.form', 'meeting.refresh', 'plan.list', 'plan.choose', 'report.show']);
const COMMAND_TEXTS = ['hjälp', 'help', '?', 'ny oro', 'new concern', 'mina ärenden', 'my cases', 'boka möte', 'book meeting', 'planer', 'plans', 'sammanfattning', 'digest', 'tilldela skola', 'assign school', 'rapport', 'report', '/hjälp', 'HJÄLP!'];
const INVOKE_NAMES = ['adaptiveCard/action', 'task/fetch', 'task/submit', 'composeExtension/query', 'composeExtension/submitAction', 'signin/verifyState', 'signin/tokenExchange', 'actionableMessage/executeAction', 'fileConsent/invoke', 'config/fetch', 'config/submit', 'tab/fetch', 'message/submitAction', 'handoff/action', 'healthCheck', 'application/search', 'foo', ''];
const TYPES = ['typing', 'messageReaction', 'event', 'installationUpdate', 'endOfConversation', 'messageUpdate', 'messageDelete', 'handoff', 'trace', 'deleteUserData', 'contactRelationUpdate', 'suggestion', 'command', 'commandResult', 'foo', 'MESSAGE', ' message', 'invoke ', 'conversationupdate'];
const PIECES = ['a', 'Z', '0', '9', ' ', '-', '_', '.', 'å', 'ä', 'ö', 'Ö', '😀', '👨‍👩‍👧', '\u202e', '\u200b', 'e\u0301', '\ud800', '\udc00', '\ufeff', '\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u2028', '%', "'", '"', '\\', '/', '#', '?', '|', '&', '<script>', '${x}', '{code}', '{{x}}', '\n', '\t', 'SST-', '2026', 'c|', 'm|', 'p|', 'e|'];

interface Actor {
  user: TeamsUser;
  /** Roster id, or undefined for someone outside the roster. */
  id?: string;
}
const ACTORS: Actor[] = [
  { user: eva, id: 'eht-1' }, { user: erik, id: 'eht-2' }, { user: sara, id: 'sw-1' }, { user: samir, id: 'sw-2' },
  { user: goran, id: 'gl-1' }, { user: gunilla, id: 'gl-2' }, { user: sixten, id: 'sw-3' }, { user: alva, id: 'adm-1' }, { user: olle },
];
/** Who may change R (SST-2026-0001, Rydskolan) and B (SST-2026-0002, Bergaskolan), their meetings, plans and schools. */
const INSIDERS: Record<'R' | 'B', string[]> = { R: ['eht-1', 'sw-1', 'gl-1', 'adm-1'], B: ['eht-2', 'sw-2', 'gl-1', 'adm-1'] };

class Gen {
  readonly r: () => number;
  private seq = 0;
  constructor(seed: number, private readonly world: World, private readonly serviceUrl: string) {
    this.r = prng(seed);
  }
  chance = (p: number) => this.r() < p;
  int = (lo: number, hi: number) => lo + Math.floor(this.r() * (hi - lo + 1));
  pick = <T>(xs: readonly T[]): T => xs[Math.floor(this.r() * xs.length)];

  str(maxLen = 40): string {
    let s = '';
    const n = this.int(0, maxLen);
    while (s.length < n) s += this.pick(PIECES);
    return s;
  }
  huge(): string {
    const unit = this.pick(['x', 'å', '😀', '\u0000', 'ab ', '\u202e', '{code}']);
    return unit.repeat(Math.ceil(this.int(1_000, 60_000) / unit.length));
  }
  protoObject(inner: () => unknown): Record<string, unknown> {
    // Own "__proto__" / "constructor" keys, as JSON.parse makes them: what a prototype-pollution payload looks like on the wire.
    const o = JSON.parse(`{"__proto__": {"polluted": "yes", "isAdmin": true}, "constructor": {"prototype": {"polluted": "yes"}}}`);
    o.prototype = { polluted: 'yes' };
    Object.defineProperty(o, 'toString', { value: 'x', enumerable: true });
    o.hasOwnProperty = inner();
    return o;
  }
  junk(): unknown {
    switch (this.int(0, 14)) {
      case 0: return null;
      case 1: return this.pick([0, -1, 1e308, 3.14, 2 ** 53 + 1]);
      case 2: return this.pick([true, false]);
      case 3: return [];
      case 4: return [this.str(5), 1, null];
      case 5: return {};
      case 6: return { a: { b: { c: [1, { d: 'e' }] } } };
      case 7: return '';
      case 8: return ' \t\n ';
      case 9: return this.huge();
      case 10: return this.protoObject(() => this.str(8));
      default: return this.str();
    }
  }
  /** A string that is not, and does not trim/slice to, any real id. */
  fakeId(): string {
    const real = new Set([this.world.R.code, this.world.B.code, this.world.R.meetingId, this.world.B.meetingId, this.world.R.planId, this.world.B.planId, 'ryd', 'berga', 'ek', 'sw-1', 'sw-2', 'sw-3', 'sst-1', 'sst-2']);
    for (;;) {
      const s = this.pick<() => string>([
        () => `SST-2026-${String(this.int(3, 9999)).padStart(4, '0')}`,
        () => `SST-2025-0001`,
        () => `sst-2026-000${this.int(1, 2)}`,
        () => `${this.world.R.code}${this.pick(['\u0000', '/', '|x', 'x', '\u200b', "'", '0'])}`,
        () => this.str(70),
        () => this.huge(),
        () => `${this.pick(['c|', 'm|', 'p|', 'e|', 'f|'])}${this.world.R.code}`,
        () => this.pick(["' or '1'='1", "') or (RowKey ge '", '../../', '%00', '*', '$filter', ' eq ']),
      ])();
      const trimmed = s.trim();
      if (![40, 64, 20].some((n) => real.has(trimmed.slice(0, n))) && !real.has(trimmed)) return s;
    }
  }
  slotText(): string {
    return this.pick<() => string>([
      () => new Date(Date.UTC(2026, 10, this.int(20, 40), this.int(5, 18), this.pick([0, 15, 30, 45]))).toISOString(),
      () => this.str(30),
      () => '2026-11-24T09:00:00+01:00,'.repeat(this.int(2, 50)),
      () => 'not a date',
      () => '2026-02-30T10:00:00Z',
      () => '+275760-09-13T00:00:00.000Z',
      () => '',
    ])();
  }

  /** Card data for a real verb, in the shape the bot's cards send, then partly corrupted. */
  dataFor(verb: string, target: 'R' | 'B' | 'fake'): unknown {
    if (this.chance(0.04)) return this.pick<unknown>(['string data', 42, null, [1, 2], true]);
    const w = target === 'fake' ? undefined : this.world[target];
    const caseCode = () => (w ? w.code : this.fakeId());
    const teamId = () => (w ? this.pick([w.teamId, 'sst-1']) : this.pick(['sst-1', 'sst-2', this.fakeId()]));
    const meetingId = () => (w ? w.meetingId : this.fakeId());
    const planId = () => (w ? w.planId : this.fakeId());
    const school = () => (w ? (target === 'R' ? 'ryd' : 'berga') : this.pick(['ek', this.fakeId()]));
    const text = () => this.pick([this.str(60), 'Hur går det?', this.huge(), '19121212-1212', '']);
    let data: Record<string, unknown>;
    switch (verb) {
      case 'case.open': case 'case.accept': case 'case.requestInfo': case 'case.replyInfo': case 'case.close': case 'case.list':
        data = { caseCode: caseCode(), message: text(), outcome: this.pick(['attendanceImproved', 'handedOver', 'familyDeclined', 'other', 'closed', this.str(10)]) };
        // Same school and the absence at closing, derived from the outcome picked (the seeded stream stays as it was).
        Object.assign(data, CLOSINGS[String(data.outcome).length % CLOSINGS.length]);
        break;
      case 'meeting.form': case 'meeting.request':
        data = {
          caseCode: caseCode(), type: this.pick(['startup', 'guardians', 'sip', 'followUp', 'party', this.str(8)]), minutes: this.pick(['30', '45', '60', '90', '61', '-60', '1e9', this.str(5)]),
          place: this.pick(['school', 'teams', 'other', 'moon']), guardians: this.pick(['true', 'false', 'yes']), slots: [this.slotText(), this.slotText()].join(','),
          ownDate: this.pick(['2026-11-24', '2026-13-40', this.str(12), '']), ownTime: this.pick(['10:00', '25:61', this.str(6), '']),
        };
        break;
      case 'meeting.accept': case 'meeting.decline': case 'meeting.counter': case 'meeting.cancel': case 'meeting.reschedule': case 'meeting.refresh':
        data = { teamId: teamId(), meetingId: meetingId(), start: this.slotText(), reason: text(), slots: this.slotText(), ownDate: this.pick(['2026-11-25', this.str(12)]), ownTime: this.pick(['11:00', this.str(6)]) };
        break;
      case 'plan.list': case 'plan.record': case 'plan.choose':
        data = { caseCode: caseCode(), type: this.pick(['implementation', 'sip', this.str(8)]), goals: this.pick([`Närvaro\n${this.str(30)}`, this.huge(), '\n\n\n', 'x\n'.repeat(20)]), responsible: this.pick(['mentor – följer upp', 'Sara Socionom: samtal', this.str(50), '–']), reviewDate: this.pick(['2026-12-10', '2026-02-30', '1999-01-01', this.str(10)]) };
        break;
      case 'plan.review':
        data = { teamId: teamId(), planId: planId(), date: this.pick([w?.planReviewDate ?? '2026-12-10', this.str(10)]), outcome: this.pick(['done', 'moved', 'ended', this.str(6)]), nextDate: this.pick(['2027-01-20', '2026-11-01', this.str(10), '']) };
        // The absence and a goal's attainment, derived from the picks above (the seeded stream stays as it was).
        Object.assign(data, FOLLOW_UPS[String(data.nextDate).length % FOLLOW_UPS.length]);
        break;
      case 'concern.submit':
        data = {
          school: school(), grade: this.pick(['7', '0', '10', 'gy1', 'gy9', this.str(3)]), category: this.pick(['absence', 'behaviour', 'home', 'nope']), ...this.pick(ABSENCES),
          summary: text(), consent: this.pick(['yes', 'no', 'maybe']), consentScope: text(), consentExpires: this.pick(['2027-06-15', '2020-01-01', '2099-01-01', this.str(10)]), schoolRef: this.pick(['PRN-1', this.str(50)]),
          formId: this.pick([this.fakeHex(), this.str(70)]),
        };
        break;
      case 'admin.assignSchool':
        data = { schoolId: school(), socialWorkerId: this.pick(['sw-1', 'sw-2', 'sw-3', 'gl-1', this.fakeId()]), backupSocialWorkerId: this.pick(['sw-1', 'sw-2', '', this.fakeId()]) };
        break;
      case 'report.show':
        data = { year: this.pick(['2026', '2025', '1900', '2101', '99999', '2026.5', this.str(6)]) };
        break;
      default:
        data = {};
    }
    const idFields = new Set(['caseCode', 'teamId', 'meetingId', 'planId', 'school', 'schoolId']);
    for (const key of Object.keys(data)) {
      if (!this.chance(0.3)) continue;
      // Ids are only ever replaced by fakes or non-strings, never by another real id.
      data[key] = idFields.has(key) ? this.pick<() => unknown>([() => this.fakeId(), () => this.pick([null, 42, [], {}, true])])() : this.junk();
    }
    if (this.chance(0.15)) ownKey(data, this.pick(['__proto__', 'constructor', 'prototype', 'verb', 'action', this.str(10)]), this.protoObject(() => this.fakeId()));
    if (this.chance(0.1)) for (let k = this.int(1, 30); k > 0; k--) data[this.str(12)] = this.junk();
    return data;
  }
  fakeHex(): string {
    let s = '';
    while (s.length < 36) s += Math.floor(this.r() * 16).toString(16);
    return s;
  }

  /** Who sends a payload naming `target`: for a change of a real object only someone outside it. */
  actorFor(verb: string, target: 'R' | 'B' | 'fake'): { user: TeamsUser; label: string } {
    const ghost = (): TeamsUser => ({ aadObjectId: this.pick([this.fakeHex(), this.str(40), this.fakeHex().toUpperCase()]), name: this.str(20) });
    let pool = ACTORS;
    if (target !== 'fake' && !READ_ONLY.has(verb)) pool = ACTORS.filter((a) => a.id === undefined || !INSIDERS[target].includes(a.id));
    if (this.chance(0.1)) return { user: ghost(), label: 'ghost' };
    const a = this.pick(pool);
    // Upper case is the same person (AAD ids compare case-insensitively).
    const user = this.chance(0.1) ? { ...a.user, aadObjectId: a.user.aadObjectId.toUpperCase() } : a.user;
    return { user, label: a.id ?? 'unregistered' };
  }

  base(user: TeamsUser): Record<string, any> {
    const id = `fuzz-${++this.seq}-${this.fakeHex().slice(0, 8)}`;
    return {
      id,
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: '2026-11-23T08:00:00.000Z',
      locale: this.pick(['sv-SE', 'en-US', 'sv-SE', 'de-DE']),
      from: { id: `29:${user.aadObjectId}`, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: '28:sst-bot', name: 'Skolsocialt team' },
      conversation: { id: `a:personal-${user.aadObjectId}`, conversationType: 'personal', tenantId: '00000000-0000-0000-0000-0000000000aa' },
      channelData: { tenant: { id: '00000000-0000-0000-0000-0000000000aa' } },
      entities: [{ type: 'clientInfo', locale: 'sv-SE', country: 'SE', platform: 'Web' }],
    };
  }

  /** One activity (as sent on the wire), with a short description of what it is. */
  activity(): { activity: Record<string, any>; kind: string } {
    const roll = this.r();
    let a: Record<string, any>;
    let kind: string;
    if (roll < 0.6) {
      // A card action: a real verb (mostly) with generated data, via Action.Execute or the Action.Submit fallback.
      const verb = this.chance(0.9) ? this.pick(REAL_VERBS) : this.pick<unknown>([this.str(20), 'case.OPEN', ' case.open', null, 42, {}, ['case.open']]);
      const target = this.pick(['R', 'B', 'fake', 'fake'] as const);
      const realVerb = typeof verb === 'string' && REAL_VERBS.includes(verb) ? verb : 'case.open';
      const { user, label } = this.actorFor(realVerb, typeof verb === 'string' && REAL_VERBS.includes(verb) ? target : 'fake');
      const data = this.dataFor(realVerb, typeof verb === 'string' && REAL_VERBS.includes(verb) ? target : 'fake');
      a = this.base(user);
      if (this.chance(0.8)) {
        a.type = 'invoke';
        a.name = 'adaptiveCard/action';
        a.replyToId = `card-${this.fakeHex().slice(0, 8)}`;
        a.value = { action: { type: this.chance(0.9) ? 'Action.Execute' : this.pick<unknown>(['Action.Submit', 'Action.OpenUrl', null, 7]), verb, data }, trigger: this.pick(['manual', 'automatic']) };
        kind = `execute ${String(verb).slice(0, 30)} → ${target} by ${label}`;
      } else {
        a.type = 'message';
        a.value = data && typeof data === 'object' && !Array.isArray(data) ? { ...(data as object), verb } : data;
        if (this.chance(0.3)) a.replyToId = `card-${this.fakeHex().slice(0, 8)}`;
        kind = `submit ${String(verb).slice(0, 30)} → ${target} by ${label}`;
      }
    } else if (roll < 0.72) {
      const { user, label } = this.actorFor('case.open', 'fake');
      a = { ...this.base(user), type: 'message', textFormat: 'plain' };
      a.text = this.pick<() => unknown>([() => this.pick(COMMAND_TEXTS), () => `${this.pick(COMMAND_TEXTS)}${this.str(10)}`, () => this.str(80), () => this.huge(), () => this.junk()])();
      if (this.chance(0.2)) a.attachments = this.pick<unknown>([[], [{ contentType: 'application/vnd.microsoft.card.adaptive', content: this.junk() }], 'x', [null]]);
      kind = `message by ${label}`;
    } else if (roll < 0.84) {
      const { user, label } = this.actorFor('case.open', 'fake');
      a = { ...this.base(user), type: 'invoke', name: this.chance(0.85) ? this.pick(INVOKE_NAMES) : this.junk() };
      a.value = this.pick<() => unknown>([
        () => undefined, () => null, () => this.junk(), () => ({ action: this.junk() }), () => ({ action: { type: 'Action.Execute', verb: this.junk(), data: this.junk() } }),
        () => ({ action: { type: 'Action.Execute' } }), () => ({ commandId: this.str(10), parameters: this.junk() }), () => this.protoObject(() => this.str(5)),
      ])();
      // A junk name may be an object without a prototype (String() of it throws): named by its type then.
      kind = `invoke ${(typeof a.name === 'string' ? a.name : typeof a.name).slice(0, 30)} by ${label}`;
    } else {
      const { user, label } = this.actorFor('case.open', 'fake');
      a = { ...this.base(user), type: this.chance(0.3) ? 'conversationUpdate' : this.pick(TYPES) };
      if (a.type === 'conversationUpdate') {
        a.membersAdded = this.pick<unknown>([[{ id: '28:sst-bot' }], [{ id: a.from.id }], [], [null], 'x', [{ id: this.junk() }], undefined]);
        if (this.chance(0.3)) a.membersRemoved = this.pick<unknown>([[{ id: '28:sst-bot' }], 'x', [null]]);
      }
      if (a.type === 'messageReaction') a.reactionsAdded = this.pick<unknown>([[{ type: 'like' }], [null], 'x', [{ type: this.junk() }]]);
      if (a.type === 'event') a.name = this.pick<unknown>(['application/vnd.microsoft.meetingStart', 'application/vnd.microsoft.readReceipt', this.str(20), 42]);
      if (a.type === 'installationUpdate') a.action = this.pick<unknown>(['add', 'remove', 'add-upgrade', this.junk()]);
      if (this.chance(0.3)) a.value = this.junk();
      if (this.chance(0.3)) a.channelData = { ...a.channelData, eventType: this.pick(['editMessage', 'softDeleteMessage', 'undeleteMessage', 'teamRenamed', this.str(10)]) };
      kind = `type ${JSON.stringify(a.type).slice(0, 30)} by ${label}`;
    }

    // The envelope: missing or wrong-typed parts, channels, odd ids, prototype keys.
    const mutations = this.chance(0.35) ? this.int(1, 3) : 0;
    const applied: string[] = [];
    for (let m = 0; m < mutations; m++) {
      const which = this.int(0, 15);
      applied.push(String(which));
      switch (which) {
        case 0: delete a.from; break;
        case 1: a.from = this.junk(); break;
        case 2: a.from = { ...(a.from ?? {}), aadObjectId: this.pick<unknown>([this.junk(), this.str(40), this.fakeHex()]) }; break;
        case 3: a.from = { ...(a.from ?? {}), id: this.junk() }; break;
        case 4: delete a.recipient; break;
        case 5: a.recipient = this.junk(); break;
        case 6: delete a.conversation; break;
        case 7: a.conversation = this.junk(); break;
        case 8: a.conversation = { ...(a.conversation ?? {}), id: this.pick<unknown>([this.junk(), this.str(60), `19:${this.fakeHex()}@thread.tacv2`]) }; break;
        case 9: a.conversation = { ...(a.conversation ?? {}), conversationType: this.pick<unknown>(['channel', 'groupChat', 'personal', this.junk()]) }; break;
        case 10: a.id = this.pick<unknown>([undefined, this.junk(), 'fuzz-1-00000000', this.huge()]); break;
        case 11: a.locale = this.junk(); break;
        case 12: a.entities = this.pick<unknown>([this.junk(), [null], [{ type: this.junk(), locale: this.junk() }], [{ type: 'mention', mentioned: this.junk(), text: this.junk() }]]); break;
        case 13: a.channelData = this.pick<unknown>([this.junk(), { tenant: this.junk() }, this.protoObject(() => this.str(5))]); break;
        case 14: a.channelId = this.pick<unknown>(['webchat', 'emulator', 'directline', this.junk()]); break;
        case 15: ownKey(a, '__proto__', { polluted: 'yes' }); ownKey(a, 'constructor', { prototype: { polluted: 'yes' } }); a.replyToId = this.junk(); break;
      }
    }
    return { activity: a, kind: applied.length ? `${kind} [envelope ${applied.join(',')}]` : kind };
  }
}

/** Sets an own, enumerable property (also "__proto__", which plain assignment would turn into a prototype change). */
function ownKey(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** An activity as JSON for the report, long strings shortened. */
function compact(a: unknown): string {
  return JSON.stringify(a, (_k, v) => (typeof v === 'string' && v.length > 80 ? `<${v.length} chars: ${JSON.stringify(v.slice(0, 24))}…>` : v)) ?? String(a);
}

describe('fuzz: malformed activities and card payloads over HTTP', () => {
  let h: Harness;
  let world: World;
  let rosterFile = '';

  before(async function () {
    this.timeout(60_000);
    rosterFile = writeTwoTeamRoster();
    h = await startHarness({ env: { ROSTER_FILE: rosterFile }, now: '2026-11-23T09:00:00+01:00' });
    world = await seedWorld(h, slotSource());
  });
  after(async () => {
    await h?.stop();
    rmSync(dirname(rosterFile), { recursive: true, force: true });
  });

  it(`survives ${COUNT} generated activities (seed ${SEED}) without 5xx, crash, junk or error logs`, async function () {
    this.timeout(600_000);
    const snapshot = async () =>
      new Map((await tableRows(h, 'cases')).map(({ etag, timestamp, ...row }) => { void etag; void timestamp; return [`${row.partitionKey}/${row.rowKey}`, JSON.stringify(row)]; }));
    const before = await snapshot();
    const OTHER_TABLES = ['conversationRefs', 'botState', 'activityIds', 'accessLog', 'roster', 'downloads'];
    const otherBefore = Object.fromEntries(await Promise.all(OTHER_TABLES.map(async (t) => [t, (await tableRows(h, t)).length] as const)));
    const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
    const gen = new Gen(SEED, world, h.connector.url);
    const failures = new Map<string, { count: number; first: number; kind: string; activity: string; variants: Set<string> }>();
    const note = (signature: string, i: number, kind: string, activity: unknown, variant?: string) => {
      const f = failures.get(signature) ?? { count: 0, first: i, kind, activity: compact(activity), variants: new Set<string>() };
      f.count++;
      if (variant !== undefined && f.variants.size < 15) f.variants.add(variant);
      failures.set(signature, f);
    };
    const slow: string[] = [];
    const statuses = new Map<number, number>();
    const started = Date.now();

    for (let i = 0; i < COUNT; i++) {
      const { activity, kind } = gen.activity();
      if (ONLY.size > 0 && !ONLY.has(i)) continue;
      const logsFrom = h.logs.length;
      const t0 = Date.now();
      let status: number;
      let body: unknown;
      try {
        ({ status, body } = await h.post(activity));
      } catch (err) {
        status = -1;
        body = String(err);
      }
      const ms = Date.now() - t0;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 501) {
        const card = activity.name === 'adaptiveCard/action';
        const action = (activity.value as { action?: { type?: unknown } } | undefined)?.action;
        note(card ? 'HTTP 501: adaptiveCard/action that is not a well-formed Action.Execute' : 'HTTP 501: an invoke the bot has no route for', i, kind, activity,
          card ? `value ${activity.value === undefined ? 'missing' : `action.type ${JSON.stringify(action?.type ?? null)}`}` : JSON.stringify(activity.name ?? null).slice(0, 40));
      } else if (status < 0 || status >= 500) {
        note(`HTTP ${status}: ${JSON.stringify(body).slice(0, 120)}`, i, kind, activity);
      }
      if (ms > SLOW_MS) slow.push(`#${i} ${ms} ms: ${kind}`);
      const logged: string[] = [];
      for (const line of h.logs.slice(logsFrom)) {
        const entry = JSON.parse(line);
        if ((entry.level ?? 0) < 50) continue;
        const stack = String(entry.err?.stack ?? '');
        const first = stack.split('\n')[0].replace(/value "[^"]*"/g, 'value "…"').replace(/\{"odata\.error":\{"code":"(\w+)".*/, 'odata error $1').slice(0, 110);
        const frame = (stack.split('\n').find((l) => /\/(src|node_modules)\//.test(l)) ?? '').trim().replace(/^at /, '').replace(/\(.*\/(src|node_modules)\//, '($1/');
        const signature = `log level ${entry.level} "${entry.msg}": ${first} at ${frame}`;
        logged.push(signature);
        if (!EXPECTED_ERROR_LOGS.some((re) => re.test(signature))) note(signature, i, kind, activity);
      }
      if (ONLY.size > 0) console.log(`#${i} ${kind}\n${JSON.stringify(activity)}\n→ HTTP ${status} ${JSON.stringify(body)?.slice(0, 300)}\n${logged.join('\n')}\n`);
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);

    const health = await fetch(`${h.bot.url}/healthz`).then((r) => r.status, () => -1);
    const after = await snapshot();
    const added = [...after.keys()].filter((k) => !before.has(k));
    const removed = [...before.keys()].filter((k) => !after.has(k));
    const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k));
    const polluted = Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== protoKeys || ({} as Record<string, unknown>).polluted !== undefined;
    // The bot still works: Eva opens her case.
    const stillWorks = JSON.stringify((await h.post(executeActivity(eva, h.connector.url, 'case.open', { caseCode: world.R.code }))).body ?? '').includes(MARKERS.R.summary);

    const problems: string[] = [];
    for (const [signature, f] of [...failures.entries()].sort((x, y) => x[1].first - y[1].first)) {
      const variants = f.variants.size > 0 ? `\n      seen with: ${[...f.variants].join(' | ')}` : '';
      problems.push(`${signature}\n      ${f.count}×, first #${f.first} (${f.kind}; FUZZ_ONLY=${f.first} prints it whole)${variants}\n      ${f.activity.slice(0, 700)}`);
    }
    if (health !== 200) problems.push(`/healthz answered ${health} after the run`);
    if (ONLY.size > 0) return;
    if (added.length + removed.length + changed.length > 0) problems.push(`cases table changed: ${before.size} → ${after.size} rows; added ${added.slice(0, 10).join(', ')}; removed ${removed.slice(0, 10).join(', ')}; changed ${changed.slice(0, 10).join(', ')}`);
    if (polluted) problems.push('Object.prototype was changed');
    if (!stillWorks) problems.push('after the run Eva could not open her case');

    const otherAfter = Object.fromEntries(await Promise.all(OTHER_TABLES.map(async (t) => [t, (await tableRows(h, t)).length] as const)));
    const growth = OTHER_TABLES.map((t) => `${t} +${otherAfter[t] - otherBefore[t]}`).join(', ');
    const summary = `seed ${SEED} (FUZZ_SEED=${SEED} FUZZ_COUNT=${COUNT} to reproduce), ${COUNT} activities in ${seconds} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, cases table ${before.size} rows before / ${after.size} after (other tables: ${growth})`;
    if (process.env.FUZZ_PRINT) console.log(`${summary}\nslow (> ${SLOW_MS} ms): ${slow.length}\n  ${slow.join('\n  ')}`);
    if (problems.length > 0) {
      assert.fail(`${summary}\n${problems.length} problem(s):\n  ${problems.join('\n  ')}\n\nslow requests (> ${SLOW_MS} ms, ${slow.length}):\n  ${slow.slice(0, 20).join('\n  ')}`);
    }
  });
});
