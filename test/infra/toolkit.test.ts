import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { parseEnvFile } from '../../scripts/package-app';
import { parseBicep, type BicepParam } from './bicep';

/**
 * The Microsoft 365 Agents Toolkit's own checks, offline, before `atk provision` ever reaches Azure:
 *
 * 1. The yml schema. The toolkit loads teamsapp*.yml with js-yaml 4, takes `version`, and validates the document
 *    with Ajv 8 (`allowUnionTypes`, keyword `deprecationMessage`) against resource/yaml-schema/<version>/
 *    yaml.schema.json of the CLI package; any error stops it with InvalidYamlSchemaError. Done here the same way
 *    with a byte-for-byte copy of that file (test/infra/atk-yaml-schema/SOURCE.md).
 * 2. The parameter expansion of arm/deploy: every ${{NAME}} in infra/azure.parameters.json is replaced by the
 *    environment's value when it is non-empty (APP_NAME_SUFFIX also when empty); any placeholder left makes it
 *    throw MissingEnvironmentVariablesError. Replayed here with the committed env files and what the provision
 *    steps before arm/deploy write.
 *
 * With ATK_CLI_DIR set to the prefix the CLI is installed in (`.ci/run` does it), the CLI's own parser and
 * expansion run too, and the copied schema must equal the package's.
 */
const ATK_CLI_VERSION = '1.1.17';
const ROOT = path.resolve(__dirname, '..', '..');
const read = (...p: string[]) => readFileSync(path.join(ROOT, ...p), 'utf8');
const SCHEMA_DIR = path.join(__dirname, 'atk-yaml-schema');
const YML_FILES = ['teamsapp.yml', 'teamsapp.local.yml'] as const;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---------------------------------------------------------------------------------------------------------------
// 1. yml schema

function copiedSchema(version: string): { file: string; schema: Json } {
  const file = path.join(SCHEMA_DIR, version, 'yaml.schema.json');
  assert.ok(
    existsSync(file),
    `no copy of the toolkit's ${version} yml schema in ${path.relative(ROOT, SCHEMA_DIR)} (have ${readdirSync(SCHEMA_DIR).filter((d) => /^v/.test(d)).join(', ')}); see SOURCE.md there`,
  );
  return { file, schema: JSON.parse(readFileSync(file, 'utf8')) as Json };
}

/** Problems the toolkit's schema check finds in a yml text ([] = it would go on). */
export function toolkitSchemaProblems(text: string, schemaFor: (version: string) => Json = (v) => copiedSchema(v).schema): string[] {
  const doc = load(text) as Json;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return ['not a YAML mapping'];
  if (typeof doc.version !== 'string') return ['no version'];
  // The same Ajv settings as @microsoft/teamsfx-core's Validator.
  const ajv = new Ajv({ allowUnionTypes: true });
  ajv.addKeyword('deprecationMessage');
  const validate = ajv.compile(schemaFor(doc.version));
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Parameter expansion

const PLACEHOLDER = /\${{ *[a-zA-Z_][a-zA-Z0-9_]* *}}/g;

/** teamsfx-core 3.1.3, component/utils/common.js expandEnvironmentVariable, with an explicit environment. */
function expandLikeToolkit(content: string, envs: Record<string, string | undefined>): string {
  for (const placeholder of content.match(PLACEHOLDER) ?? []) {
    const name = placeholder.slice(3, -2).trim();
    const value = envs[name];
    if (name === 'APP_NAME_SUFFIX' ? value !== undefined && value !== null : value) content = content.replace(placeholder, value!);
  }
  return content;
}

class MissingEnvironmentVariablesError extends Error {
  constructor(readonly missing: string[]) {
    super(`MissingEnvironmentVariablesError: ${missing.join(',')} in infra/azure.parameters.json`);
  }
}

/** arm/deploy's getDeployParameters: expand, refuse any placeholder left, parse. */
function armParameters(envs: Record<string, string | undefined>, template = read('infra', 'azure.parameters.json')): Json {
  const expanded = expandLikeToolkit(template, envs);
  const left = [...new Set((expanded.match(PLACEHOLDER) ?? []).map((p) => p.slice(3, -2).trim()))];
  if (left.length > 0) throw new MissingEnvironmentVariablesError(left);
  return JSON.parse(expanded) as Json;
}

const teamsappYml = load(read('teamsapp.yml')) as Json;
const provisionSteps = teamsappYml.provision as Json[];
const armStep = provisionSteps.findIndex((s) => s.uses === 'arm/deploy');

/** Runs a `script` action's command as the toolkit does (env file values in its environment); returns what it sets. */
function runScriptAction(step: Json, env: Record<string, string>): Record<string, string> {
  const out = execSync(step.with.run as string, { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 15_000 });
  return Object.fromEntries([...out.matchAll(/^::set-teamsfx-env (\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** Fake values for what the provision steps before arm/deploy write (the real ones come from Azure and Entra). */
const WRITTEN_BY_PROVISION: Record<string, string> = {
  TEAMS_APP_ID: '11111111-2222-3333-4444-555555555555',
  BOT_ID: '66666666-7777-8888-9999-000000000000',
  SECRET_BOT_PASSWORD: 'not-a-real-secret',
  BOT_OBJECT_ID: '22222222-3333-4444-5555-666666666666',
  BOT_TENANT_ID: '33333333-4444-5555-6666-777777777777',
};

/** The environment arm/deploy sees on a first provision of an environment file. */
function envAtArmDeploy(fileVars: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...fileVars };
  // The toolkit asks for these when they are empty.
  env.AZURE_SUBSCRIPTION_ID ||= '44444444-5555-6666-7777-888888888888';
  env.AZURE_RESOURCE_GROUP_NAME ||= 'rg-sst';
  for (const step of provisionSteps.slice(0, armStep)) {
    for (const name of Object.values((step.writeToEnvironmentFile ?? {}) as Record<string, string>)) {
      assert.ok(WRITTEN_BY_PROVISION[name], `no fake value for ${name}, which ${step.uses} writes`);
      if (!env[name]) env[name] = WRITTEN_BY_PROVISION[name]!;
    }
    if (step.uses === 'script') Object.assign(env, runScriptAction(step, env));
  }
  return env;
}

/** `atk env add <name> --env dev`: a copy of env/.env.dev with every value emptied but TEAMSFX_ENV and APP_NAME_SUFFIX. */
function envCopy(source: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.keys(source).map((k) => [k, k === 'TEAMSFX_ENV' || k === 'APP_NAME_SUFFIX' ? name : '']));
}

const bicep = parseBicep(read('infra', 'azure.bicep'));
const decorator = (p: BicepParam, name: string) => new RegExp(`@${name}\\(([^)]*)\\)`).exec(p.decorators)?.[1];

/** Problems of a parameter value against its Bicep declaration (type, allowed values, lengths, ranges). */
function parameterProblems(name: string, value: unknown): string[] {
  const p = bicep.params.get(name);
  if (!p) return [`azure.bicep has no parameter ${name}`];
  const problems: string[] = [];
  const jsType = { string: 'string', int: 'number', bool: 'boolean', array: 'object', object: 'object' }[p.type];
  if (typeof value !== jsType) problems.push(`${name}: ${JSON.stringify(value)} is not a Bicep ${p.type}`);
  if (typeof value === 'string') {
    if (value.trim() === '') problems.push(`${name} is empty`);
    const min = decorator(p, 'minLength');
    const max = decorator(p, 'maxLength');
    if (min && value.length < Number(min)) problems.push(`${name}: "${value}" is shorter than ${min}`);
    if (max && value.length > Number(max)) problems.push(`${name}: "${value}" is longer than ${max}`);
    const allowed = /@allowed\(\[([\s\S]*?)\]\)/.exec(p.decorators)?.[1];
    if (allowed && ![...allowed.matchAll(/'([^']*)'/g)].some((m) => m[1] === value)) problems.push(`${name}: "${value}" is not allowed`);
  }
  return problems;
}

/** Parameters azure.bicep turns into numbers with int(): they must be whole numbers. */
const INT_STRINGS = ['instanceCount', 'retentionMonths'];

function checkExpanded(parameters: Json): void {
  const problems = Object.entries(parameters.parameters as Record<string, { value: unknown }>).flatMap(([name, { value }]) => [
    ...parameterProblems(name, value),
    ...(INT_STRINGS.includes(name) && !/^\d+$/.test(String(value)) ? [`${name}: "${String(value)}" is not a whole number`] : []),
  ]);
  assert.deepEqual(problems, []);
}

/** The variables docs/deploy.md's environment table tells the operator to set. */
function documentedEnvironmentVariables(): string[] {
  const doc = read('docs', 'deploy.md');
  const section = /^## \d+\. Configure the environment\n([\s\S]*?)^## /m.exec(doc);
  assert.ok(section, 'docs/deploy.md has a "Configure the environment" section');
  return [...section[1]!.matchAll(/^\| ((?:`[A-Z_]+`(?:, )?)+) \|/gm)].flatMap((m) => [...m[1]!.matchAll(/`([A-Z_]+)`/g)].map((x) => x[1]!));
}

// ---------------------------------------------------------------------------------------------------------------

const devEnv = parseEnvFile(read('env', '.env.dev'));

describe('Microsoft 365 Agents Toolkit checks (offline)', () => {
  describe('yml schema (the CLI\'s bundled JSON schema)', () => {
    for (const file of YML_FILES) {
      it(`${file}: the $schema line names the version the file declares`, () => {
        const text = read(file);
        const line = text.split('\n')[0]!;
        const m = /^# yaml-language-server: \$schema=https:\/\/aka\.ms\/m365-agents-toolkits\/(v\d+\.\d+)\/yaml\.schema\.json$/.exec(line);
        assert.ok(m, `first line of ${file}: ${line}`);
        assert.equal((load(text) as Json).version, m[1]);
      });

      it(`${file}: validates against the toolkit's schema for its version`, () => {
        assert.deepEqual(toolkitSchemaProblems(read(file)), []);
      });
    }

    it('keeps generateServicePrincipal (a single-tenant bot needs the service principal) on a version that allows it', () => {
      for (const file of YML_FILES) {
        const doc = load(read(file)) as Json;
        const aad = (doc.provision as Json[]).find((s) => s.uses === 'aadApp/create')!;
        assert.equal(aad.with.generateServicePrincipal, true, file);
        const schema = copiedSchema(doc.version as string).schema;
        // aadApp/create with generateClientSecret: true (the schema's additionalProperties: false refuses unknown fields).
        assert.equal(aad.with.generateClientSecret, true);
        assert.ok(schema.definitions.aadAppCreateWithSecret?.properties?.with?.properties?.generateServicePrincipal, `${doc.version} does not allow generateServicePrincipal`);
      }
    });

    it('refuses broken copies, as the toolkit would (InvalidYamlSchemaError)', () => {
      const text = read('teamsapp.yml');
      const broken: Array<[string, string, RegExp]> = [
        ['another version than the schema\'s', text.replace(/^version: .*$/m, 'version: v1.8'), /\/version must be equal to constant/],
        ['an unknown field in an action', text.replace('generateServicePrincipal: true', 'generateServicePrincipal: true\n      bogus: 1'), /must NOT have additional properties/],
        ['an action the schema does not know', text.replace('- uses: arm/deploy', '- uses: arm/deploy2'), /must match/],
      ];
      for (const [what, yml, expected] of broken) {
        const problems = toolkitSchemaProblems(yml, () => copiedSchema('v1.11').schema);
        assert.ok(problems.some((p) => expected.test(p)), `${what}: ${JSON.stringify(problems.slice(0, 5))}`);
      }
      // The files as they were (v1.8): that schema has no generateServicePrincipal, so atk provision stopped there.
      const before = text.replace(/^version: .*$/m, 'version: v1.8');
      assert.ok(toolkitSchemaProblems(before).some((p) => /additional properties.*"additionalProperty":"generateServicePrincipal"/.test(p)), JSON.stringify(toolkitSchemaProblems(before).slice(0, 5)));
    });
  });

  describe('parameter expansion of infra/azure.parameters.json (arm/deploy)', () => {
    it('the first provision of env/.env.dev leaves no placeholder and no empty value, and every value fits its Bicep parameter', () => {
      const env = envAtArmDeploy(devEnv);
      const parameters = armParameters(env);
      checkExpanded(parameters);
      assert.equal(parameters.parameters.resourceBaseName.value, 'sstdev');
      assert.equal(parameters.parameters.botAadAppClientSecret.value, WRITTEN_BY_PROVISION.SECRET_BOT_PASSWORD);
    });

    it('a production copy (atk env add prod --env dev) provisions once the variables docs/deploy.md lists are set', () => {
      const copy = envCopy(devEnv, 'prod');
      const documented = documentedEnvironmentVariables();
      let missing: string[] = [];
      try {
        armParameters(envAtArmDeploy(copy));
      } catch (e) {
        assert.ok(e instanceof MissingEnvironmentVariablesError, String(e));
        missing = e.missing;
      }
      assert.ok(missing.length > 0, 'the copy has its values emptied');
      for (const name of missing) assert.ok(documented.includes(name), `${name} must be set before provisioning a copy, but docs/deploy.md does not list it`);
      // The operator follows the table: production name without suffix, sizing, retention.
      const filled = { ...copy, APP_NAME_SUFFIX: '', WEB_APP_SKU: 'P0v3', WEB_APP_INSTANCE_COUNT: '2', STORAGE_SKU: 'Standard_ZRS', RETENTION_MONTHS: '36' };
      const parameters = armParameters(envAtArmDeploy(filled));
      checkExpanded(parameters);
      assert.equal(parameters.parameters.resourceBaseName.value, 'sst');
      assert.equal(parameters.parameters.botDisplayName.value, 'Skolsocialt team');
    });

    it('refuses an empty placeholder other than APP_NAME_SUFFIX (why ALLOWED_TENANTS is not one)', () => {
      const env = envAtArmDeploy(devEnv);
      assert.throws(() => armParameters({ ...env, ALLOWED_TENANTS: '' }, '{"a":{"value":"${{ALLOWED_TENANTS}}"},"b":{"value":"x${{APP_NAME_SUFFIX}}"}}'), (e: unknown) => {
        assert.ok(e instanceof MissingEnvironmentVariablesError);
        assert.deepEqual(e.missing, ['ALLOWED_TENANTS']);
        return true;
      });
      assert.deepEqual(armParameters({ APP_NAME_SUFFIX: '' }, '{"b":"x${{APP_NAME_SUFFIX}}"}'), { b: 'x' });
      assert.ok(!read('infra', 'azure.parameters.json').includes('ALLOWED_TENANTS'));
    });

    it('the Key Vault name seed is chosen once per environment by the script step before arm/deploy', () => {
      const step = provisionSteps.slice(0, armStep).find((s) => s.uses === 'script');
      assert.ok(step, 'a script step before arm/deploy');
      const first = runScriptAction(step, { ...devEnv, KEY_VAULT_NAME_SEED: '' });
      assert.match(first.KEY_VAULT_NAME_SEED ?? '', /^[0-9a-f]{12}$/);
      assert.notEqual(runScriptAction(step, { ...devEnv, KEY_VAULT_NAME_SEED: '' }).KEY_VAULT_NAME_SEED, first.KEY_VAULT_NAME_SEED);
      assert.deepEqual(runScriptAction(step, { ...devEnv, KEY_VAULT_NAME_SEED: 'kept0123' }), {}, 'an existing seed is kept');
      assert.equal(devEnv.KEY_VAULT_NAME_SEED, '', 'env/.env.dev declares it, empty until the first provision');
    });
  });

  describe(`with the Agents Toolkit CLI ${ATK_CLI_VERSION} itself (ATK_CLI_DIR)`, function () {
    const cliDir = process.env.ATK_CLI_DIR;
    before(function () {
      if (!cliDir) {
        this.skip(); // set by .ci/run; see test/infra/atk-yaml-schema/SOURCE.md
      }
    });
    const fromCli = (request: string) => require(require.resolve(request, { paths: [cliDir!] })) as Json; // eslint-disable-line @typescript-eslint/no-require-imports
    const cliPackage = () => path.dirname(require.resolve('@microsoft/m365agentstoolkit-cli/package.json', { paths: [cliDir!] }));

    it(`is version ${ATK_CLI_VERSION}, and the copied schemas are byte-identical to the ones it bundles`, () => {
      assert.equal((JSON.parse(readFileSync(path.join(cliPackage(), 'package.json'), 'utf8')) as Json).version, ATK_CLI_VERSION);
      for (const version of readdirSync(SCHEMA_DIR).filter((d) => /^v/.test(d))) {
        const bundled = readFileSync(path.join(cliPackage(), 'resource', 'yaml-schema', version, 'yaml.schema.json'));
        assert.ok(bundled.equals(readFileSync(copiedSchema(version).file)), `${version} differs from the CLI's`);
      }
    });

    it('its own yml parser accepts both files, and refused the v1.8 ones (InvalidYamlSchemaError)', async () => {
      const { yamlParser } = fromCli('@microsoft/teamsfx-core/build/component/configManager/parser');
      for (const file of YML_FILES) {
        const result = await yamlParser.parse(path.join(ROOT, file), true);
        assert.ok(result.isOk(), `${file}: ${result.isErr() ? `${result.error.name}: ${result.error.message}` : ''}`);
      }
      // What the files were before: version v1.8 with generateServicePrincipal.
      const bundledV18 = JSON.parse(readFileSync(path.join(cliPackage(), 'resource', 'yaml-schema', 'v1.8', 'yaml.schema.json'), 'utf8')) as Json;
      const old = read('teamsapp.yml').replace(/^version: .*$/m, 'version: v1.8');
      assert.ok(toolkitSchemaProblems(old, () => bundledV18).some((p) => /additional properties.*generateServicePrincipal/.test(p)));
    });

    it('its own expansion gives the same parameters and refuses the same empty placeholder', () => {
      const { expandEnvironmentVariable, getEnvironmentVariables } = fromCli('@microsoft/teamsfx-core/build/component/utils/common');
      const template = read('infra', 'azure.parameters.json');
      for (const env of [envAtArmDeploy(devEnv), envAtArmDeploy({ ...envCopy(devEnv, 'prod'), APP_NAME_SUFFIX: '', WEB_APP_SKU: 'B1', WEB_APP_INSTANCE_COUNT: '1', STORAGE_SKU: 'Standard_LRS', RETENTION_MONTHS: '24' })]) {
        const expanded = expandEnvironmentVariable(template, env) as string;
        assert.deepEqual(getEnvironmentVariables(expanded), []);
        assert.deepEqual(JSON.parse(expanded), armParameters(env));
      }
      assert.deepEqual(getEnvironmentVariables(expandEnvironmentVariable('"${{ALLOWED_TENANTS}}"', { ALLOWED_TENANTS: '' })), ['ALLOWED_TENANTS']);
    });
  });
});
