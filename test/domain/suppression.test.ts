import assert from 'node:assert/strict';
import { cell, median, publishParts, publishedShare, publishedTotal, shownOver } from '../../src/domain/suppression';

describe('suppression of small cells', () => {
  it('shows a count of 0 or 5 and more, 1–4 as "<5"', () => {
    assert.deepEqual([0, 1, 4, 5, 120].map(cell), [0, '<5', '<5', 5, 120]);
  });

  it('withholds a total of parts when it gives a hidden part away, shows a total of 1–4 as "<5"', () => {
    assert.equal(publishedTotal([3, 20]), '–');
    assert.equal(publishedTotal([2, 3, 20]), 25);
    assert.equal(publishedTotal([2, 0]), '<5');
    assert.deepEqual(publishParts({ a: 6, b: 0, c: 2 }), { parts: { a: 6, b: 0, c: '<5' }, total: '–' });
  });

  it('shows a share only when neither the part nor the rest is 1–4, and never of nothing', () => {
    assert.equal(publishedShare(5, 10), 50);
    assert.equal(publishedShare(3, 10), '–', 'the part is 3');
    assert.equal(publishedShare(7, 10), '–', 'the rest is 3');
    assert.equal(publishedShare(10, 10), 100);
    assert.equal(publishedShare(0, 0), '–', 'no cases: no share (not NaN)');
  });

  it('takes the median (one decimal between two) and shows it over five cases or more', () => {
    assert.equal(median([]), undefined);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([1, 2, 3, 5]), 2.5);
    assert.equal(shownOver(2.5, 4), '–');
    assert.equal(shownOver(2.5, 5), 2.5);
    assert.equal(shownOver(undefined, 9), '–');
  });
});
