/**
 * Builds the Teams app package: appPackage/build/appPackage.<env>.zip
 *
 *   1. reads env/.env.<env> (env = TEAMSFX_ENV or "local"), then env/.env.<env>.user, then process.env on top;
 *   2. fills every ${{NAME}} in appPackage/manifest.json and its language files (en.json), failing with
 *      the list of placeholders that have no value;
 *   3. validates the manifest and the language files OFFLINE against the JSON schemas bundled with
 *      @microsoft/app-manifest (never fetched), plus a few Teams rules the schema does not encode;
 *   4. checks the icons (color 192×192, outline 32×32 white on transparent);
 *   5. writes the zip with manifest.json, the language files and the icons at its root.
 *
 * Usage: npm run package            (TEAMSFX_ENV=dev npm run package, or: npm run package -- --env dev)
 *
 * The pure pieces (fillPlaceholders, validateManifest, buildAppPackage, ...) are exported for tests.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { PNG } from 'pngjs';

export const ROOT_DIR = path.resolve(__dirname, '..');

/** Placeholder syntax of Teams Toolkit / Microsoft 365 Agents Toolkit: ${{NAME}}, spaces inside the braces allowed. */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Variables that may legitimately be empty (e.g. no suffix on the production app name). */
export const ALLOWED_EMPTY: readonly string[] = ['APP_NAME_SUFFIX'];

/** Teams documents at most 10 commands per command list (the v1.30 schema itself allows 12). */
export const MAX_COMMANDS_PER_LIST = 10;

export const ICON_SIZES = { color: 192, outline: 32 } as const;

export type Vars = Readonly<Record<string, string | undefined>>;

export class PlaceholderError extends Error {
  constructor(
    readonly missing: string[],
    where = '',
  ) {
    super(`No value for placeholder(s) ${missing.map((m) => '${{' + m + '}}').join(', ')}${where}`);
    this.name = 'PlaceholderError';
  }
}

export class AppPackageError extends Error {
  constructor(readonly problems: string[]) {
    super(`The Teams app package is not valid, ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
    this.name = 'AppPackageError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Environment files

/** Parses KEY=VALUE lines; blank lines and lines starting with # are ignored; surrounding quotes are removed. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().replace(/^export\s+/, '');
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    vars[key] = value;
  }
  return vars;
}

export interface LoadEnvOptions {
  envName: string;
  envDir?: string;
  /** Merged on top of the files; defaults to process.env. Pass {} for a reproducible result. */
  processEnv?: Vars;
  /** Read env/.env.<env>.user too (default true). */
  includeUserFile?: boolean;
}

/** env/.env.<env> (required), then env/.env.<env>.user (optional), then processEnv, each on top of the previous. */
export function loadEnv(opts: LoadEnvOptions): { vars: Record<string, string>; files: string[] } {
  const envDir = opts.envDir ?? path.join(ROOT_DIR, 'env');
  const base = path.join(envDir, `.env.${opts.envName}`);
  if (!existsSync(base)) {
    const known = existsSync(envDir)
      ? readdirSync(envDir)
          .filter((f) => /^\.env\.[^.]+$/.test(f))
          .map((f) => f.slice('.env.'.length))
      : [];
    throw new Error(`No environment file ${base}. Known environments: ${known.join(', ') || '(none)'}`);
  }
  const files = [base];
  const vars: Record<string, string> = parseEnvFile(readFileSync(base, 'utf8'));
  const user = `${base}.user`;
  if (opts.includeUserFile !== false && existsSync(user)) {
    files.push(user);
    Object.assign(vars, parseEnvFile(readFileSync(user, 'utf8')));
  }
  for (const [k, v] of Object.entries(opts.processEnv ?? process.env)) if (v !== undefined) vars[k] = v;
  return { vars, files };
}

// ---------------------------------------------------------------------------------------------------------------
// Placeholders

/** Names of the ${{NAME}} placeholders in `text`, in order of first appearance. */
export function findPlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export interface FillOptions {
  /** Names whose empty value is acceptable (default ALLOWED_EMPTY); any other empty value counts as missing. */
  allowEmpty?: readonly string[];
  /** Escape values for use inside a JSON string literal (quotes, backslashes, control characters). */
  json?: boolean;
}

/**
 * Replaces every ${{NAME}} in `text` with vars[NAME].
 * Throws PlaceholderError listing every placeholder without a value (undefined, or empty unless allowed).
 */
export function fillPlaceholders(text: string, vars: Vars, opts: FillOptions = {}): string {
  const allowEmpty = opts.allowEmpty ?? ALLOWED_EMPTY;
  const missing = findPlaceholders(text).filter((name) => {
    const v = vars[name];
    return v === undefined || (v === '' && !allowEmpty.includes(name));
  });
  if (missing.length > 0) throw new PlaceholderError(missing);
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const v = vars[name]!;
    return opts.json ? JSON.stringify(v).slice(1, -1) : v;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Schemas bundled with @microsoft/app-manifest

function bundledTeamsSchemaDir(): string {
  const pkg = require.resolve('@microsoft/app-manifest/package.json');
  return path.join(path.dirname(pkg), 'build', 'json-schemas', 'teams');
}

/** The numbered Teams manifest schema versions bundled with @microsoft/app-manifest, oldest first. */
export function bundledTeamsSchemaVersions(): string[] {
  return readdirSync(bundledTeamsSchemaDir())
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1))
    .sort((a, b) => {
      const [a1, a2] = a.split('.').map(Number) as [number, number];
      const [b1, b2] = b.split('.').map(Number) as [number, number];
      return a1 - b1 || a2 - b2;
    });
}

export function latestBundledTeamsSchemaVersion(): string {
  return bundledTeamsSchemaVersions().at(-1)!;
}

type SchemaKind = 'MicrosoftTeams.schema.json' | 'MicrosoftTeams.Localization.schema.json';

/**
 * Path of the bundled schema a document declares: its $schema URL (developer.microsoft.com/[locale/]json-schemas/teams/vX/...)
 * or, without one, the manifest version. Never goes to the network.
 */
export function bundledSchemaPath(doc: { $schema?: unknown; manifestVersion?: unknown }, kind: SchemaKind): string {
  let version: string | undefined;
  if (typeof doc.$schema === 'string') {
    const m = /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}(?:-[a-z]{2})?\/)?json-schemas\/teams\/v([^/]+)\/([^/]+)$/i.exec(doc.$schema);
    if (!m) throw new Error(`$schema ${doc.$schema} is not a Teams schema URL on developer.microsoft.com`);
    if (m[2] !== kind) throw new Error(`$schema ${doc.$schema} should point to ${kind}`);
    version = m[1];
  } else if (typeof doc.manifestVersion === 'string') {
    version = doc.manifestVersion;
  }
  if (!version) throw new Error('Cannot tell which schema applies: no $schema and no manifestVersion');
  const file = path.join(bundledTeamsSchemaDir(), `v${version}`, kind);
  if (!existsSync(file)) {
    throw new Error(`@microsoft/app-manifest has no bundled ${kind} for v${version} (it has ${bundledTeamsSchemaVersions().join(', ')})`);
  }
  return file;
}

/** Escapes `]` outside a character class, which a unicode-mode RegExp rejects as a lone bracket. */
export function escapeLoneBrackets(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (ch === '[' && !inClass) {
      inClass = true;
      out += ch;
    } else if (ch === ']') {
      out += inClass ? ch : '\\]';
      inClass = false;
    } else {
      out += ch;
    }
  }
  return out;
}

function compilesAsUnicode(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}

/**
 * Every bundled MicrosoftTeams.Localization.schema.json (v1.8 to v1.30, devPreview) has the patternProperties key
 * `^activities.activityTypes\[\b(...)\b]\.description$`: the lone `]` is an error for Ajv, which compiles patterns
 * with the `u` flag, so the package's own validator throws "Invalid regular expression" on any localization file.
 * Escape such brackets; the meaning of the pattern is unchanged.
 */
function repairPatterns(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(repairPatterns);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'patternProperties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([p, sub]) => [compilesAsUnicode(p) ? p : escapeLoneBrackets(p), repairPatterns(sub)]),
      );
    } else if (key === 'pattern' && typeof value === 'string' && !compilesAsUnicode(value)) {
      out[key] = escapeLoneBrackets(value);
    } else {
      out[key] = repairPatterns(value);
    }
  }
  return out;
}

const schemaCache = new Map<string, unknown>();
function loadSchema(file: string): unknown {
  if (!schemaCache.has(file)) {
    // Same clean-up @microsoft/app-manifest applies to schemas it loads (\a and \v are not valid JSON escapes).
    const raw = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
    schemaCache.set(file, repairPatterns(JSON.parse(raw)));
  }
  return structuredClone(schemaCache.get(file));
}

async function validateAgainst(doc: unknown, kind: SchemaKind): Promise<string[]> {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return ['(root) must be a JSON object'];
  let schemaFile: string;
  try {
    schemaFile = bundledSchemaPath(doc as { $schema?: unknown; manifestVersion?: unknown }, kind);
  } catch (e) {
    return [(e as Error).message];
  }
  // The package's own validator (Ajv draft-04 + formats); handing it the schema keeps it offline.
  const errors = await AppManifestUtils.validateAgainstSchema(doc as AppManifest, loadSchema(schemaFile) as never);
  return errors.map((e) => (e.startsWith(' ') ? `(root)${e}` : e));
}

function unresolved(doc: unknown): string[] {
  const names = findPlaceholders(JSON.stringify(doc));
  return names.length ? [`unfilled placeholder(s): ${names.map((n) => '${{' + n + '}}').join(', ')}`] : [];
}

/**
 * Validates a (filled) Teams app manifest offline: the JSON schema bundled with @microsoft/app-manifest for the
 * version it declares, plus Teams rules the schema does not check. Resolves to [] when valid, else the problems.
 */
export async function validateManifest(manifest: unknown): Promise<string[]> {
  const problems = await validateAgainst(manifest, 'MicrosoftTeams.schema.json');
  if (typeof manifest !== 'object' || manifest === null) return problems;
  const m = manifest as { $schema?: unknown; manifestVersion?: unknown; bots?: Array<{ commandLists?: Array<{ commands?: unknown[] }> }> };
  if (typeof m.$schema === 'string' && typeof m.manifestVersion === 'string' && !m.$schema.includes(`/v${m.manifestVersion}/`)) {
    problems.push(`$schema ${m.$schema} does not match manifestVersion ${m.manifestVersion}`);
  }
  m.bots?.forEach((bot, b) =>
    bot.commandLists?.forEach((list, l) => {
      if ((list.commands?.length ?? 0) > MAX_COMMANDS_PER_LIST) {
        problems.push(`/bots/${b}/commandLists/${l}/commands has ${list.commands!.length} commands, Teams shows at most ${MAX_COMMANDS_PER_LIST}`);
      }
    }),
  );
  problems.push(...unresolved(manifest));
  return problems;
}

/** Localisable keys a manifest uses, in localization-file form: name.short, bots[0].commandLists[1].commands[2].title ... */
export function localisableKeys(manifest: unknown): string[] {
  const m = manifest as {
    name?: Record<string, unknown>;
    description?: Record<string, unknown>;
    bots?: Array<{ commandLists?: Array<{ commands?: Array<Record<string, unknown>> }> }>;
  };
  const keys: string[] = [];
  for (const k of ['short', 'full']) if (typeof m.name?.[k] === 'string') keys.push(`name.${k}`);
  for (const k of ['short', 'full']) if (typeof m.description?.[k] === 'string') keys.push(`description.${k}`);
  m.bots?.forEach((bot, b) =>
    bot.commandLists?.forEach((list, l) =>
      list.commands?.forEach((cmd, c) => {
        for (const k of ['title', 'description', 'prompt']) {
          if (typeof cmd[k] === 'string') keys.push(`bots[${b}].commandLists[${l}].commands[${c}].${k}`);
        }
      }),
    ),
  );
  return keys;
}

/**
 * Validates a (filled) localization file offline against the bundled Localization schema, and, given the manifest,
 * that it translates exactly the localisable strings the manifest has (none missing, none pointing nowhere).
 */
export async function validateLocalization(loc: unknown, manifest?: unknown): Promise<string[]> {
  const problems = await validateAgainst(loc, 'MicrosoftTeams.Localization.schema.json');
  if (manifest !== undefined && typeof loc === 'object' && loc !== null) {
    const expected = new Set(localisableKeys(manifest));
    const present = new Set(Object.keys(loc).filter((k) => k !== '$schema' && k !== 'localizationKeys'));
    for (const k of expected) if (!present.has(k)) problems.push(`missing translation for ${k}`);
    for (const k of present) if (!expected.has(k)) problems.push(`${k} is translated but the manifest has no such string`);
  }
  problems.push(...unresolved(loc));
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Icons

/** Problems with an icon: PNG, expected size, and for the outline only white (any alpha) or fully transparent pixels. */
export function checkIcon(png: Buffer, kind: keyof typeof ICON_SIZES, name: string = kind): string[] {
  let img: PNG;
  try {
    img = PNG.sync.read(png);
  } catch (e) {
    return [`${name} is not a readable PNG: ${(e as Error).message}`];
  }
  const size = ICON_SIZES[kind];
  const problems: string[] = [];
  if (img.width !== size || img.height !== size) problems.push(`${name} is ${img.width}×${img.height}, Teams needs ${size}×${size}`);
  if (kind === 'outline') {
    let bad = 0;
    let opaque = 0;
    for (let i = 0; i < img.data.length; i += 4) {
      const [r, g, b, a] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!, img.data[i + 3]!];
      if (a > 0 && (r !== 255 || g !== 255 || b !== 255)) bad++;
      if (a > 0) opaque++;
    }
    if (bad > 0) problems.push(`${name} has ${bad} visible pixel(s) that are not white; Teams needs white on transparent`);
    if (opaque === 0) problems.push(`${name} is fully transparent`);
    if (opaque === img.width * img.height) problems.push(`${name} has no transparent pixels; Teams needs white on transparent`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Package

export interface BuildOptions {
  /** Environment name: selects env/.env.<env> and names the zip. Default TEAMSFX_ENV or "local". */
  envName?: string;
  /** Variables to fill placeholders with; default loadEnv({ envName, envDir, processEnv }). */
  vars?: Vars;
  /** Only used when vars is not given. */
  processEnv?: Vars;
  appPackageDir?: string;
  envDir?: string;
  /** Where the zip goes; default <appPackageDir>/build. */
  outDir?: string;
}

export interface BuildResult {
  zipPath: string;
  envName: string;
  /** Entry names in the zip. */
  files: string[];
  manifest: Record<string, unknown>;
  schemaVersion: string;
}

function readText(file: string): string {
  if (!existsSync(file)) throw new AppPackageError([`missing file ${file}`]);
  return readFileSync(file, 'utf8');
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppPackageError([`${name} is not valid JSON after filling placeholders: ${(e as Error).message}`]);
  }
}

/** Fills, validates and zips the Teams app package; throws PlaceholderError or AppPackageError naming every problem. */
export async function buildAppPackage(opts: BuildOptions = {}): Promise<BuildResult> {
  const envName = opts.envName ?? process.env.TEAMSFX_ENV ?? 'local';
  const appDir = opts.appPackageDir ?? path.join(ROOT_DIR, 'appPackage');
  const envDir = opts.envDir ?? path.join(ROOT_DIR, 'env');
  const vars = opts.vars ?? loadEnv({ envName, envDir, processEnv: opts.processEnv }).vars;

  const manifestText = readText(path.join(appDir, 'manifest.json'));
  const rawManifest = parseJson(manifestText, 'manifest.json') as {
    localizationInfo?: { defaultLanguageFile?: string; additionalLanguages?: Array<{ file: string }> };
    icons?: { color?: string; outline?: string };
  };
  const languageFiles = [
    ...(rawManifest.localizationInfo?.defaultLanguageFile ? [rawManifest.localizationInfo.defaultLanguageFile] : []),
    ...(rawManifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file),
  ];
  const texts = new Map<string, string>([['manifest.json', manifestText]]);
  for (const f of languageFiles) texts.set(f, readText(path.join(appDir, f)));

  // Every missing placeholder in every file, reported at once.
  const missing = [...new Set([...texts.values()].flatMap((t) => findPlaceholders(t)))].filter((n) => {
    const v = vars[n];
    return v === undefined || (v === '' && !ALLOWED_EMPTY.includes(n));
  });
  if (missing.length > 0) {
    throw new PlaceholderError(
      missing,
      ` in ${[...texts.keys()].join(', ')}. Set them in env/.env.${envName}, env/.env.${envName}.user (secrets) or the process environment.`,
    );
  }

  const filled = new Map<string, string>();
  for (const [name, text] of texts) filled.set(name, fillPlaceholders(text, vars, { json: true }));
  const manifest = parseJson(filled.get('manifest.json')!, 'manifest.json') as Record<string, unknown>;

  const problems: string[] = (await validateManifest(manifest)).map((p) => `manifest.json: ${p}`);
  for (const f of languageFiles) {
    const loc = parseJson(filled.get(f)!, f);
    problems.push(...(await validateLocalization(loc, manifest)).map((p) => `${f}: ${p}`));
  }

  const icons: Array<[keyof typeof ICON_SIZES, string | undefined]> = [
    ['color', rawManifest.icons?.color],
    ['outline', rawManifest.icons?.outline],
  ];
  const iconData = new Map<string, Buffer>();
  for (const [kind, file] of icons) {
    if (!file) continue; // the schema already reports a missing icon
    const full = path.join(appDir, file);
    if (!existsSync(full)) {
      problems.push(`icon ${file} does not exist (run npx tsx scripts/make-icons.ts)`);
      continue;
    }
    const data = readFileSync(full);
    problems.push(...checkIcon(data, kind, file));
    iconData.set(file, data);
  }
  if (problems.length > 0) throw new AppPackageError(problems);

  const zip = new AdmZip();
  for (const [name, text] of filled) zip.addFile(name, Buffer.from(text, 'utf8'));
  for (const [name, data] of iconData) zip.addFile(name, data);
  const outDir = opts.outDir ?? path.join(appDir, 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${envName}.zip`);
  zip.writeZip(zipPath);

  return {
    zipPath,
    envName,
    files: zip.getEntries().map((e) => e.entryName),
    manifest,
    schemaVersion: String(manifest.manifestVersion),
  };
}

function envFromArgs(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--env' || a === '-e');
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith('--env='))?.slice('--env='.length);
}

async function main(): Promise<void> {
  const envName = envFromArgs(process.argv.slice(2)) ?? process.env.TEAMSFX_ENV ?? 'local';
  try {
    const result = await buildAppPackage({ envName });
    console.log(`Teams app package for "${envName}" (manifest v${result.schemaVersion}, validated offline against the bundled schema):`);
    console.log(`  ${path.relative(process.cwd(), result.zipPath)}: ${result.files.join(', ')}`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
