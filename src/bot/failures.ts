import { randomUUID } from 'node:crypto';
import { AccessDeniedError, CommitOutcomeUnknown, ConcurrencyError, DomainError } from '../domain/errors';
import type { Logger } from '../logger';
import type { MessageKey, Translate } from './i18n';

const DOMAIN_MESSAGES: Record<string, MessageKey> = {
  'case.transition': 'case.badTransition',
  'case.outcomeRequired': 'form.error.required',
  'relay.empty': 'relay.empty',
  'relay.tooLong': 'relay.tooLong',
  'relay.personnummer': 'relay.personnummer',
  'case.consultation': 'case.error.consultation',
  'case.consentWithdrawn': 'case.error.consentWithdrawn',
  'case.consentExpired': 'case.error.consentExpired',
  'case.reassignInvalid': 'case.error.reassignInvalid',
  'case.assigneeAway': 'case.error.assigneeAway',
  'case.staffInvalid': 'case.error.staffInvalid',
  'case.tooManyStaff': 'case.error.tooManyStaff',
  'case.reportDate': 'case.error.reportDate',
  'case.noteRequired': 'case.error.noteRequired',
  'case.outcomeKind': 'case.error.chooseOutcome',
  'consent.alreadyWithdrawn': 'case.error.alreadyWithdrawn',
  'consent.none': 'case.error.noConsent',
  'consent.schoolRef.tooLong': 'form.error.tooLong',
  'consent.schoolRef.personnummer': 'form.error.personnummer',
  'plan.goalsRequired': 'plan.error.goalsRequired',
};

/**
 * Turns any failure in a use case into one sentence in the user's language; unexpected ones are
 * logged with a correlation id. For a change (`change`), a store failure says "nothing was saved"
 * (true: the change is one transaction, and a failed one whose outcome is unclear is CommitOutcomeUnknown).
 */
export function describeFailure(err: unknown, t: Translate, logger: Logger, opts: { change?: boolean } = {}): string {
  if (err instanceof AccessDeniedError) return t('case.notFound');
  if (err instanceof CommitOutcomeUnknown) {
    logger.warn({ err: { type: (err.cause as Error)?.name, status: (err.cause as { statusCode?: number })?.statusCode } }, 'store failed during a commit; outcome unknown');
    return t('error.outcomeUnknown');
  }
  if (err instanceof ConcurrencyError) return t('case.conflict');
  if (err instanceof DomainError && DOMAIN_MESSAGES[err.code]) return t(DOMAIN_MESSAGES[err.code], err.details);
  const correlationId = randomUUID().slice(0, 8);
  const status = (err as { statusCode?: number }).statusCode;
  const storeDown = status !== undefined || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'REQUEST_SEND_ERROR'].includes((err as { code?: string }).code ?? '');
  logger.error({ correlationId, err: { type: (err as Error)?.name, code: (err as { code?: string }).code, status, stack: (err as Error)?.stack } }, storeDown ? 'store failure during a turn' : 'use case failed');
  if (!storeDown) return t('error.generic', { correlationId });
  return opts.change ? t('error.notSaved') : t('error.storeDown');
}
