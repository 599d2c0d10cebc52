import assert from 'node:assert/strict';
import { MAX_COMMAND_TEXT, normaliseCommandText, parseCommand, withoutTrailingPunctuation } from '../../src/bot/commands';

describe('command parsing: bounded, and linear on any input', () => {
  it('understands commands with a slash, spaces, "!" and "." and any letter case', () => {
    for (const text of ['hjälp', ' /hjälp ', 'HJÄLP!', 'hjälp...', 'Mina   ärenden.', 'mina ärenden!.!']) assert.ok(parseCommand(text), text);
    assert.equal(parseCommand('ny oro')?.id, 'newConcern');
    assert.equal(parseCommand('help')?.lang, 'en');
  });

  it(`does not parse a text longer than ${MAX_COMMAND_TEXT} characters at all`, () => {
    assert.equal(parseCommand(`hjälp${' '.repeat(MAX_COMMAND_TEXT)}`), undefined);
    assert.equal(parseCommand(`hjälp${'!'.repeat(MAX_COMMAND_TEXT)}`), undefined);
    assert.equal(normaliseCommandText('x'.repeat(MAX_COMMAND_TEXT + 1)), '');
    assert.ok(parseCommand(`hjälp${' '.repeat(MAX_COMMAND_TEXT - 10)}`), 'up to the bound it is a command');
  });

  it('strips trailing punctuation from 250,000 characters (250,000 dots and an "x") within the test timeout', function () {
    this.timeout(3_000); // the regex it replaces needed about 30 s for this input
    const dots = `${'.'.repeat(250_000)}x`;
    assert.equal(withoutTrailingPunctuation(dots), dots);
    assert.equal(withoutTrailingPunctuation(`x${'.!'.repeat(125_000)}`), 'x');
    assert.equal(withoutTrailingPunctuation('.'.repeat(250_000)), '');
  });
});
