import assert from 'node:assert/strict';
import { splitResponsibility } from '../../src/bot/routes/plans';

describe('plan responsibilities: split without a backtracking regex', () => {
  it('splits at a spaced dash or a colon, like the regex it replaces', () => {
    assert.deepEqual(splitResponsibility('mentor – följer upp närvaron'), ['mentor', 'följer upp närvaron']);
    assert.deepEqual(splitResponsibility('Sara Socionom - samtal med familjen'), ['Sara Socionom', 'samtal med familjen']);
    assert.deepEqual(splitResponsibility('mentor: följer upp'), ['mentor', 'följer upp']);
    assert.deepEqual(splitResponsibility('mentor  –  följer'), ['mentor', 'följer']);
    assert.deepEqual(splitResponsibility('a -b'), ['a -b']);
    assert.deepEqual(splitResponsibility('mentor'), ['mentor']);
  });

  it('splits 250,000 characters of spaces and dashes within the test timeout', function () {
    this.timeout(3_000); // /\s+[–-]\s+|:\s*/ backtracks quadratically on long runs of spaces
    assert.equal(splitResponsibility(`a${' '.repeat(250_000)}b`).length, 1);
    assert.equal(splitResponsibility(`${' -'.repeat(125_000)}x`).length > 1, true);
  });
});
