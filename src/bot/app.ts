import { INVOKE_RESPONSE_KEY, TurnContext, type Storage } from 'botbuilder';
import { describeFailure } from './failures';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { commandOf } from './commands';
import { isPersonalChat, setChosenLanguage, setLocaleOverride, translatorFor, typedLanguage } from './context';
import { answeredCard, cardVerbs, handlerStarted } from './cardActions';
import { tenantVerdict } from './tenant';
import { knownVerb } from './cards/verbs';
import type { BotDeps } from './deps';
import { CASE_CODE_PATTERN } from '../domain/concern';
import { personByAad } from '../domain/roster';
import { registerAdminRoutes } from './routes/admin';
import { registerCaseRoutes } from './routes/cases';
import { registerConcernRoutes } from './routes/concerns';
import { registerHelpRoutes, sendHelp } from './routes/help';
import { registerMeetingRoutes, type MeetingRouteDeps } from './routes/meetings';
import { registerPlanRoutes } from './routes/plans';
import { registerDigestRoutes } from './routes/digest';
import { registerCommandRoutes } from './routes/navigation';
import type { CommandHandlers, ViewDeps } from './views';
import { registerReportRoutes, type ReportRouteDeps } from './routes/report';
import { registerAuditRoutes } from './routes/audit';
import { registerAwayRoutes } from './routes/away';
import type { PlanDeps } from '../services/plans';
import type { DeliveryDeps } from '../services/deliverReminder';
import type { AppTurnState } from './turnState';
import { TurnState } from '@microsoft/teams-ai';

export interface CreateAppOptions {
  adapter: TeamsAdapter;
  storage: Storage;
  botAppId?: string;
  deps: BotDeps;
  meetings: MeetingRouteDeps;
  plans: PlanDeps;
  delivery: DeliveryDeps;
  report: ReportRouteDeps;
  /** Only activities from these tenants are handled (lower-case ids); undefined = any (local mode). */
  allowedTenants?: string[];
  /** Local mode only: answer in this locale instead of the client's. */
  localeOverride?: string;
}

/** The teams-ai Application with every route; routes are first-match, so order matters. */
export function createApp({ adapter, storage, botAppId, deps, meetings, plans, delivery, report, allowedTenants, localeOverride }: CreateAppOptions): Application<AppTurnState> {
  const views: ViewDeps = { bot: deps, meetings: meetings.meetings, view: meetings.view, plans: plans.plans };
  const app = new Application<AppTurnState>({
    adapter,
    storage,
    botAppId,
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
    turnStateFactory: () => new TurnState(),
  });

  app.turn('beforeTurn', async (context) => {
    // Tenant: both fields, if present, strings that agree, and on the allow-list. Refused silently
    // (nothing stored, nothing sent; an invoke gets an empty 200) and logged.
    const tenant = tenantVerdict(context.activity, allowedTenants);
    if (!tenant.ok) {
      const activityType = typeof context.activity.type === 'string' ? context.activity.type.slice(0, 64) : '(none)';
      deps.logger.warn(
        { tenantId: tenant.tenantId, reason: tenant.reason, activityType },
        tenant.reason === 'notAllowed' ? 'activity from a tenant outside ALLOWED_TENANTS refused' : 'activity with a malformed or inconsistent tenant refused',
      );
      if (context.activity.type === 'invoke') await context.sendActivity({ type: 'invokeResponse', value: { status: 200 } });
      return false;
    }
    setLocaleOverride(context, localeOverride);
    if (context.activity.type === 'invoke' && context.activity.name !== 'adaptiveCard/action') {
      // The app has no task modules, message extensions or sign-in: any other invoke gets a plain 200.
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: {} } });
      return false;
    }
    if (context.activity.value === null) delete context.activity.value; // teams-ai's submit selector reads value.verb
    // A card action (Action.Execute or Action.Submit) from a channel or group chat gets the pointer to
    // the personal chat and nothing else: no route runs, nothing is read, written or remembered.
    if (isCardAction(context) && !isPersonalChat(context)) {
      deps.logger.info({ activityType: context.activity.type, conversationType: String(context.activity.conversation?.conversationType ?? '(none)').slice(0, 20) }, 'card action outside a personal chat answered with the personal-chat pointer');
      const pointer = translatorFor(context)('channel.noCaseData');
      if (context.activity.type === 'invoke') {
        await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: pointer } } });
      } else {
        await context.sendActivity(pointer);
      }
      return false;
    }
    if (context.activity.type === 'message' && typeof context.activity.text === 'string' && context.activity.text.length > MAX_TEXT) {
      await context.sendActivity(translatorFor(context)('message.tooLong', { max: MAX_TEXT }));
      return false;
    }
    // Bookkeeping for proactive messages: its failure (the store down) must not cost the person this turn.
    await rememberConversation(context, deps).catch((err) =>
      deps.logger.warn({ err: { type: (err as Error)?.name, status: (err as { statusCode?: number }).statusCode } }, 'conversation reference not updated this turn'),
    );
    if (isCardAction(context)) {
      deps.cardMessages?.reserve(context);
      await logUnregisteredCardAction(context, deps);
    }
    // A typed message in a channel or group chat: no case data at all, help and a pointer to the personal chat.
    if (!isPersonalChat(context) && context.activity.type === 'message') {
      if (commandOf(context.activity.text) !== 'help') await context.sendActivity(translatorFor(context)('channel.noCaseData'));
      await sendHelp(context, deps, views);
      return false;
    }
    return true;
  });

  // A manual card action's answer goes into its message too, after this turn (see onCardAction).
  app.turn('afterTurn', async (context) => {
    const answered = answeredCard(context);
    if (answered) deps.cardMessages?.replaceAfterAnswer(context, answered);
    return true;
  });

  // Every command's answer, by id: typed ("mina ärenden") or from a button (nav.open), see registerCommandRoutes.
  const commands: CommandHandlers = new Map();
  registerHelpRoutes(app, deps, views, commands);
  registerConcernRoutes(app, deps, commands);
  registerCaseRoutes(app, deps, views, commands);
  registerAdminRoutes(app, deps, commands);
  registerAwayRoutes(app, deps, commands);
  registerMeetingRoutes(app, deps, meetings, views, commands);
  registerPlanRoutes(app, deps, plans, commands);
  registerDigestRoutes(app, deps, delivery, commands);
  registerReportRoutes(app, deps, report, commands);
  registerAuditRoutes(app, deps, { clock: deps.clock, accessLog: deps.services.accessLog, downloads: report.delivery.downloads, publicUrl: report.publicUrl }, commands);
  registerCommandRoutes(app, deps, commands);

  app.message(
    async (context) => commandOf(context.activity.text) !== undefined,
    async (context) => {
      const t = translatorFor(context);
      await context.sendActivity(t('command.notYet', { command: (context.activity.text ?? '').trim() }));
    },
  );

  app.activity('message', async (context) => {
    const t = translatorFor(context);
    await context.sendActivity(t('unknown.command'));
  });

  // A card action this version does not know (an old card, a tampered verb): say so, no 501.
  app.adaptiveCards.actionExecute(
    async (context) => context.activity.type === 'invoke' && context.activity.name === 'adaptiveCard/action' && context.activity.value?.action?.type === 'Action.Execute',
    async (context) => translatorFor(context)('card.unknownAction'),
  );

  // A malformed card action: a plain 200 with a message, never a 501 that Teams shows as an error.
  app.activity('invoke', async (context) => {
    await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: translatorFor(context)('card.unknownAction') } } });
  });

  app.error(async (context, error) => {
    // describeFailure logs with a correlation id and words it for the user (store down → "try again").
    // A changing card action that failed before its handler started saved nothing, and says so.
    const text = describeFailure(error, translatorFor(context), deps.logger, { change: changingActionNotStarted(context) });
    if (context.activity.type === 'message') {
      // Only a message gets an apology: a failing proactive path must not spam a channel.
      await context.sendActivity(text).catch(() => undefined);
    } else if (context.activity.type === 'invoke' && context.activity.name === 'adaptiveCard/action' && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
      // A message, not a card: Teams keeps the user's card, and what they typed in it.
      await context
        .sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } } })
        .catch(() => undefined);
    }
  });

  return app;
}

function changingActionNotStarted(context: TurnContext): boolean {
  const value = context.activity.value as { action?: { verb?: unknown }; verb?: unknown } | undefined;
  const verb = value?.action?.verb ?? value?.verb;
  return isCardAction(context) && typeof verb === 'string' && cardVerbs.get(verb)?.changes === true && !handlerStarted(context);
}

function isCardAction(context: TurnContext): boolean {
  const a = context.activity;
  return (a.type === 'invoke' && a.name === 'adaptiveCard/action') || (a.type === 'message' && !a.text && a.value !== undefined);
}

/** Longest message text the bot reads; a Teams message is far shorter unless pasted. */
const MAX_TEXT = 2000;
const AAD_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A card action from someone not in the roster that names a case: refused by the route, logged here. */
async function logUnregisteredCardAction(context: TurnContext, deps: BotDeps): Promise<void> {
  const roster = await deps.services.roster.get();
  if (personByAad(roster, context.activity.from?.aadObjectId)) return;
  const value = context.activity.value as { action?: { verb?: unknown; data?: Record<string, unknown> }; verb?: unknown; caseCode?: unknown } | undefined;
  const data = value?.action?.data ?? (value as Record<string, unknown> | undefined);
  const caseCode = typeof data?.caseCode === 'string' && CASE_CODE_PATTERN.test(data.caseCode) ? data.caseCode : undefined;
  const verb = knownVerb(value?.action?.verb ?? value?.verb);
  const aad = context.activity.from?.aadObjectId;
  await deps.services.accessLog.record({
    at: deps.clock.now().toISOString(),
    actorId: `unregistered:${typeof aad === 'string' && AAD_OBJECT_ID.test(aad) ? aad : 'unknown'}`,
    action: 'view',
    caseCode,
    allowed: false,
    via: `card:${verb}`,
  });
}

/**
 * Keeps the personal conversation reference of each user, keyed by AAD object id, for proactive
 * messages, with the language they chose by typing a command (this turn's, or remembered from an
 * earlier one: it is this turn's language too); when messages were held for this person (they could
 * not be reached), they go now, after this turn's own answer.
 */
async function rememberConversation(context: TurnContext, deps: BotDeps): Promise<void> {
  const aadObjectId = context.activity.from?.aadObjectId;
  // Only well-formed ids become keys; anything else (a tampered or broken activity) is not remembered.
  if (typeof aadObjectId !== 'string' || !AAD_OBJECT_ID.test(aadObjectId) || !isPersonalChat(context)) return;
  const ref = TurnContext.getConversationReference(context.activity);
  delete ref.activityId;
  const { heldTag, lang } = await deps.conversationRefs.touch(aadObjectId, ref, deps.clock.now(), typedLanguage(context));
  setChosenLanguage(context, lang);
  if (!heldTag) return;
  const person = personByAad(await deps.services.roster.get(), aadObjectId);
  if (!person) return;
  deps.dispatcher.release(person.id, async (stillHeld) => {
    if (stillHeld === 0) await deps.conversationRefs.clearHeld(aadObjectId, heldTag);
  });
}
