import assert from 'node:assert/strict';
import { identityProblem } from '../../src/domain/concern';
import { containsPersonnummer, isPersonnummerDigits, luhnValid, normaliseForIdentity } from '../../src/domain/personnummer';

/**
 * One personnummer (Skatteverket's test person Tolvan Tolvansson, 19121212-1212) and a few real-looking
 * ones, written every way people write them; and ordinary text with dates, phone numbers and times
 * that must never be mistaken for one.
 */
describe('personnummer detection', () => {
  const ZWSP = '\u200b';
  const flagged: Array<[string, string]> = [
    ['YYMMDD-NNNN', '121212-1212'],
    ['YYMMDDNNNN', '1212121212'],
    ['YYYYMMDD-NNNN (century form)', '19121212-1212'],
    ['YYYYMMDDNNNN', '191212121212'],
    ['YYMMDD+NNNN (over 100)', '121212+1212'],
    ['YYMMDD NNNN (space)', '121212 1212'],
    ['YYMMDD\u00a0NNNN (no-break space)', '121212\u00a01212'],
    ['YYMMDD\u202fNNNN (narrow no-break space)', '121212\u202f1212'],
    ['en dash (Word autocorrect)', '121212\u20131212'],
    ['em dash', '121212\u20141212'],
    ['minus sign', '121212\u22121212'],
    ['non-breaking hyphen', '121212\u20111212'],
    ['spaced dash', '121212 - 1212'],
    ['dots between the groups', '12.12.12-1212'],
    ['slashes in the date', '12/12/12-1212'],
    ['spaces in the date', '12 12 12-1212'],
    ['ISO date then number', '1912-12-12-1212'],
    ['century form with spaces', '1912 12 12 1212'],
    ['fullwidth digits', '１２１２１２－１２１２'],
    ['fullwidth digits without a dash', '１２１２１２１２１２'],
    ['zero-width spaces between the digits', `12${ZWSP}12${ZWSP}12-12${ZWSP}12`],
    ['zero-width joiner and soft hyphen', '1212\u200d12\u00ad1212'],
    ['BOM inside', '121212-\ufeff1212'],
    ['mathematical bold digits', '𝟏𝟐𝟏𝟐𝟏𝟐-𝟏𝟐𝟏𝟐'],
    ['inside a sentence', 'Eleven (pnr 121212-1212) har hög frånvaro'],
    ['after a label with a colon', 'pnr:1212121212'],
    ['samordningsnummer (day + 60)', '121272-1219'],
    ['samordningsnummer, century form', '19121272-1219'],
    ['a pupil born 2010', '100304-1231'],
    ['a pupil born 2010, century form', '20100304-1231'],
    ['29 February of a leap year', '20160229-9875'],
    ['after another number', 'Rum 12 121212-1212'],
    ['on its own line', 'Gäller\n121212\n1212'],
  ];

  it('has at least 20 ways of writing one', () => assert.ok(flagged.length >= 20));

  for (const [label, text] of flagged) {
    it(`flags ${label}: ${JSON.stringify(text)}`, () => {
      assert.equal(containsPersonnummer(text), true);
      assert.equal(identityProblem(text), 'personnummer');
    });
  }

  const fine: Array<[string, string]> = [
    ['empty', ''],
    ['a date', '2026-06-15'],
    ['two dates', 'Möte 2026-06-15 kl 10, ny kontakt 2026-08-20'],
    ['a date and a time', 'Uppföljning 2026-06-15 kl 10.30–11.45'],
    ['a date and a time without a dot', '2026-06-15 1030'],
    ['a date range', '2026-06-15 – 2026-08-20'],
    ['a Swedish date', '15/6 2026'],
    ['times', 'kl 08:30-09:15 och 13.00–14.30'],
    ['a mobile number with separators', '070-123 45 67'],
    ['a mobile number written together', '0701234567'],
    ['another mobile number', '073-987 65 43'],
    ['a mobile number in groups of three', '070 123 4567'],
    ['a Stockholm number', '08-123 456 78'],
    ['an international number', '+46 70 123 45 67'],
    ['a school reference', 'PRN-1234'],
    ['a case code', 'SST-2026-0042'],
    ['a percentage band', 'Frånvaro 20-50 % sedan höstlovet'],
    ['a grade', 'årskurs 7'],
    ['a year range', 'läsåren 2019–2026'],
    ['a Luhn-invalid number', '121212-1213'],
    ['an impossible date', '121232-1212'],
    ['month 13', '121312-1212'],
    ['a 30 February', '19120230-1212'],
    ['29 February of a common year', '20150229-9876'], // 1502299876 passes Luhn: the date decides
    ['a split birth number', '121212-12 12'],
    ['too many digits', '12121212121212'],
    ['an account number', '1234-5678 9012'],
  ];
  for (const [label, text] of fine) {
    it(`lets ${label} through: ${JSON.stringify(text)}`, () => assert.equal(containsPersonnummer(text), false));
  }

  it('normalises fullwidth digits and removes zero-width characters', () => {
    assert.equal(normaliseForIdentity(`１${ZWSP}２\u200d`), '12');
  });

  it('implements the Luhn check and the date rules', () => {
    assert.equal(luhnValid('1212121212'), true);
    assert.equal(luhnValid('1212121213'), false);
    assert.equal(isPersonnummerDigits('191212121212'), true);
    assert.equal(isPersonnummerDigits('171212121212'), false, 'no century 17');
    assert.equal(isPersonnummerDigits('1212921212'), false, 'day 92 is no samordningsnummer');
  });

  it('reads 250,000 characters of every shape without super-linear work', function () {
    this.timeout(10_000);
    const inputs = [
      `${'.'.repeat(250_000)}x`,
      '1-'.repeat(125_000),
      '12 '.repeat(83_333),
      '1'.repeat(250_000),
      `${'121212 '.repeat(35_714)}x`,
      '\u200b1'.repeat(125_000),
      `${'- '.repeat(125_000)}1212121212`,
    ];
    for (const input of inputs) assert.equal(containsPersonnummer(input), input.endsWith('1212121212'));
  });
});
