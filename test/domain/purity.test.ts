import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const DOMAIN = join(__dirname, '../../src/domain');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** The domain is pure: no transport, no storage, no clock or environment of its own. */
describe('src/domain purity', () => {
  const forbidden: Array<[RegExp, string]> = [
    [/from\s+['"](botbuilder[^'"]*|@microsoft\/[^'"]+|@azure\/[^'"]+|restify|pino|node:[^'"]+|fs|http|https|net|child_process)['"]/, 'imports a transport, storage, logging or Node I/O module'],
    [/require\(/, 'uses require()'],
    [/Date\.now\s*\(/, 'reads the clock with Date.now()'],
    [/new Date\(\s*\)/, 'reads the clock with new Date()'],
    [/process\.(env|hrtime)|performance\.now/, 'reads the environment or a timer'],
    [/Math\.random\s*\(/, 'uses Math.random() (pass randomness in)'],
  ];

  it('has files to check', () => assert.ok(files(DOMAIN).length > 0));

  for (const file of files(DOMAIN)) {
    it(`${file.slice(DOMAIN.length + 1)} is pure`, () => {
      const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      for (const [pattern, why] of forbidden) assert.doesNotMatch(source, pattern, `${file} ${why}`);
    });
  }
});
