import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { PNG } from 'pngjs';
import {
  AppPackageError,
  PlaceholderError,
  buildAppPackage,
  checkIcon,
  escapeLoneBrackets,
  fillPlaceholders,
  findPlaceholders,
  latestBundledTeamsSchemaVersion,
  localisableKeys,
  parseEnvFile,
  validateLocalization,
  validateManifest,
} from '../../scripts/package-app';
import { ACCENT, renderColorIcon, renderOutlineIcon } from '../../scripts/make-icons';
import { commandOf } from '../../src/bot/commands';

const ROOT = path.resolve(__dirname, '..', '..');
const APP = path.join(ROOT, 'appPackage');
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');

/** Only the committed env file: a developer's env/.env.local.user or shell must not change the result. */
const localVars = parseEnvFile(read('env', '.env.local'));
const devVars = parseEnvFile(read('env', '.env.dev'));

const manifestText = read('appPackage', 'manifest.json');
const enText = read('appPackage', 'en.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const filled = (text: string): Json => JSON.parse(fillPlaceholders(text, localVars, { json: true })) as Json;
const rawManifest = JSON.parse(manifestText) as Json;

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Swedish (manifest, default sv-SE) and English (en.json) command titles of the personal chat, in list order. */
const COMMANDS: Array<[sv: string, en: string]> = [
  ['hjälp', 'help'],
  ['att göra', 'to do'],
  ['ny oro', 'new concern'],
  ['mina ärenden', 'my cases'],
  ['boka möte', 'book meeting'],
  ['möten', 'meetings'],
  ['planer', 'plans'],
  ['sammanfattning', 'digest'],
  ['frånvaro', 'away'],
];

describe('Teams app package', function () {
  describe('manifest schema (offline, bundled with @microsoft/app-manifest)', () => {
    it('uses the newest numbered Teams schema the package bundles, with a matching $schema', () => {
      const latest = latestBundledTeamsSchemaVersion();
      assert.equal(rawManifest.manifestVersion, latest);
      assert.equal(rawManifest.$schema, `https://developer.microsoft.com/json-schemas/teams/v${latest}/MicrosoftTeams.schema.json`);
      assert.equal(JSON.parse(enText).$schema, `https://developer.microsoft.com/json-schemas/teams/v${latest}/MicrosoftTeams.Localization.schema.json`);
    });

    it('validates once the placeholders are filled from env/.env.local', async () => {
      assert.deepEqual(await validateManifest(filled(manifestText)), []);
    });

    it('rejects broken copies, naming the problem', async () => {
      const broken: Array<[string, (m: Json) => void, RegExp]> = [
        ['bot id not a GUID', (m) => (m.bots[0].botId = 'not-a-guid'), /\/bots\/0\/botId must match pattern/],
        ['developer missing', (m) => delete m.developer, /must have required property 'developer'/],
        ['short description over 80 characters', (m) => (m.description.short = 'x'.repeat(81)), /\/description\/short must NOT have more than 80/],
        ['unknown property', (m) => (m.bogus = true), /must NOT have additional properties/],
        ['wrong manifestVersion', (m) => (m.manifestVersion = '1.29'), /\/manifestVersion must be equal to constant/],
        ['accent colour not hex', (m) => (m.accentColor = 'teal'), /\/accentColor must match pattern/],
        ['more than 10 commands', (m) => m.bots[0].commandLists[0].commands.push(...COMMANDS.map(([sv]) => ({ title: `${sv} 2` }))), /Teams shows at most 10/],
        ['placeholder left unfilled', (m) => (m.name.full = 'x ${{NOPE}}'), /unfilled placeholder\(s\): \$\{\{NOPE\}\}/],
      ];
      for (const [what, breakIt, expected] of broken) {
        const m = filled(manifestText);
        breakIt(m);
        const errors = await validateManifest(m);
        assert.ok(errors.some((e) => expected.test(e)), `${what}: expected ${expected}, got ${JSON.stringify(errors)}`);
      }
    });

    it('does not validate the committed manifest as is: the ids are placeholders', async () => {
      const errors = await validateManifest(rawManifest);
      assert.ok(errors.some((e) => e.startsWith('/id must match pattern')), JSON.stringify(errors));
      assert.ok(errors.some((e) => e.startsWith('/bots/0/botId must match pattern')), JSON.stringify(errors));
    });
  });

  describe('committed manifest', () => {
    it('uses Teams Toolkit placeholders for ids, never real GUIDs', () => {
      assert.equal(rawManifest.id, '${{TEAMS_APP_ID}}');
      assert.equal(rawManifest.bots[0].botId, '${{BOT_ID}}');
      assert.match(rawManifest.name.short, /\$\{\{APP_NAME_SUFFIX\}\}$/);
      assert.ok(rawManifest.validDomains.includes('${{BOT_DOMAIN}}'));
      assert.doesNotMatch(manifestText, GUID);
      assert.doesNotMatch(enText, GUID);
    });

    it('is a conversational bot in personal and team scope that takes no files', () => {
      assert.equal(rawManifest.bots.length, 1);
      const bot = rawManifest.bots[0];
      assert.ok(bot.scopes.includes('personal') && bot.scopes.includes('team'), JSON.stringify(bot.scopes));
      assert.equal(bot.supportsFiles, false);
      assert.equal(bot.isNotificationOnly, false);
    });

    it('is Swedish first: sv-SE default with a language-only en file (so en-GB, en-US, en-AU… all get English)', () => {
      assert.equal(rawManifest.localizationInfo.defaultLanguageTag, 'sv-SE');
      assert.deepEqual(rawManifest.localizationInfo.additionalLanguages, [{ languageTag: 'en', file: 'en.json' }]);
      // Teams picks an exact match, then the language-only tag, then the default: a regional tag such as en-US
      // would leave every other English client (en-GB, en-IE, en-AU) with the Swedish name and commands.
      for (const { languageTag } of rawManifest.localizationInfo.additionalLanguages as Array<{ languageTag: string }>) {
        assert.match(languageTag, /^[a-z]{2,3}$/, `${languageTag}: use a language-only tag`);
      }
      assert.ok(rawManifest.description.short.length <= 80);
      assert.ok(rawManifest.description.full.length <= 4000);
      assert.match(rawManifest.description.full, /personnummer/);
      assert.equal(rawManifest.developer.name, 'Skolsocialt team (open source)');
      assert.equal(rawManifest.accentColor, ACCENT, 'accentColor should be the colour icon background');
    });

    it('lists every command in the personal chat, and only help in a team or group chat (what the bot answers there)', () => {
      const en = JSON.parse(enText) as Record<string, string>;
      const lists = rawManifest.bots[0].commandLists as Array<{ scopes: string[]; commands: Array<{ title: string; description?: string }> }>;
      const expected: Record<string, Array<[string, string]>> = { personal: COMMANDS, team: COMMANDS.slice(0, 1), groupChat: COMMANDS.slice(0, 1) };
      for (const [scope, commands] of Object.entries(expected)) {
        const index = lists.findIndex((l) => l.scopes.includes(scope));
        assert.ok(index >= 0, `no command list for ${scope}`);
        const list = lists[index]!;
        assert.ok(list.commands.length <= 10, `${scope}: ${list.commands.length} commands, Teams allows 10`);
        const svTitles = list.commands.map((c) => c.title);
        const enTitles = list.commands.map((_, c) => en[`bots[0].commandLists[${index}].commands[${c}].title`]);
        assert.deepEqual(svTitles, commands.map(([sv]) => sv), `${scope}: commands`);
        for (const [sv, english] of commands) {
          const at = svTitles.indexOf(sv);
          assert.ok(at >= 0, `${scope}: Swedish command "${sv}" missing from ${JSON.stringify(svTitles)}`);
          assert.equal(enTitles[at], english, `${scope}: "${sv}" should be "${english}" in English`);
        }
        for (const [c, cmd] of list.commands.entries()) {
          assert.ok(cmd.description, `${scope}: "${cmd.title}" has no Swedish description`);
          assert.ok(en[`bots[0].commandLists[${index}].commands[${c}].description`], `${scope}: "${cmd.title}" has no English description`);
        }
      }
    });

    it('declares the bot\'s Entra app in webApplicationInfo (Graph proactive install, docs/deploy.md), as a placeholder', async () => {
      // TeamsAppInstallation.ReadWriteSelfForUser.All lets an Entra app install only the Teams app whose
      // webApplicationInfo.id is that Entra app: here the bot's own registration (BOT_ID).
      assert.deepEqual(rawManifest.webApplicationInfo, { id: '${{BOT_ID}}' });
      assert.equal(filled(manifestText).webApplicationInfo.id, localVars.BOT_ID);
      const deployDoc = read('docs', 'deploy.md');
      assert.match(deployDoc, /webApplicationInfo/);
      assert.match(deployDoc, /TeamsAppInstallation\.ReadWriteSelfForUser\.All/);
      const broken = filled(manifestText);
      broken.webApplicationInfo.id = 'not-a-guid';
      assert.ok((await validateManifest(broken)).some((e) => /^\/webApplicationInfo\/id must match pattern/.test(e)));
    });

    it('lists the commands the bot understands (src/bot/commands.ts)', () => {
      const en = JSON.parse(enText) as Record<string, string>;
      rawManifest.bots[0].commandLists.forEach((list: { commands: Array<{ title: string }> }, l: number) =>
        list.commands.forEach((cmd, c) => {
          assert.ok(commandOf(cmd.title), `the bot does not understand "${cmd.title}"`);
          const english = en[`bots[0].commandLists[${l}].commands[${c}].title`]!;
          assert.equal(commandOf(english), commandOf(cmd.title), `"${english}" and "${cmd.title}" should be the same command`);
        }),
      );
    });
  });

  describe('en.json', () => {
    it('translates exactly the localisable strings the manifest uses', () => {
      const keys = localisableKeys(rawManifest);
      assert.ok(keys.includes('name.short') && keys.includes('description.full') && keys.includes('bots[0].commandLists[1].commands[0].title'));
      const en = JSON.parse(enText) as Record<string, string>;
      assert.deepEqual(Object.keys(en).filter((k) => k !== '$schema').sort(), [...keys].sort());
      for (const k of keys) assert.ok(en[k]!.trim().length > 0, `${k} is empty`);
    });

    it('validates against the bundled Localization schema, and a broken copy does not', async () => {
      const manifest = filled(manifestText);
      assert.deepEqual(await validateLocalization(filled(enText), manifest), []);
      const broken = filled(enText);
      delete broken['description.short'];
      broken['name.short'] = 'x'.repeat(31);
      const errors = await validateLocalization(broken, manifest);
      assert.ok(errors.some((e) => /required property 'description.short'/.test(e)), JSON.stringify(errors));
      assert.ok(errors.some((e) => /\/name.short must NOT have more than 30/.test(e)), JSON.stringify(errors));
      assert.ok(errors.includes('missing translation for description.short'), JSON.stringify(errors));
    });

    it('works around the lone "]" in the bundled Localization schemas (invalid as a unicode RegExp)', () => {
      const bad = String.raw`^activities.activityTypes\[\b([0-9]|12[0-7])\b]\.description$`;
      assert.throws(() => new RegExp(bad, 'u'));
      const fixed = new RegExp(escapeLoneBrackets(bad), 'u');
      assert.ok(fixed.test('activities.activityTypes[5].description'));
      assert.ok(fixed.test('activities.activityTypes[120].description'));
      assert.ok(!fixed.test('activities.activityTypes[128].description'));
      assert.equal(escapeLoneBrackets('^[a-z]+\\]x$'), '^[a-z]+\\]x$');
    });
  });

  describe('icons', () => {
    const color = readFileSync(path.join(APP, 'color.png'));
    const outline = readFileSync(path.join(APP, 'outline.png'));

    it('color.png is 192×192 and opaque, outline.png 32×32', () => {
      assert.deepEqual(checkIcon(color, 'color'), []);
      assert.deepEqual(checkIcon(outline, 'outline'), []);
      const c = PNG.sync.read(color);
      assert.equal(c.width, 192);
      assert.equal(c.height, 192);
      for (let i = 3; i < c.data.length; i += 4) assert.equal(c.data[i], 255);
      const o = PNG.sync.read(outline);
      assert.equal(o.width, 32);
      assert.equal(o.height, 32);
    });

    it('outline.png has only white and transparent pixels, and some of each', () => {
      const o = PNG.sync.read(outline);
      let visible = 0;
      for (let i = 0; i < o.data.length; i += 4) {
        const [r, g, b, a] = [o.data[i], o.data[i + 1], o.data[i + 2], o.data[i + 3]];
        if (a === 0) continue;
        visible++;
        assert.deepEqual([r, g, b], [255, 255, 255], `pixel ${i / 4} is not white`);
      }
      assert.ok(visible > 100 && visible < 32 * 32 - 100, `${visible} visible pixels`);
    });

    it('checkIcon catches a wrong size and a coloured outline', () => {
      assert.match(checkIcon(color, 'outline').join('\n'), /192×192, Teams needs 32×32/);
      const coloured = new PNG({ width: 32, height: 32 });
      coloured.data.fill(0);
      coloured.data.set([255, 0, 0, 255], 0);
      assert.match(checkIcon(PNG.sync.write(coloured), 'outline').join('\n'), /not white/);
    });

    it('are what scripts/make-icons.ts draws (regenerate with npx tsx scripts/make-icons.ts)', () => {
      // ±1 per channel: floating-point rounding may differ between Node/V8 versions, a changed drawing does not.
      const maxDiff = (a: Buffer, b: Buffer) => (a.length !== b.length ? Infinity : a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0));
      assert.ok(maxDiff(PNG.sync.read(color).data, renderColorIcon().data) <= 1, 'color.png is stale');
      assert.ok(maxDiff(PNG.sync.read(outline).data, renderOutlineIcon().data) <= 1, 'outline.png is stale');
    });
  });

  describe('placeholders and env files', () => {
    it('fillPlaceholders substitutes ${{NAME}} (spaces allowed) and JSON-escapes on request', () => {
      assert.equal(fillPlaceholders('a ${{X}} b ${{ Y }} ${{X}}', { X: '1', Y: '2' }), 'a 1 b 2 1');
      assert.equal(fillPlaceholders('"${{Q}}"', { Q: 'say "hi"\\' }, { json: true }), String.raw`"say \"hi\"\\"`);
      assert.equal(fillPlaceholders('App${{APP_NAME_SUFFIX}}', { APP_NAME_SUFFIX: '' }), 'App');
      assert.deepEqual(findPlaceholders(manifestText).sort(), [
        'APP_NAME_SUFFIX',
        'APP_PRIVACY_URL',
        'APP_TERMS_URL',
        'APP_WEBSITE_URL',
        'BOT_DOMAIN',
        'BOT_ID',
        'TEAMS_APP_ID',
      ]);
    });

    it('fillPlaceholders lists every placeholder without a value (unset or empty)', () => {
      assert.throws(
        () => fillPlaceholders('${{A}} ${{B}} ${{C}} ${{A}}', { B: '', C: 'ok' }),
        (e: unknown) => e instanceof PlaceholderError && e.missing.join() === 'A,B' && /\$\{\{A\}\}, \$\{\{B\}\}/.test(e.message),
      );
    });

    it('parseEnvFile reads KEY=VALUE lines, skipping comments and blanks', () => {
      assert.deepEqual(parseEnvFile('# c\n\nA=1\nB = "two words"\nC=\nD=x=y\r\n  # indented comment\n'), { A: '1', B: 'two words', C: '', D: 'x=y' });
    });

    it('env/.env.local fills everything with fake ids; env/.env.dev leaves the provisioned ids empty', () => {
      assert.equal(localVars.TEAMSFX_ENV, 'local');
      assert.equal(localVars.APP_NAME_SUFFIX, 'local');
      assert.equal(localVars.BOT_ID, '00000000-0000-0000-0000-000000000000');
      assert.equal(localVars.TEAMS_APP_ID, '00000000-0000-0000-0000-000000000000');
      assert.equal(devVars.TEAMSFX_ENV, 'dev');
      assert.equal(devVars.APP_NAME_SUFFIX, 'dev');
      assert.equal(devVars.BOT_ID, '');
      assert.equal(devVars.TEAMS_APP_ID, '');
      for (const vars of [localVars, devVars]) assert.ok(!Object.keys(vars).some((k) => /PASSWORD|SECRET|KEY$|CONNECTION/i.test(k)));
    });
  });

  describe('buildAppPackage', () => {
    let outDir: string;
    beforeEach(() => (outDir = mkdtempSync(path.join(tmpdir(), 'sst-apppackage-'))));
    afterEach(() => rmSync(outDir, { recursive: true, force: true }));

    it('writes a zip with exactly the four files at its root and no placeholder left', async () => {
      const result = await buildAppPackage({ envName: 'local', vars: localVars, outDir });
      assert.equal(result.zipPath, path.join(outDir, 'appPackage.local.zip'));
      const zip = new AdmZip(result.zipPath);
      const names = zip.getEntries().map((e) => e.entryName);
      assert.deepEqual([...names].sort(), ['color.png', 'en.json', 'manifest.json', 'outline.png']);
      for (const e of zip.getEntries()) assert.ok(!e.getData().toString('latin1').includes('${{'), `${e.entryName} still has a placeholder`);
      const manifest = JSON.parse(zip.readAsText('manifest.json')) as Json;
      assert.equal(manifest.id, localVars.TEAMS_APP_ID);
      assert.equal(manifest.name.short, 'Skolsocialt teamlocal');
      assert.deepEqual(manifest.validDomains, [localVars.BOT_DOMAIN]);
      assert.deepEqual(await validateManifest(manifest), []);
      assert.deepEqual(await validateLocalization(JSON.parse(zip.readAsText('en.json')), manifest), []);
      assert.ok(zip.readFile('color.png')!.equals(readFileSync(path.join(APP, 'color.png'))));
    });

    it('fails for env/.env.dev before provisioning, naming the empty ids', async () => {
      await assert.rejects(buildAppPackage({ envName: 'dev', vars: devVars, outDir }), (e: unknown) => {
        assert.ok(e instanceof PlaceholderError);
        assert.deepEqual([...e.missing].sort(), ['BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
        assert.match(e.message, /env\/\.env\.dev/);
        return true;
      });
    });

    it('reads env/.env.<env>, then env/.env.<env>.user, then process values on top', async () => {
      const envDir = path.join(outDir, 'env');
      cpSync(path.join(ROOT, 'env', '.env.dev'), path.join(envDir, '.env.dev'));
      writeFileSync(path.join(envDir, '.env.dev.user'), '# secrets live here\nBOT_ID=66666666-7777-8888-9999-000000000000\nBOT_DOMAIN=user.example.org\n');
      const processEnv = { TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555', BOT_DOMAIN: 'sst-dev.example.org' };
      const result = await buildAppPackage({ envName: 'dev', envDir, processEnv, outDir });
      assert.equal(result.zipPath, path.join(outDir, 'appPackage.dev.zip'));
      const manifest = JSON.parse(new AdmZip(result.zipPath).readAsText('manifest.json')) as Json;
      assert.equal(manifest.id, '11111111-2222-3333-4444-555555555555');
      assert.equal(manifest.bots[0].botId, '66666666-7777-8888-9999-000000000000');
      assert.deepEqual(manifest.validDomains, ['sst-dev.example.org']);
      assert.equal(manifest.name.short, 'Skolsocialt teamdev');
    });

    it('refuses an invalid package and writes no zip', async () => {
      const appDir = path.join(outDir, 'app');
      cpSync(APP, appDir, { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
      writeFileSync(path.join(appDir, 'outline.png'), readFileSync(path.join(APP, 'color.png')));
      const m = JSON.parse(manifestText) as Json;
      m.accentColor = 'teal';
      writeFileSync(path.join(appDir, 'manifest.json'), JSON.stringify(m));
      await assert.rejects(buildAppPackage({ envName: 'local', vars: localVars, appPackageDir: appDir, outDir: path.join(outDir, 'zip') }), (e: unknown) => {
        assert.ok(e instanceof AppPackageError, String(e));
        assert.match(e.message, /manifest\.json: \/accentColor must match pattern/);
        assert.match(e.message, /outline\.png is 192×192, Teams needs 32×32/);
        return true;
      });
      assert.throws(() => readFileSync(path.join(outDir, 'zip', 'appPackage.local.zip')));
    });
  });
});
