import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RosterFileError, parseRoster, readRosterFile } from '../../src/roster/rosterFile';

const example = () => JSON.parse(readFileSync(join(__dirname, '../../roster.example.json'), 'utf8'));

describe('roster/rosterFile', () => {
  it('accepts the shipped example roster', async () => {
    const roster = await readRosterFile(join(__dirname, '../../roster.example.json'));
    assert.equal(roster.municipality.reportConcernUrl, 'https://example.org/orosanmalan');
  });

  it('accepts an optional work e-mail (for the Outlook calendar) and refuses a malformed one', () => {
    const roster = example();
    roster.people[0].email = 'eva.kurator@example.org';
    assert.equal(parseRoster(roster).people[0].email, 'eva.kurator@example.org');
    roster.people[0].email = 'not an address';
    assert.throws(() => parseRoster(roster), /people\.0\.email/);
  });

  it('names every problem and the fix', () => {
    const roster = example();
    roster.schools[0].socialWorker = 'nobody';
    roster.municipality.reportConcernUrl = 'not a url';
    assert.throws(() => parseRoster(roster, 'roster.json'), (err: unknown) => err instanceof RosterFileError && /municipality\.reportConcernUrl/.test(err.message) && /roster\.example\.json/.test(err.message));
    const crossRef = example();
    crossRef.schools[0].socialWorker = 'nobody';
    assert.throws(() => parseRoster(crossRef), /school "ryd" socialWorker names person "nobody"/);
  });

  it('says what to check when the file cannot be read or parsed', async () => {
    await assert.rejects(readRosterFile('/nonexistent/roster.json'), /check the path in ROSTER_FILE/);
  });
});
