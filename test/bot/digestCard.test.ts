import assert from 'node:assert/strict';
import { digestCard } from '../../src/bot/cards/reminderCards';
import { cardChars, MAX_CARD_CHARS } from '../../src/bot/cards/caseCards';
import { stampCardId } from '../../src/bot/cards/adaptiveCard';
import { translator } from '../../src/bot/i18n';
import { DIGEST_SHOWN_PER_SECTION, digestCodes, type Digest } from '../../src/domain/digest';

/** A digest of a large team: every section far longer than a card shows. */
function fullDigest(n: number): Digest {
  const code = (base: number, i: number) => `SST-2026-${base + i}`;
  return {
    teamId: 'sst-1',
    date: '2026-11-25',
    totals: { open: 10_000, closed: 0 },
    newConcerns: Array.from({ length: n }, (_, i) => ({ code: code(10000, i), ageDays: 3, assigneeId: 'sw-1' })),
    meetingRequestsWaiting: Array.from({ length: n }, (_, i) => ({ code: code(20000, i), meetingId: 'abcdef123456', awaiting: 'socialWorker' as const, awaitingId: 'sw-1', ageDays: 2 })),
    meetingsToday: Array.from({ length: n }, (_, i) => ({ code: code(30000, i), start: '2026-11-25T09:00:00Z', socialWorkerId: 'sw-1' })),
    reviewsDueThisWeek: Array.from({ length: n }, (_, i) => ({ code: code(40000, i), date: '2026-11-27', ownerId: 'sw-1' })),
    reviewsOverdue: Array.from({ length: n }, (_, i) => ({ code: code(50000, i), date: '2026-11-20', ownerId: 'sw-1', planId: 'abcdef123456' })),
    consentsExpiring: Array.from({ length: n }, (_, i) => ({ code: code(60000, i), expires: '2026-12-01' })),
    unreachable: Array.from({ length: 5 }, (_, i) => ({ personId: `eht-${i}`, since: '2026-11-20T07:00:00Z' })),
    caseload: Array.from({ length: 12 }, (_, i) => ({ socialWorkerId: `sw-${i}`, open: 800 })),
  } as Digest;
}

describe('bot/cards digest card size', () => {
  it('stays under Teams\' message size for a team of thousands of cases, as sent (every action stamped)', () => {
    for (const lang of ['sv', 'en'] as const) {
      const card = stampCardId(digestCard(fullDigest(500), { nameOf: (id) => `Förnamn Efternamnsson ${id}` }, translator(lang)), '3be03737-45f9-4b04-84db-b3bbbe426b6b', lang);
      assert.ok(cardChars(card) <= MAX_CARD_CHARS, `${lang}: ${cardChars(card)} characters`);
    }
  });

  it('shows (and so logs) at most DIGEST_SHOWN_PER_SECTION codes per section, and says how many more', () => {
    const d = fullDigest(50);
    const text = JSON.stringify(digestCard(d, { nameOf: (id) => id }, translator('sv')));
    assert.equal(digestCodes(d).length, 6 * DIGEST_SHOWN_PER_SECTION);
    for (const code of digestCodes(d)) assert.ok(text.includes(code));
    assert.ok(!text.includes(`SST-2026-${10000 + DIGEST_SHOWN_PER_SECTION}"`), 'the next one is not shown');
  });
});
