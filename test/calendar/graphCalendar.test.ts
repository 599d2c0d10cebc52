import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENT_BODY_TEXT, graphCalendar, parseGraphUtc } from '../../src/calendar/graphCalendar';
import { graphTokenProvider } from '../../src/calendar/graphToken';
import type { Meeting } from '../../src/domain/meeting';
import type { Calendar } from '../../src/domain/ports';
import type { Person } from '../../src/domain/roster';
import type { TimeRange } from '../../src/domain/slots';
import { executeActivity, installActivity, type TeamsUser } from '../fixtures/activities';
import { concernForm, eva as evaUser, sara as saraUser } from '../fixtures/people';
import { startHarness, type Harness } from '../helpers/botHarness';

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Canned {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

interface ScheduleItem {
  status: string;
  start: string;
  end: string;
}

/**
 * A stand-in for Microsoft Graph and the identity platform's token endpoint, answering as their
 * documented contracts do (getSchedule, calendarView, events create/delete, client-credentials
 * token). Records every request; `failNext` makes the next matching request fail once.
 */
class FakeGraph {
  readonly requests: Recorded[] = [];
  /** getSchedule items by SMTP address; calendarView events by user object id. */
  readonly schedules = new Map<string, ScheduleItem[] | { error: { message: string; responseCode: string } }>();
  readonly views = new Map<string, Array<{ showAs: string; start: string; end: string; isCancelled?: boolean }>>();
  readonly events = new Map<string, { user: string; body: Record<string, unknown> }>();
  private readonly failures: Array<{ match: RegExp; canned: Canned }> = [];
  private server?: Server;
  private nextEvent = 1;
  private nextToken = 1;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => this.handle(req, res, body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  get graphBase() {
    return `${this.url}/v1.0`;
  }

  get tokenUrl() {
    return `${this.url}/tenant-1/oauth2/v2.0/token`;
  }

  reset(): void {
    this.requests.length = 0;
    this.schedules.clear();
    this.views.clear();
    this.events.clear();
    this.failures.length = 0;
    this.nextEvent = 1;
    this.nextToken = 1;
  }

  failNext(match: RegExp, canned: Canned): void {
    this.failures.push({ match, canned });
  }

  graphRequests(): Recorded[] {
    return this.requests.filter((r) => r.path.startsWith('/v1.0/'));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    this.requests.push({ method, path, headers: req.headers, body });
    const send = (c: Canned) => {
      res.writeHead(c.status, { ...(c.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...c.headers });
      res.end(c.body === undefined ? undefined : JSON.stringify(c.body));
    };
    const failure = this.failures.findIndex((f) => f.match.test(`${method} ${path}`));
    if (failure >= 0) return send(this.failures.splice(failure, 1)[0]!.canned);

    const graphError = (status: number, code: string, message: string): Canned => ({
      status,
      body: { error: { code, message, innerError: { 'request-id': 'req-123', date: '2026-03-02T08:00:00' } } },
    });

    if (method === 'POST' && path === '/tenant-1/oauth2/v2.0/token') {
      const form = new URLSearchParams(body);
      if (form.get('client_secret') !== 'the-secret') {
        return send({
          status: 401,
          body: { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: abc\r\nCorrelation ID: def', error_codes: [7000215] },
        });
      }
      return send({ status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `tok-${this.nextToken++}` } });
    }
    if (!/^Bearer tok-\d+$/.test(req.headers.authorization ?? '')) return send(graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.'));

    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/v1\.0\/users\/([^/]+)\/calendar\/getSchedule$/.exec(path))) {
      const { schedules } = JSON.parse(body) as { schedules: string[] };
      const value = schedules.map((id) => {
        const entry = this.schedules.get(id) ?? [];
        if (!Array.isArray(entry)) return { scheduleId: id, ...entry };
        return {
          scheduleId: id,
          availabilityView: '0000',
          scheduleItems: entry.map((i) => ({
            isPrivate: false,
            status: i.status,
            subject: 'Someone else’s meeting',
            start: { dateTime: i.start, timeZone: 'UTC' },
            end: { dateTime: i.end, timeZone: 'UTC' },
          })),
          workingHours: { daysOfWeek: ['monday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'UTC' } },
        };
      });
      return send({ status: 200, body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)', value } });
    }
    if (method === 'GET' && (m = /^\/v1\.0\/users\/([^/]+)\/calendarView\?(.*)$/.exec(path))) {
      const query = new URLSearchParams(m[2]);
      const all = this.views.get(decodeURIComponent(m[1]!)) ?? [];
      // Two per page, with @odata.nextLink, whatever $top asks (Graph may page below $top).
      const skip = Number(query.get('$skip') ?? 0);
      const page = all.slice(skip, skip + 2).map((e) => ({ ...e, start: { dateTime: e.start, timeZone: 'UTC' }, end: { dateTime: e.end, timeZone: 'UTC' } }));
      const next = skip + 2 < all.length ? `${this.graphBase}/users/${m[1]}/calendarView?${new URLSearchParams({ ...Object.fromEntries(query), $skip: String(skip + 2) })}` : undefined;
      return send({ status: 200, body: { value: page, ...(next ? { '@odata.nextLink': next } : {}) } });
    }
    if (method === 'POST' && (m = /^\/v1\.0\/users\/([^/]+)\/events$/.exec(path))) {
      const event = JSON.parse(body) as Record<string, unknown>;
      const id = `AAMkAD-event-${this.nextEvent++}`;
      this.events.set(id, { user: decodeURIComponent(m[1]!), body: event });
      return send({
        status: 201,
        body: {
          '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#users('x')/events/$entity",
          id,
          ...event,
          isOrganizer: true,
          onlineMeetingUrl: null,
          onlineMeeting: event.isOnlineMeeting ? { joinUrl: `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${id}%40thread.v2/0`, conferenceId: '291633251' } : null,
        },
      });
    }
    if (method === 'DELETE' && (m = /^\/v1\.0\/users\/([^/]+)\/events\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[2]!);
      if (!this.events.delete(id)) return send(graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'));
      return send({ status: 204 });
    }
    send(graphError(400, 'BadRequest', `Unsupported ${method} ${path}`));
  }
}

const MARKER = 'MARKER-never-sent';

const sara: Person & { email?: string } = {
  id: `sara-${MARKER}-sw`,
  aadObjectId: '00000000-0000-0000-0000-00000000a001',
  name: 'Sara Socionom',
  roles: ['socialWorker'],
  team: `team-${MARKER}`,
  email: 'sara.socionom@kommun.example',
};
const eva: Person & { email?: string } = {
  id: `eva-${MARKER}-eht`,
  aadObjectId: '00000000-0000-0000-0000-00000000e001',
  name: 'Eva Kurator',
  roles: ['eht'],
  schools: [`school-${MARKER}`],
  email: 'eva.kurator@skola.example',
};
const samir: Person = { id: 'samir', aadObjectId: '00000000-0000-0000-0000-00000000a002', name: 'Samir Socionom', roles: ['socialWorker'], team: 'ryd' };

function meeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: `m-${MARKER}-id`,
    caseCode: 'SST-2026-0001',
    teamId: `team-${MARKER}`,
    schoolId: `school-${MARKER}`,
    type: 'startup',
    minutes: 45,
    place: 'school',
    guardiansAttending: true,
    ehtId: eva.id,
    socialWorkerId: sara.id,
    status: 'confirmed',
    proposals: [],
    awaiting: 'socialWorker',
    start: '2026-11-24T12:00:00.000Z',
    cancelledBy: `cancel-${MARKER}`,
    declineReason: `reason-${MARKER}`,
    icsToken: `ics-${MARKER}-token`,
    version: 3,
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: '2026-11-02T08:00:00.000Z',
    ...overrides,
  };
}

const range: TimeRange = { start: new Date('2026-11-23T00:00:00Z'), end: new Date('2026-11-28T00:00:00Z') };

/** The built-in calendar's part: one booking of the bot's own. */
function fakeFallback(booked: TimeRange[] = []): Calendar & { busyCalls: Person[] } {
  const busyCalls: Person[] = [];
  return {
    busyCalls,
    async busy(person) {
      busyCalls.push(person);
      return booked;
    },
    async confirmed() {
      return {};
    },
    async cancelled() {},
  };
}

describe('Graph calendar adapter', () => {
  const graph = new FakeGraph();
  let now = Date.parse('2026-11-20T08:00:00Z');
  let waits: number[] = [];
  const wait = async (ms: number) => {
    waits.push(ms);
  };
  const token = () => graphTokenProvider({ tenantId: 'tenant-1', clientId: 'client-1', clientSecret: 'the-secret', tokenUrl: graph.tokenUrl, now: () => now });
  const calendar = (over: { fallback?: Calendar; maxRetries?: number } = {}) =>
    graphCalendar({ baseUrl: graph.graphBase, getToken: token(), fallback: over.fallback ?? fakeFallback(), wait, maxRetries: over.maxRetries });

  before(() => graph.start());
  after(() => graph.stop());
  beforeEach(() => {
    graph.reset();
    waits = [];
    now = Date.parse('2026-11-20T08:00:00Z');
  });

  describe('busy()', () => {
    it('merges Graph busy, tentative, oof and workingElsewhere with the bot’s own bookings and ignores free', async () => {
      graph.schedules.set(sara.email!, [
        { status: 'busy', start: '2026-11-24T08:00:00.0000000', end: '2026-11-24T09:00:00.0000000' },
        { status: 'free', start: '2026-11-24T10:00:00.0000000', end: '2026-11-24T11:00:00.0000000' },
        { status: 'Tentative', start: '2026-11-25T08:00:00.0000000', end: '2026-11-25T08:30:00.0000000' },
        { status: 'oof', start: '2026-11-26T00:00:00.0000000', end: '2026-11-27T00:00:00.0000000' },
        { status: 'workingElsewhere', start: '2026-11-27T12:00:00.0000000', end: '2026-11-27T13:00:00.0000000' },
        { status: 'unknown', start: '2026-11-27T14:00:00.0000000', end: '2026-11-27T15:00:00.0000000' },
      ]);
      const fallback = fakeFallback([
        { start: new Date('2026-11-24T08:30:00Z'), end: new Date('2026-11-24T09:30:00Z') },
        { start: new Date('2026-11-25T13:00:00Z'), end: new Date('2026-11-25T14:00:00Z') },
      ]);
      const busy = await calendar({ fallback }).busy(sara, range);
      assert.deepEqual(
        busy.map((r) => [r.start.toISOString(), r.end.toISOString()]),
        [
          ['2026-11-24T08:00:00.000Z', '2026-11-24T09:30:00.000Z'], // Graph busy merged with an own booking
          ['2026-11-25T08:00:00.000Z', '2026-11-25T08:30:00.000Z'],
          ['2026-11-25T13:00:00.000Z', '2026-11-25T14:00:00.000Z'],
          ['2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z'],
          ['2026-11-27T12:00:00.000Z', '2026-11-27T13:00:00.000Z'],
        ],
      );
      assert.deepEqual(fallback.busyCalls, [sara]);
    });

    it('asks getSchedule for the person by object id, in UTC, with a bearer token and the documented body', async () => {
      await calendar().busy(sara, range);
      const [req] = graph.graphRequests();
      assert.ok(req);
      assert.equal(req.method, 'POST');
      assert.equal(req.path, `/v1.0/users/${sara.aadObjectId}/calendar/getSchedule`);
      assert.equal(req.headers.prefer, 'outlook.timezone="UTC"');
      assert.equal(req.headers.authorization, 'Bearer tok-1');
      assert.match(String(req.headers['content-type']), /^application\/json/);
      assert.deepEqual(JSON.parse(req.body), {
        schedules: [sara.email],
        startTime: { dateTime: '2026-11-23T00:00:00', timeZone: 'UTC' },
        endTime: { dateTime: '2026-11-28T00:00:00', timeZone: 'UTC' },
        availabilityViewInterval: 15,
      });
    });

    it('without an e-mail reads calendarView by object id (only showAs/start/end), following nextLink', async () => {
      graph.views.set(samir.aadObjectId, [
        { showAs: 'busy', start: '2026-11-24T08:00:00.0000000', end: '2026-11-24T09:00:00.0000000' },
        { showAs: 'free', start: '2026-11-24T10:00:00.0000000', end: '2026-11-24T11:00:00.0000000' },
        { showAs: 'busy', isCancelled: true, start: '2026-11-24T12:00:00.0000000', end: '2026-11-24T13:00:00.0000000' },
        { showAs: 'oof', start: '2026-11-25T08:00:00.0000000', end: '2026-11-25T17:00:00.0000000' },
      ]);
      const busy = await calendar().busy(samir, range);
      assert.deepEqual(
        busy.map((r) => [r.start.toISOString(), r.end.toISOString()]),
        [
          ['2026-11-24T08:00:00.000Z', '2026-11-24T09:00:00.000Z'],
          ['2026-11-25T08:00:00.000Z', '2026-11-25T17:00:00.000Z'],
        ],
      );
      const reqs = graph.graphRequests();
      assert.equal(reqs.length, 2, 'two pages');
      for (const req of reqs) {
        assert.equal(req.method, 'GET');
        assert.equal(req.headers.prefer, 'outlook.timezone="UTC"');
        const url = new URL(req.path, graph.url);
        assert.equal(url.pathname, `/v1.0/users/${samir.aadObjectId}/calendarView`);
        assert.equal(url.searchParams.get('startDateTime'), '2026-11-23T00:00:00.000Z');
        assert.equal(url.searchParams.get('endDateTime'), '2026-11-28T00:00:00.000Z');
        assert.equal(url.searchParams.get('$select'), 'showAs,start,end,isCancelled');
      }
    });

    it('fails rather than guess when getSchedule cannot read the mailbox', async () => {
      graph.schedules.set(sara.email!, { error: { message: `Unable to resolve e-mail address ${sara.email} to an Active Directory object.`, responseCode: '5009' } });
      await assert.rejects(calendar().busy(sara, range), (err: Error) => {
        assert.match(err.message, /getSchedule/);
        assert.match(err.message, /5009/);
        return true;
      });
    });

    it('parses Graph dateTimes (7 fractional digits, no offset) as UTC and refuses another zone', () => {
      assert.equal(parseGraphUtc({ dateTime: '2026-11-24T08:00:00.1234567', timeZone: 'UTC' }, 'getSchedule').toISOString(), '2026-11-24T08:00:00.123Z');
      assert.equal(parseGraphUtc({ dateTime: '2026-11-24T08:00:00', timeZone: 'UTC' }, 'getSchedule').toISOString(), '2026-11-24T08:00:00.000Z');
      assert.throws(() => parseGraphUtc({ dateTime: '2026-11-24T08:00:00.0000000', timeZone: 'Pacific Standard Time' }, 'getSchedule'), /Pacific Standard Time/);
    });
  });

  describe('confirmed()', () => {
    it('creates the event in the social worker’s calendar with only code and type, and returns its id', async () => {
      const result = await calendar().confirmed(meeting(), { eht: eva, socialWorker: sara });
      const [req] = graph.graphRequests();
      assert.ok(req);
      assert.equal(req.method, 'POST');
      assert.equal(req.path, `/v1.0/users/${sara.aadObjectId}/events`);
      assert.equal(req.headers.authorization, 'Bearer tok-1');
      const body = JSON.parse(req.body) as Record<string, any>;
      assert.equal(body.subject, 'SST-2026-0001 – Uppstartsmöte');
      assert.deepEqual(body.body, { contentType: 'text', content: EVENT_BODY_TEXT });
      assert.deepEqual(body.start, { dateTime: '2026-11-24T12:00:00', timeZone: 'UTC' });
      assert.deepEqual(body.end, { dateTime: '2026-11-24T12:45:00', timeZone: 'UTC' });
      assert.deepEqual(body.location, { displayName: 'Skolan' });
      assert.deepEqual(body.attendees, [{ emailAddress: { address: eva.email }, type: 'required' }]);
      assert.equal(body.isOnlineMeeting, false);
      assert.equal(body.onlineMeetingProvider, undefined);
      assert.equal(body.sensitivity, 'private');
      // Nothing of the case or the bot's ids: no roster ids, school, team, ics token, reasons.
      assert.doesNotMatch(req.body, new RegExp(MARKER));
      for (const value of [eva.id, sara.id, `school-${MARKER}`, `team-${MARKER}`, `ics-${MARKER}-token`]) assert.ok(!req.body.includes(value), value);
      assert.equal(result.externalEventId, 'AAMkAD-event-1');
      assert.equal(result.joinUrl, undefined, 'no Teams link for a meeting at school');
    });

    it('asks for a Teams meeting when the place is Teams and returns its joinUrl', async () => {
      const result = await calendar().confirmed(meeting({ place: 'teams', type: 'sip', minutes: 90 }), { eht: eva, socialWorker: sara });
      const body = JSON.parse(graph.graphRequests()[0]!.body) as Record<string, any>;
      assert.equal(body.subject, 'SST-2026-0001 – SIP-möte');
      assert.equal(body.isOnlineMeeting, true);
      assert.equal(body.onlineMeetingProvider, 'teamsForBusiness');
      assert.deepEqual(body.end, { dateTime: '2026-11-24T13:30:00', timeZone: 'UTC' });
      assert.match(result.joinUrl ?? '', /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
      assert.equal(result.externalEventId, 'AAMkAD-event-1');
    });

    it('names every meeting type and place in Swedish', async () => {
      const cal = calendar();
      await cal.confirmed(meeting({ type: 'guardians', place: 'other' }), { eht: eva, socialWorker: sara });
      await cal.confirmed(meeting({ type: 'followUp' }), { eht: eva, socialWorker: sara });
      const [a, b] = graph.graphRequests().map((r) => JSON.parse(r.body) as Record<string, any>);
      assert.equal(a!.subject, 'SST-2026-0001 – Möte med vårdnadshavare');
      assert.deepEqual(a!.location, { displayName: 'Annan plats' });
      assert.equal(b!.subject, 'SST-2026-0001 – Uppföljningsmöte');
    });

    it('creates the event without attendees when the roster has no e-mail for the EHT member', async () => {
      const { email: _e, ...evaWithoutEmail } = eva;
      await calendar().confirmed(meeting(), { eht: evaWithoutEmail, socialWorker: sara });
      const body = JSON.parse(graph.graphRequests()[0]!.body) as Record<string, any>;
      assert.deepEqual(body.attendees, []);
    });

    it('refuses a meeting that is not confirmed', async () => {
      await assert.rejects(calendar().confirmed(meeting({ status: 'proposed', start: undefined }), { eht: eva, socialWorker: sara }), /not confirmed/);
      assert.equal(graph.graphRequests().length, 0);
    });
  });

  describe('cancelled()', () => {
    it('deletes the event from the social worker’s calendar', async () => {
      const cal = calendar();
      const { externalEventId } = await cal.confirmed(meeting({ place: 'teams' }), { eht: eva, socialWorker: sara });
      await cal.cancelled(meeting({ externalEventId, status: 'cancelled' }), { eht: eva, socialWorker: sara });
      const del = graph.graphRequests()[1]!;
      assert.equal(del.method, 'DELETE');
      assert.equal(del.path, `/v1.0/users/${sara.aadObjectId}/events/${externalEventId}`);
      assert.equal(del.headers.authorization, 'Bearer tok-1');
      assert.equal(graph.events.size, 0);
    });

    it('accepts an event that is already gone (404)', async () => {
      await calendar().cancelled(meeting({ externalEventId: 'AAMkAD-gone' }), { eht: eva, socialWorker: sara });
      assert.equal(graph.graphRequests().length, 1);
    });

    it('does nothing for a meeting that never got an event', async () => {
      await calendar().cancelled(meeting(), { eht: eva, socialWorker: sara });
      assert.equal(graph.graphRequests().length, 0);
    });
  });

  describe('throttling and errors', () => {
    it('retries once after 429, waiting Retry-After seconds', async () => {
      graph.failNext(/^POST \/v1\.0\/users\/[^/]+\/events$/, { status: 429, headers: { 'Retry-After': '7' }, body: { error: { code: 'ApplicationThrottled', message: 'Too many requests' } } });
      const result = await calendar().confirmed(meeting({ place: 'teams' }), { eht: eva, socialWorker: sara });
      assert.deepEqual(waits, [7000]);
      const posts = graph.graphRequests().filter((r) => r.method === 'POST');
      assert.equal(posts.length, 2);
      assert.equal(JSON.parse(posts[0]!.body).transactionId, JSON.parse(posts[1]!.body).transactionId, 'same transactionId, so Graph drops a duplicate');
      assert.equal(result.externalEventId, 'AAMkAD-event-1');
    });

    it('retries 503 too, with backoff when there is no Retry-After', async () => {
      graph.failNext(/getSchedule/, { status: 503, body: { error: { code: 'ServiceNotAvailable', message: 'Try later' } } });
      graph.failNext(/getSchedule/, { status: 503, headers: { 'Retry-After': '2' } });
      await calendar().busy(sara, range);
      assert.deepEqual(waits, [1000, 2000]);
      assert.equal(graph.graphRequests().length, 3);
    });

    it('gives up after maxRetries and says it was throttled', async () => {
      for (let i = 0; i < 3; i++) graph.failNext(/getSchedule/, { status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'TooManyRequests', message: 'Slow down' } } });
      await assert.rejects(calendar({ maxRetries: 2 }).busy(sara, range), (err: Error) => {
        assert.match(err.message, /getSchedule/);
        assert.match(err.message, /429/);
        assert.match(err.message, /TooManyRequests/);
        assert.match(err.message, /throttl/i);
        return true;
      });
      assert.deepEqual(waits, [1000, 1000]);
    });

    it('turns 403 into an error naming the call, code, permission and access policy, without the request body', async () => {
      graph.failNext(/^POST \/v1\.0\/users\/[^/]+\/events$/, {
        status: 403,
        body: { error: { code: 'ErrorAccessDenied', message: 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.', innerError: { 'request-id': 'req-403' } } },
      });
      await assert.rejects(calendar().confirmed(meeting(), { eht: eva, socialWorker: sara }), (err: Error) => {
        assert.match(err.message, /createEvent/);
        assert.match(err.message, /HTTP 403/);
        assert.match(err.message, /ErrorAccessDenied/);
        assert.match(err.message, /Calendars\.ReadWrite/);
        assert.match(err.message, /admin consent/);
        assert.match(err.message, /application access policy/i);
        assert.match(err.message, /req-403/);
        assert.ok(!err.message.includes('SST-2026-0001'), 'no subject');
        assert.ok(!err.message.includes(EVENT_BODY_TEXT), 'no body');
        assert.ok(!err.message.includes(eva.email!), 'no attendee');
        return true;
      });
      assert.deepEqual(waits, [], 'a 403 is not retried');
    });

    it('does not tolerate other failures of DELETE', async () => {
      graph.failNext(/^DELETE /, { status: 403, body: { error: { code: 'ErrorAccessDenied', message: 'Access is denied.' } } });
      await assert.rejects(calendar().cancelled(meeting({ externalEventId: 'AAMkAD-x' }), { eht: eva, socialWorker: sara }), /deleteEvent.*403.*ErrorAccessDenied/s);
    });
  });

  describe('token provider', () => {
    it('uses the client-credentials grant with the .default scope and caches the token across calls', async () => {
      const cal = calendar();
      await cal.busy(sara, range);
      await cal.confirmed(meeting(), { eht: eva, socialWorker: sara });
      const tokenRequests = graph.requests.filter((r) => r.path === '/tenant-1/oauth2/v2.0/token');
      assert.equal(tokenRequests.length, 1);
      assert.match(String(tokenRequests[0]!.headers['content-type']), /^application\/x-www-form-urlencoded/);
      const form = new URLSearchParams(tokenRequests[0]!.body);
      assert.equal(form.get('grant_type'), 'client_credentials');
      assert.equal(form.get('client_id'), 'client-1');
      assert.equal(form.get('scope'), 'https://graph.microsoft.com/.default');
      assert.deepEqual(
        graph.graphRequests().map((r) => r.headers.authorization),
        ['Bearer tok-1', 'Bearer tok-1'],
      );
    });

    it('refreshes 5 minutes before expiry', async () => {
      const getToken = token();
      assert.equal(await getToken(), 'tok-1');
      now += (3599 - 301) * 1000; // just over 5 minutes left
      assert.equal(await getToken(), 'tok-1');
      now += 2000; // under 5 minutes left
      assert.equal(await getToken(), 'tok-2');
      assert.equal(await getToken(), 'tok-2');
    });

    it('shares one token request between concurrent callers', async () => {
      const getToken = token();
      assert.deepEqual(await Promise.all([getToken(), getToken(), getToken()]), ['tok-1', 'tok-1', 'tok-1']);
      assert.equal(graph.requests.length, 1);
    });

    it('explains a rejected secret without repeating it', async () => {
      const getToken = graphTokenProvider({ tenantId: 'tenant-1', clientId: 'client-1', clientSecret: 'wrong-secret', tokenUrl: graph.tokenUrl });
      await assert.rejects(getToken(), (err: Error) => {
        assert.match(err.message, /HTTP 401 invalid_client/);
        assert.match(err.message, /AADSTS7000215/);
        assert.match(err.message, /GRAPH_CLIENT_SECRET/);
        assert.ok(!err.message.includes('wrong-secret'));
        assert.ok(!err.message.includes('Trace ID'));
        return true;
      });
    });

    it('needs a client secret until managed identity is supported', () => {
      assert.throws(() => graphTokenProvider({ tenantId: 't', clientId: 'c' }), /GRAPH_CLIENT_SECRET.*managed identity/);
    });

    it('defaults to the tenant’s v2.0 token endpoint', async () => {
      const urls: string[] = [];
      const fetchImpl = (async (url: string | URL | Request) => {
        urls.push(String(url));
        return new Response(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: 'x' }), { status: 200 });
      }) as typeof fetch;
      await graphTokenProvider({ tenantId: 'contoso.onmicrosoft.com', clientId: 'c', clientSecret: 's', fetchImpl })();
      assert.deepEqual(urls, ['https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token']);
    });
  });
});

/**
 * The bot over HTTP with its Outlook calendar on the Graph stand-in: an event is created when a
 * meeting is confirmed, removed when it is cancelled, moved (removed, then created at the new time)
 * when it is rescheduled and confirmed again, and removed when its case is closed.
 */
describe('Outlook events follow the meeting (bot over HTTP, Graph stand-in)', function () {
  this.timeout(60_000);
  const graph = new FakeGraph();
  const fixtures = { installActivity, executeActivity, eva: evaUser, sara: saraUser, concernForm };
  let h: Harness;
  const TUE_09 = new Date('2026-11-24T09:00:00+01:00').toISOString();
  const WED_10 = new Date('2026-11-25T10:00:00+01:00').toISOString();

  before(() => graph.start());
  after(() => graph.stop());
  beforeEach(async () => {
    graph.reset();
    h = await startHarness({
      now: '2026-11-23T09:00:00+01:00',
      env: { GRAPH_TENANT_ID: 'tenant-1', GRAPH_CLIENT_ID: 'client-1', GRAPH_CLIENT_SECRET: 'the-secret', GRAPH_BASE_URL: graph.graphBase },
      start: { graphAuthority: { tokenUrl: graph.tokenUrl } },
    });
    for (const u of [fixtures.eva, fixtures.sara]) await h.post(fixtures.installActivity(u, h.connector.url));
  });
  afterEach(async () => h.stop());

  const act = async (who: TeamsUser, verb: string, data: Record<string, unknown>) => (await h.post(fixtures.executeActivity(who, h.connector.url, verb, data))).body?.value;
  /** The Outlook events that exist now, by start time (UTC, as the bot sent them). */
  const events = () => [...graph.events.values()].map((e) => (e.body.start as { dateTime: string }).dateTime).sort();
  const confirmedMeeting = async (start: string) => {
    const code = /SST-2026-\d{4}/.exec(JSON.stringify(await act(fixtures.eva, 'concern.submit', fixtures.concernForm())))![0];
    await act(fixtures.sara, 'case.accept', { caseCode: code });
    const card = await act(fixtures.eva, 'meeting.request', { caseCode: code, type: 'startup', minutes: '60', place: 'school', guardians: 'false', slots: start });
    const ids = { teamId: card.refresh.action.data.teamId, meetingId: card.refresh.action.data.meetingId };
    assert.match(JSON.stringify(await act(fixtures.sara, 'meeting.accept', { ...ids, start })), /Bekräftat/);
    return { code, ids };
  };

  it('creates the event on confirmation and removes it when the meeting is cancelled', async () => {
    const { ids } = await confirmedMeeting(TUE_09);
    assert.deepEqual(events(), [TUE_09.slice(0, 19)]);
    assert.match(JSON.stringify(await act(fixtures.eva, 'meeting.cancel', ids)), /Inställt/);
    assert.deepEqual(events(), [], 'the Outlook event is gone');
    assert.ok(graph.graphRequests().some((r) => r.method === 'DELETE'));
  });

  it('moves the event when the meeting is moved: gone from the old time, created at the new one once confirmed', async () => {
    const { ids } = await confirmedMeeting(TUE_09);
    assert.match(JSON.stringify(await act(fixtures.eva, 'meeting.reschedule', { ...ids, slots: WED_10 })), /Väntar på svar från Sara Socionom/);
    assert.deepEqual(events(), [], 'the old time is freed at once');
    assert.match(JSON.stringify(await act(fixtures.sara, 'meeting.accept', { ...ids, start: WED_10 })), /Bekräftat/);
    assert.deepEqual(events(), [WED_10.slice(0, 19)]);
  });

  it('removes the event when the case is closed', async () => {
    const { code } = await confirmedMeeting(TUE_09);
    assert.equal(events().length, 1);
    assert.match(JSON.stringify(await act(fixtures.sara, 'case.close', { caseCode: code, outcome: 'other', sameSchool: 'yes', absenceValid: '4', absenceInvalid: '2' })), /är avslutat/);
    assert.deepEqual(events(), []);
  });
});
