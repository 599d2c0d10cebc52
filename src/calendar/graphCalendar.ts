import { createHash } from 'node:crypto';
import type { Meeting } from '../domain/meeting';
import { endOf } from '../domain/meeting';
import type { Calendar } from '../domain/ports';
import type { Person } from '../domain/roster';
import { mergeRanges, type TimeRange } from '../domain/slots';

/**
 * The Microsoft Graph adapter for the Calendar port (see docs/graph-calendar.md).
 *
 * - busy(): the person's Outlook free/busy, merged with the bot's own bookings (`fallback.busy`).
 *   With an e-mail address known: POST /users/{aadObjectId}/calendar/getSchedule (its `schedules`
 *   take SMTP addresses only). Without one: GET /users/{aadObjectId}/calendarView, which takes the
 *   object id, with only showAs/start/end selected. Both need Calendars.Read (ReadWrite covers it).
 *   Busy means every status except `free` (and `unknown`): `busy`, `oof`, `tentative` and
 *   `workingElsewhere` all block a slot. A tentative hold or a day working elsewhere is a time the
 *   person has not offered, and a wrongly blocked slot costs a different suggestion, while a wrongly
 *   offered one costs a double booking with a guardian waiting.
 * - confirmed(): creates the event in the social worker's calendar (organizer) with the EHT member
 *   as required attendee when the roster gives an e-mail, a Teams link only for place "teams".
 *   Subject is the case code and meeting type, the body a fixed sentence: no case content.
 * - cancelled(): deletes the event from the organizer's calendar, which sends attendees a
 *   cancellation; an event already gone (404) is fine.
 *
 * Times go to Graph as UTC and `Prefer: outlook.timezone="UTC"` asks for UTC back. 429 and 503 are
 * retried after Retry-After. Any other failure throws an Error naming the call, the status, Graph's
 * error code and what to check; request bodies never appear in errors.
 */
export interface GraphCalendarOptions {
  /** Default https://graph.microsoft.com/v1.0 (no trailing slash needed). */
  baseUrl?: string;
  /** A bearer token for Microsoft Graph, app-only (see graphTokenProvider). */
  getToken: () => Promise<string>;
  /** The built-in calendar: its bookings are always busy too. */
  fallback: Calendar;
  fetchImpl?: typeof fetch;
  /** Retries after 429/503 before giving up. Default 3. */
  maxRetries?: number;
  /** How to wait before a retry; tests inject a recorder. Default setTimeout. */
  wait?: (ms: number) => Promise<void>;
}

export const GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

const TYPE_TITLES: Record<Meeting['type'], string> = {
  startup: 'Uppstartsmöte',
  guardians: 'Möte med vårdnadshavare',
  sip: 'SIP-möte',
  followUp: 'Uppföljningsmöte',
  homeVisit: 'Hembesök',
  consultation: 'Konsultationsmöte',
};

const PLACE_NAMES: Record<Meeting['place'], string> = {
  school: 'Skolan',
  teams: 'Microsoft Teams-möte',
  home: 'Hembesök',
  other: 'Annan plats',
};

/** The whole body of every event: fixed, never anything from the case. */
export const EVENT_BODY_TEXT = 'Möte bokat via Skolsocialt team. Ärendeuppgifter finns i verksamhetssystemen, inte i kalendern.';

const BUSY_STATUSES = new Set(['busy', 'oof', 'tentative', 'workingelsewhere']);
const RETRY_STATUSES = new Set([429, 503]);
const REQUEST_TIMEOUT_MS = 30_000;
const PREFER_UTC = 'outlook.timezone="UTC"';

type CallName = 'getSchedule' | 'calendarView' | 'createEvent' | 'deleteEvent';

/** What to check when a call fails, by status; the permission named is the one the call needs. */
const PERMISSION: Record<CallName, string> = {
  getSchedule: 'Calendars.Read or Calendars.ReadWrite',
  calendarView: 'Calendars.Read or Calendars.ReadWrite',
  createEvent: 'Calendars.ReadWrite',
  deleteEvent: 'Calendars.ReadWrite',
};

function advice(call: CallName, status: number): string {
  if (status === 401) return 'Check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET (expired secret?) and that the token is for https://graph.microsoft.com.';
  if (status === 403)
    return `Check that the app registration has the application permission ${PERMISSION[call]} (Microsoft Graph) with admin consent, and that the Exchange application access policy (or RBAC for Applications) lets the app reach this mailbox: the user must be in the policy's mail-enabled security group (Test-ApplicationAccessPolicy).`;
  if (status === 404) return 'Check that the roster aadObjectId is the Entra object id of a user who has an Exchange Online mailbox (licensed, not only on-premises).';
  if (status === 429 || status === 503) return 'Graph is throttling or unavailable and retries ran out; try again later.';
  if (status >= 500) return 'Graph or Exchange failed; try again later and give Microsoft the request-id if it persists.';
  return 'Graph rejected the request; check the roster entry (aadObjectId, email) for this person.';
}

export class GraphCalendarError extends Error {
  constructor(
    readonly call: CallName,
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'GraphCalendarError';
  }
}

interface GraphErrorBody {
  error?: { code?: string; message?: string; innerError?: { 'request-id'?: string } };
}

interface DateTimeTimeZone {
  dateTime: string;
  timeZone?: string;
}

/** "2026-03-02T08:00:00" in UTC, as Graph's dateTimeTimeZone wants it. */
const utcDateTime = (d: Date): DateTimeTimeZone => ({ dateTime: d.toISOString().slice(0, 19), timeZone: 'UTC' });

/** A Graph dateTime (up to 7 fractional digits, no offset) that we asked to be in UTC. */
export function parseGraphUtc(value: DateTimeTimeZone | undefined, call: CallName): Date {
  const zone = value?.timeZone ?? 'UTC';
  if (!/^(UTC|Etc\/UTC|Coordinated Universal Time)$/i.test(zone)) {
    throw new GraphCalendarError(call, 200, undefined, `Graph ${call} answered in time zone "${zone}" although UTC was asked for (Prefer: ${PREFER_UTC}); refusing to guess the times.`);
  }
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(value?.dateTime ?? '');
  if (!m) throw new GraphCalendarError(call, 200, undefined, `Graph ${call} answered a time that is not ISO 8601: "${String(value?.dateTime).slice(0, 40)}".`);
  const ms = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  return new Date(`${m[1]}.${ms}${m[3] ?? 'Z'}`);
}

const defaultWait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After in seconds (or an HTTP date); undefined when absent or unreadable. */
function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** A GUID-shaped id derived from the meeting and its version: stable across retries, reveals nothing. */
export function transactionIdOf(m: Pick<Meeting, 'id' | 'version'>): string {
  const h = createHash('sha256').update(`skolsocialt-team:${m.id}:${m.version}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const emailOf = (person: Person) => {
  const email = person.email?.trim();
  return email ? email : undefined;
};

export function graphCalendar(opts: GraphCalendarOptions): Calendar {
  const baseUrl = (opts.baseUrl ?? GRAPH_BASE_URL).replace(/\/+$/, '');
  const origin = new URL(baseUrl).origin;
  const fetchImpl = opts.fetchImpl ?? fetch;
  const maxRetries = opts.maxRetries ?? 3;
  const wait = opts.wait ?? defaultWait;
  const user = (person: Person, call: CallName) => {
    if (!person.aadObjectId) throw new GraphCalendarError(call, 0, undefined, `Graph ${call}: person "${person.id}" has no aadObjectId in the roster.`);
    return `${baseUrl}/users/${encodeURIComponent(person.aadObjectId)}`;
  };

  /** One Graph call with retries; returns the parsed JSON (or undefined for an empty body). */
  async function call<T>(name: CallName, method: string, url: string, body?: unknown, okStatuses: number[] = []): Promise<{ status: number; json?: T }> {
    if (new URL(url).origin !== origin) throw new GraphCalendarError(name, 0, undefined, `Graph ${name}: refusing to follow a link outside ${origin}.`);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { Authorization: `Bearer ${await opts.getToken()}`, Prefer: PREFER_UTC, Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      let res: Response;
      try {
        res = await fetchImpl(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (err) {
        const why = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : `network error (${err instanceof Error ? err.message : String(err)})`;
        throw new GraphCalendarError(name, 0, undefined, `Graph ${name} (${method}) failed: ${why}. Check that ${origin} is reachable from the bot.`);
      }
      const text = await res.text();
      if (res.ok || okStatuses.includes(res.status)) {
        return { status: res.status, json: text ? (JSON.parse(text) as T) : undefined };
      }
      if (RETRY_STATUSES.has(res.status) && attempt < maxRetries) {
        await wait(retryAfterMs(res.headers.get('retry-after'), Date.now()) ?? 2 ** attempt * 1000);
        continue;
      }
      let error: GraphErrorBody['error'];
      try {
        error = (JSON.parse(text) as GraphErrorBody).error;
      } catch {
        error = undefined;
      }
      const code = error?.code;
      const requestId = error?.innerError?.['request-id'] ?? res.headers.get('request-id') ?? undefined;
      const graphSays = error?.message ? ` Graph says: "${error.message.slice(0, 200)}".` : '';
      throw new GraphCalendarError(
        name,
        res.status,
        code,
        `Graph ${name} (${method}) failed with HTTP ${res.status} ${code ?? '(no error code)'}${requestId ? ` [request-id ${requestId}]` : ''}.${graphSays} ${advice(name, res.status)}`,
      );
    }
  }

  async function scheduleBusy(person: Person, email: string, range: TimeRange): Promise<TimeRange[]> {
    const { json } = await call<{ value?: ScheduleInformation[] }>('getSchedule', 'POST', `${user(person, 'getSchedule')}/calendar/getSchedule`, {
      schedules: [email],
      startTime: utcDateTime(range.start),
      endTime: utcDateTime(range.end),
      availabilityViewInterval: 15,
    });
    const busy: TimeRange[] = [];
    for (const info of json?.value ?? []) {
      if (info.error) {
        throw new GraphCalendarError(
          'getSchedule',
          200,
          info.error.responseCode,
          `Graph getSchedule could not read the free/busy of person "${person.id}": ${info.error.responseCode ?? 'error'} "${(info.error.message ?? '').slice(0, 200)}". Check the roster email and that the mailbox exists in Exchange Online.`,
        );
      }
      for (const item of info.scheduleItems ?? []) {
        if (BUSY_STATUSES.has((item.status ?? '').toLowerCase())) busy.push({ start: parseGraphUtc(item.start, 'getSchedule'), end: parseGraphUtc(item.end, 'getSchedule') });
      }
    }
    return busy;
  }

  async function calendarViewBusy(person: Person, range: TimeRange): Promise<TimeRange[]> {
    const query = new URLSearchParams({
      startDateTime: range.start.toISOString(),
      endDateTime: range.end.toISOString(),
      $select: 'showAs,start,end,isCancelled',
      $top: '100',
    });
    let url: string | undefined = `${user(person, 'calendarView')}/calendarView?${query}`;
    const busy: TimeRange[] = [];
    for (let page = 0; url && page < 50; page++) {
      const { json }: { json?: CalendarViewPage } = await call<CalendarViewPage>('calendarView', 'GET', url);
      for (const ev of json?.value ?? []) {
        if (!ev.isCancelled && BUSY_STATUSES.has((ev.showAs ?? '').toLowerCase())) busy.push({ start: parseGraphUtc(ev.start, 'calendarView'), end: parseGraphUtc(ev.end, 'calendarView') });
      }
      url = json?.['@odata.nextLink'];
    }
    return busy;
  }

  return {
    async busy(person, range) {
      const email = emailOf(person);
      const [graph, own] = await Promise.all([email ? scheduleBusy(person, email, range) : calendarViewBusy(person, range), opts.fallback.busy(person, range)]);
      return mergeRanges([...graph, ...own]);
    },

    async confirmed(m, { eht, socialWorker }) {
      const end = endOf(m);
      if (m.status !== 'confirmed' || !m.start || !end) throw new Error(`Meeting ${m.id} is not confirmed; no calendar event to create.`);
      const online = m.place === 'teams';
      const ehtEmail = emailOf(eht);
      const event: Record<string, unknown> = {
        subject: `${m.caseCode} – ${TYPE_TITLES[m.type]}`,
        body: { contentType: 'text', content: EVENT_BODY_TEXT },
        start: utcDateTime(new Date(m.start)),
        end: utcDateTime(end),
        location: { displayName: PLACE_NAMES[m.place] },
        attendees: ehtEmail ? [{ emailAddress: { address: ehtEmail }, type: 'required' }] : [],
        isOnlineMeeting: online,
        ...(online ? { onlineMeetingProvider: 'teamsForBusiness' } : {}),
        // Times are changed in the bot, which keeps both parties' cards right; not from Outlook.
        allowNewTimeProposals: false,
        // Delegates and free/busy viewers see "private", not the case code.
        sensitivity: 'private',
        showAs: 'busy',
        // Graph drops a second POST with the same transactionId (our retries after 503/429).
        transactionId: transactionIdOf(m),
      };
      const { json } = await call<{ id?: string; onlineMeeting?: { joinUrl?: string } | null }>('createEvent', 'POST', `${user(socialWorker, 'createEvent')}/events`, event);
      return { joinUrl: json?.onlineMeeting?.joinUrl ?? undefined, externalEventId: json?.id };
    },

    async cancelled(m, { socialWorker }) {
      if (!m.externalEventId) return;
      await call('deleteEvent', 'DELETE', `${user(socialWorker, 'deleteEvent')}/events/${encodeURIComponent(m.externalEventId)}`, undefined, [404]);
    },
  };
}

interface ScheduleInformation {
  scheduleId?: string;
  scheduleItems?: Array<{ status?: string; start?: DateTimeTimeZone; end?: DateTimeTimeZone }>;
  error?: { message?: string; responseCode?: string };
}

interface CalendarViewPage {
  value?: Array<{ showAs?: string; isCancelled?: boolean; start?: DateTimeTimeZone; end?: DateTimeTimeZone }>;
  '@odata.nextLink'?: string;
}
