import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { parseBicep, objectAt, objectEntries, onlyBlock, objectLiterals, blocksOfType, literal } from './bicep';

/**
 * What goes where when deploying: the files git and `atk deploy` leave out, the Node version everywhere, and
 * docs/deploy.md's steps in the order that makes the first provision and start succeed.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');
const bicep = parseBicep(read('infra', 'azure.bicep'));
const botBicep = parseBicep(read('infra', 'botRegistration', 'azurebot.bicep'));
const deployDoc = read('docs', 'deploy.md');

/** Paths git ignores, asked of git itself. */
function gitIgnored(paths: string[]): Set<string> {
  try {
    const out = execFileSync('git', ['check-ignore', '--no-index', ...paths], { cwd: ROOT, encoding: 'utf8' });
    return new Set(out.split('\n').filter(Boolean));
  } catch (e) {
    if ((e as { status?: number }).status === 1) return new Set(); // none ignored
    throw e;
  }
}

/** The toolkit's zipDeploy filter (teamsfx-core BaseDeployImpl.handleIgnore): `.deployment` always, then the ignore file's lines. */
function zipDeployFilter() {
  const ignoreFile = /ignoreFile: (\S+)/.exec(read('teamsapp.yml'))![1]!;
  const ig = ignore().add('.deployment');
  for (const line of read(ignoreFile).split('\n').map((l) => l.trim())) ig.add(line);
  return ig;
}

describe('deployment: files, Node version and the order of docs/deploy.md', () => {
  describe('what stays out of git and out of the deployed zip', () => {
    const secretOrPersonal = ['roster.json', '.deployment/deployment.zip', 'roster.local.json', 'kommun.roster.json', 'env/.env.prod.user', '.localConfigs'];

    it('git ignores the roster, the toolkit\'s .deployment folder, env *.user files and .localConfigs', () => {
      const ignored = gitIgnored([...secretOrPersonal, 'roster.example.json', 'src/index.ts', 'env/.env.dev']);
      for (const p of secretOrPersonal) assert.ok(ignored.has(p), `.gitignore should cover ${p}`);
      for (const p of ['roster.example.json', 'src/index.ts', 'env/.env.dev']) assert.ok(!ignored.has(p), `${p} must stay in git`);
    });

    it('atk deploy zips the sources without the roster, .deployment, env files, secrets or node_modules', () => {
      const ig = zipDeployFilter();
      for (const p of [...secretOrPersonal, 'env/.env.dev', 'node_modules/botbuilder/package.json', 'data/other.roster.json', 'test/config.test.ts', '.git/HEAD']) {
        assert.ok(ig.ignores(p), `${p} would be uploaded to the web app`);
      }
      for (const p of ['package.json', 'package-lock.json', 'tsconfig.json', 'src/index.ts', 'src/config.ts']) assert.ok(!ig.ignores(p), `${p} must be deployed`);
      // Every tracked file the bot needs at run time is uploaded.
      const tracked = execFileSync('git', ['ls-files', 'src'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
      assert.ok(tracked.length > 20);
      for (const f of tracked) assert.ok(!ig.ignores(f), `${f} would be left out`);
    });
  });

  describe('Node 22 LTS everywhere', () => {
    const MAJOR = 22;

    it('App Service runs it (linuxFxVersion, WEBSITE_NODE_DEFAULT_VERSION)', () => {
      assert.equal(objectAt(onlyBlock(bicep, 'Microsoft.Web/sites').body, ['properties', 'siteConfig']).get('linuxFxVersion'), `'NODE|${MAJOR}-lts'`);
      assert.match(bicep.vars.get('botAppSettings')!, new RegExp(`WEBSITE_NODE_DEFAULT_VERSION: '~${MAJOR}'`));
    });

    it('package.json asks for it (engines) and its types', () => {
      const pkg = JSON.parse(read('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };
      assert.equal(pkg.engines.node, `>=${MAJOR}`);
      assert.match(pkg.devDependencies['@types/node']!, new RegExp(`^\\^${MAJOR}\\.`));
    });

    it('.ci/run installs it from the registry outside the repository, puts it first on PATH and checks it, before npm ci and the tests', () => {
      const run = read('.ci', 'run');
      assert.match(run, new RegExp(`^NODE_MAJOR=${MAJOR}$`, 'm'));
      assert.match(run, /npm install --prefix "\$NODE_DIR" [^\n]*"node@\$NODE_MAJOR"/);
      assert.match(run, /^TOOLS="\$\{SST_TOOLS_DIR:-\$HOME\/\.cache\/sst-ci-tools\}"$/m, 'tools outside the repository');
      const pathAt = run.indexOf('export PATH="$NODE_DIR/node_modules/.bin:$PATH"');
      const checkAt = run.indexOf('node --version | grep -q "^v$NODE_MAJOR\\."');
      const ciAt = run.indexOf('npm ci');
      const testAt = run.indexOf('CI=true npm test');
      assert.ok(pathAt > 0 && checkAt > pathAt && ciAt > checkAt && testAt > ciAt, 'PATH, check, npm ci, npm test in that order');
      assert.match(run, /export ATK_CLI_DIR=/);
    });
  });

  describe('docs/deploy.md', () => {
    const steps = [...deployDoc.matchAll(/^## (\d+)\. (.+)$/gm)].map((m) => ({ n: Number(m[1]), title: m[2]! }));

    it('orders the steps: providers and location policy, environment, provision + Key Vault reference, roster, deploy + /healthz, publish and approve', () => {
      const expected = [/provider.*location policy/i, /environment/i, /provision.*key vault reference/i, /roster/i, /deploy.*\/healthz/i, /publish.*approve/i];
      assert.deepEqual(steps.slice(0, expected.length).map((s) => s.n), [1, 2, 3, 4, 5, 6]);
      expected.forEach((re, i) => assert.match(steps[i]!.title, re));
      // /healthz is checked only after the roster is uploaded (the bot does not start without it).
      assert.ok(deployDoc.indexOf('curl https://<BOT_DOMAIN>/healthz') > deployDoc.indexOf('--target-path /home/data/roster.json'));
    });

    it('registers every resource provider the templates use (and the one Application Insights needs)', () => {
      const step = /^## 1\. [\s\S]*?^## 2\. /m.exec(deployDoc)![0];
      const registered = new Set([...step.matchAll(/\b(Microsoft\.[A-Za-z]+)\b/g)].map((m) => m[1]!));
      const used = new Set([...bicep.blocks, ...botBicep.blocks].filter((b) => b.kind === 'resource').map((b) => b.type.split('/')[0]!));
      used.delete('Microsoft.Authorization'); // registered in every subscription
      for (const ns of [...used, 'Microsoft.AlertsManagement']) assert.ok(registered.has(ns), `docs/deploy.md step 1 does not register ${ns}`);
      assert.match(step, /az provider register --namespace "\$ns" --wait/);
    });

    it('names every region the templates deploy to in the location-policy check', () => {
      const step = /^## 1\. [\s\S]*?^## 2\. /m.exec(deployDoc)![0];
      const regions = new Set<string>([literal(bicep.params.get('location')!.defaultValue)!, 'global']);
      for (const m of botBicep.vars.get('botLocation')!.matchAll(/'(\w+)'/g)) if (m[1] !== 'europe') regions.add(m[1]!);
      for (const b of bicep.blocks) {
        const loc = literal(objectEntries(b.body).get('location'));
        if (loc) regions.add(loc);
      }
      for (const r of regions) assert.ok(step.includes(`\`${r}\``), `step 1 should name ${r}`);
    });

    it('checks the Key Vault reference right after provisioning, with the command and the causes', () => {
      const step = /^## 3\. [\s\S]*?^## 4\. /m.exec(deployDoc)![0];
      assert.match(step, /config\/configreferences\/appsettings\/BOT_PASSWORD/);
      assert.match(step, /Resolved/);
      for (const status of ['AccessToKeyVaultDenied', 'SecretNotFound']) assert.match(step, new RegExp(status));
      assert.match(step, /refuses to start/);
    });

    it('says what was verified against the stand-in, what offline, and that nothing was verified in a real tenant', () => {
      const section = /^## What was verified, and where\n([\s\S]*?)^## /m.exec(deployDoc)?.[1];
      assert.ok(section, 'a "What was verified, and where" section');
      assert.match(section, /stand-in for the Bot Connector/);
      assert.match(section, /Nothing in this repository has been run against a real Microsoft 365 tenant or Azure subscription/);
      assert.match(section, /no Bicep compiler/i);
      assert.match(section, /What to check first in a real tenant/);
    });

    it('documents the network and the logs the Bicep sets up', () => {
      const section = /^## Network, logs and what leaves the web app\n([\s\S]*?)^## /m.exec(deployDoc)?.[1] ?? '';
      for (const word of ['private endpoint', 'default-deny', 'NAT gateway', 'basic auth are off', 'AuditEvent', 'StorageTableLogs', 'tableOperatorIpRanges', 'enableRequestTelemetry']) {
        assert.ok(section.includes(word), `"${word}" missing from the network section`);
      }
      for (const output of ['BOT_OUTBOUND_IP']) assert.ok(bicep.outputs.has(output), `output ${output}`);
      // The diagnostic categories named in the docs are the ones the Bicep sends.
      const sent = blocksOfType(bicep, 'Microsoft.Insights/diagnosticSettings').flatMap((d) => objectLiterals(objectAt(d.body, ['properties']).get('logs') ?? '[]').map((l) => literal(objectEntries(l).get('category'))));
      for (const c of ['AuditEvent', 'StorageRead', 'AppServiceConsoleLogs']) assert.ok(sent.includes(c), `${c} not sent`);
    });
  });
});
