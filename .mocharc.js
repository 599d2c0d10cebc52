'use strict';

/**
 * Mocha configuration. Under CI (CI=true, as GitHub Actions and most CI services set it) a stray
 * `.only` or a pending test (`it.skip`, `xit`, an `it` without a body) fails the run instead of
 * silently shrinking it.
 */
const ci = ['1', 'true'].includes(String(process.env.CI ?? '').toLowerCase());

/** `npx mocha test/e2e/edge.test.ts` runs that file only (mocha adds a config spec to the command line's). */
const named = process.argv.slice(2).some((arg) => /\.test\.ts$/.test(arg));

module.exports = {
  require: ['tsx/cjs'],
  extension: ['ts'],
  spec: named ? [] : ['test/**/*.test.ts'],
  recursive: true,
  timeout: 20000,
  exit: true,
  'forbid-only': ci,
  'forbid-pending': ci,
};
