import assert from 'node:assert/strict';
import { TurnContext, type Activity } from 'botbuilder';
import { actionRefOf, cardVerbs } from '../../src/bot/cardActions';
import { stampCardId } from '../../src/bot/cards/adaptiveCard';

const contextFor = (activity: Partial<Activity>) => new TurnContext({} as never, { type: 'invoke', from: { id: '29:x', name: 'X', aadObjectId: 'aad-x' }, ...activity } as Activity);

describe('bot/cardActions: the identity of a card action', () => {
  before(() => {
    cardVerbs.set('test.change', { changes: true });
    cardVerbs.set('test.read', { changes: false });
  });
  after(() => {
    cardVerbs.delete('test.change');
    cardVerbs.delete('test.read');
  });

  it('is the same for the same person, verb, card rendering and data (a double click, a redelivery), whatever the activity', () => {
    const a = actionRefOf(contextFor({ id: 'act-1', replyToId: 'msg-1' }), 'test.change', { cardId: 'aaaaaaaa-1', caseCode: 'SST-2026-0001', message: 'Hej' });
    const b = actionRefOf(contextFor({ id: 'act-2', replyToId: 'msg-2' }), 'test.change', { caseCode: 'SST-2026-0001', message: 'Hej', cardId: 'aaaaaaaa-1' });
    assert.equal(a.id, b.id);
    assert.equal(a.activityId, 'msg-1');
  });

  it('differs for other data, another rendering, another person or another verb', () => {
    const base = { cardId: 'aaaaaaaa-1', caseCode: 'SST-2026-0001', message: 'Hej' };
    const id = (activity: Partial<Activity>, verb: string, data: Record<string, unknown>) => actionRefOf(contextFor(activity), verb, data).id;
    const first = id({}, 'test.change', base);
    assert.notEqual(id({}, 'test.change', { ...base, message: 'Hej igen' }), first);
    assert.notEqual(id({}, 'test.change', { ...base, cardId: 'bbbbbbbb-2' }), first);
    assert.notEqual(id({ from: { id: '29:y', name: 'Y', aadObjectId: 'aad-y' } }, 'test.change', base), first);
    cardVerbs.set('test.other', { changes: true });
    assert.notEqual(id({}, 'test.other', base), first);
    cardVerbs.delete('test.other');
  });

  it('without a rendering id, falls back to the card\'s message, so a double click on an old card still counts once', () => {
    const data = { caseCode: 'SST-2026-0001' };
    assert.equal(actionRefOf(contextFor({ id: 'a1', replyToId: 'msg-9' }), 'test.change', data).id, actionRefOf(contextFor({ id: 'a2', replyToId: 'msg-9' }), 'test.change', data).id);
  });

  it('with an identity (a concern form: its form id), ignores what else was typed', () => {
    const one = actionRefOf(contextFor({ replyToId: 'm1' }), 'test.change', { summary: 'A' }, { formId: 'f-1' });
    const two = actionRefOf(contextFor({ replyToId: 'm2' }), 'test.change', { summary: 'B, corrected' }, { formId: 'f-1' });
    assert.equal(one.id, two.id);
  });

  it('is refused for a verb not registered as changing, so the fault suite\'s list of changing verbs is the whole list', () => {
    assert.throws(() => actionRefOf(contextFor({}), 'test.read', {}), /register it with onCardAction\(…, \{ changes: true \}\)/);
    assert.throws(() => actionRefOf(contextFor({}), 'test.unknown', {}), /changes: true/);
  });

  it('a card is stamped with one rendering id in every Action.Execute and Action.Submit, nested cards included', () => {
    const card = { type: 'AdaptiveCard', actions: [{ type: 'Action.Execute', verb: 'v', data: { verb: 'v' }, fallback: { type: 'Action.Submit', data: { verb: 'v' } } }, { type: 'Action.ShowCard', card: { actions: [{ type: 'Action.Execute', verb: 'w', data: { verb: 'w' } }] } }, { type: 'Action.OpenUrl', url: 'https://example.org' }] };
    const stamped = JSON.stringify(stampCardId(card, 'cid-1'));
    assert.equal(stamped.match(/"cardId":"cid-1"/g)?.length, 3);
    assert.doesNotMatch(JSON.stringify(card), /cardId/, 'the original is left as it was');
  });
});
