import assert from 'node:assert/strict';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { TurnContext, type Activity } from 'botbuilder';
import { cardMessages } from '../../src/bot/answeredCards';
import { withoutHiddenRetries } from '../../src/bot/connectorRetries';
import { messageEdits } from '../../src/bot/messageEdits';
import type { SendLimits } from '../../src/bot/sendLimits';
import { adaptiveCard, paragraph, privateElement } from '../../src/bot/cards/adaptiveCard';
import { manualClock } from '../../src/domain/clock';
import { createLogger } from '../../src/logger';
import type { ConversationRefStore } from '../../src/storage/conversationRefs';
import type { RosterStore } from '../../src/domain/ports';
import { ConnectorStandIn } from '../helpers/connector';
import { recordingSleep } from '../helpers/virtualTime';

/** A limiter that holds every send until the test lets it go. */
function gatedLimits() {
  const waiting: Array<() => void> = [];
  let onWait: (() => void) | undefined;
  const limits: SendLimits = {
    acquire: () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        onWait?.();
      }),
  };
  return {
    limits,
    waitingNow: () => (waiting.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => (onWait = resolve))),
    release: () => waiting.splice(0).forEach((go) => go()),
  };
}

describe('bot/answeredCards: a card action\'s answer put into its message, after the answer', () => {
  let connector: ConnectorStandIn;
  before(async () => {
    connector = await new ConnectorStandIn().start();
  });
  after(async () => connector.stop());
  beforeEach(() => connector.clear());

  const contextFor = (activityId: string) =>
    new TurnContext(new TeamsAdapter({}), {
      type: 'invoke', channelId: 'msteams', serviceUrl: connector.url, id: 'inv-1', replyToId: activityId,
      from: { id: '29:eva', name: 'Eva' }, recipient: { id: '28:bot', name: 'bot' }, conversation: { id: 'a:eva', conversationType: 'personal' },
    } as Activity);

  const setup = (limits?: SendLimits) => {
    const edits = messageEdits();
    const messages = cardMessages({
      adapter: withoutHiddenRetries(new TeamsAdapter({})), botAppId: '', logger: createLogger('silent'), clock: manualClock('2026-11-23T08:00:00Z'),
      refs: {} as ConversationRefStore, limits, sleep: recordingSleep().sleep, random: () => 0.5, edits,
    });
    return { edits, messages, roster: {} as RosterStore };
  };

  it('puts the card into the message, without private elements and typed text', async () => {
    const { messages } = setup();
    const context = contextFor('msg-1');
    messages.reserve(context);
    const card = adaptiveCard([paragraph('Resultat'), privateElement('summary', paragraph('HEMLIG')), { type: 'Input.Text', id: 'message', value: 'SKRIVET' }]);
    messages.replaceAfterAnswer(context, { activityId: 'msg-1', card });
    await messages.idle();
    const [put] = connector.sent;
    assert.equal(put.method, 'PUT');
    assert.match(put.path, /\/activities\/msg-1$/);
    const shown = JSON.stringify(put.body);
    assert.match(shown, /Resultat/);
    assert.doesNotMatch(shown, /HEMLIG|SKRIVET/);
  });

  it('an edit of the message decided after the action arrived (a receipt) wins: the older answer is not put into it', async () => {
    const gate = gatedLimits();
    const { messages, edits } = setup(gate.limits);
    const context = contextFor('msg-2');
    messages.reserve(context); // the action arrives
    messages.replaceAfterAnswer(context, { activityId: 'msg-2', card: adaptiveCard([paragraph('Kortet är på väg')]) });
    await gate.waitingNow(); // the answer's edit waits for its turn …
    edits.next('a:eva', 'msg-2'); // … while the receipt ("delivered") is decided and sent
    gate.release();
    await messages.idle();
    assert.deepEqual(connector.sent, [], 'the stale answer did not overwrite the newer receipt');
  });

  it('two answers for one message: the latest ends up in it, the older one (not yet sent) is skipped', async () => {
    const gate = gatedLimits();
    const { messages } = setup(gate.limits);
    for (const text of ['första', 'andra']) {
      const context = contextFor('msg-3');
      messages.reserve(context);
      messages.replaceAfterAnswer(context, { activityId: 'msg-3', card: adaptiveCard([paragraph(text)]) });
    }
    await gate.waitingNow();
    gate.release(); // the first goes through the limiter and finds a newer answer decided
    await gate.waitingNow(); // the second waits behind it, then goes
    gate.release();
    await messages.idle();
    assert.equal(connector.sent.length, 1);
    assert.match(JSON.stringify(connector.messageNow('a:eva', 'msg-3')), /andra/);
  });
});
