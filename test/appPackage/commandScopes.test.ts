import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BOT_ID, messageActivity } from '../fixtures/activities';
import { eva } from '../fixtures/people';
import { startHarness, type Harness } from '../helpers/botHarness';
import { en } from '../../src/bot/i18n/en';
import { sv } from '../../src/bot/i18n/sv';

/**
 * The manifest's command lists against what the bot really does, over HTTP: every command offered in a team
 * or group chat is answered there without the "write to me in the personal chat" pointer, and every personal
 * command left out of those lists is one the bot refuses there.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'appPackage', 'manifest.json'), 'utf8')) as {
  bots: Array<{ commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }>;
};
const english = JSON.parse(readFileSync(path.join(ROOT, 'appPackage', 'en.json'), 'utf8')) as Record<string, string>;

/** Swedish and English titles of the command list for `scope`. */
function titles(scope: string): Array<{ title: string; locale: string }> {
  const l = manifest.bots[0]!.commandLists.findIndex((list) => list.scopes.includes(scope));
  assert.ok(l >= 0, `no command list for ${scope}`);
  return manifest.bots[0]!.commandLists[l]!.commands.flatMap((c, i) => [
    { title: c.title, locale: 'sv-SE' },
    { title: english[`bots[0].commandLists[${l}].commands[${i}].title`]!, locale: 'en-GB' },
  ]);
}

const CONVERSATIONS = {
  team: { id: '19:general@thread.tacv2;messageid=1', conversationType: 'channel' },
  groupChat: { id: '19:group@thread.v2', conversationType: 'groupChat' },
};
const POINTER = [sv['channel.noCaseData'], en['channel.noCaseData']];

describe('Teams app package: command lists per scope match what the bot answers there (HTTP)', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h?.stop());

  /** What the bot sends back to a command typed in `scope`, as Teams delivers it there (with the @mention). */
  async function answer(scope: keyof typeof CONVERSATIONS, title: string, locale: string): Promise<string[]> {
    h.connector.clear();
    const mention = '<at>Skolsocialt team</at>';
    const activity = {
      ...messageActivity({ ...eva, locale }, h.connector.url, `${mention} ${title}`, CONVERSATIONS[scope]),
      entities: [{ type: 'mention', text: mention, mentioned: { id: BOT_ID, name: 'Skolsocialt team' } }],
    };
    const res = await h.post(activity);
    assert.ok(res.status < 300, `${scope} "${title}": HTTP ${res.status}`);
    const replies = h.connector.to(CONVERSATIONS[scope].id).map((s) => (typeof s.body?.text === 'string' ? s.body.text : JSON.stringify(s.body?.attachments ?? '')));
    assert.ok(replies.length > 0, `${scope} "${title}": no answer`);
    return replies;
  }

  for (const scope of ['team', 'groupChat'] as const) {
    it(`${scope}: every listed command is answered there, without the pointer to the personal chat`, async () => {
      for (const { title, locale } of titles(scope)) {
        const replies = await answer(scope, title, locale);
        for (const pointer of POINTER) assert.ok(!replies.includes(pointer), `${scope} "${title}" (${locale}) is refused there: remove it from the ${scope} command list`);
      }
    });

    it(`${scope}: every personal command left out of the list is refused there with the pointer`, async () => {
      const listed = new Set(titles(scope).map((t) => t.title));
      const leftOut = titles('personal').filter((t) => !listed.has(t.title));
      assert.ok(leftOut.length > 0);
      for (const { title, locale } of leftOut) {
        const replies = await answer(scope, title, locale);
        assert.ok(replies.some((r) => POINTER.includes(r)), `${scope} "${title}" (${locale}) works there: ${JSON.stringify(replies).slice(0, 200)}`);
      }
    });
  }
});
