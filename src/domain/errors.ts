/** A rule was broken; `code` is stable (tests, logs, i18n keys), the message is for developers. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Someone asked for something their role and school do not give them. */
export class AccessDeniedError extends DomainError {
  constructor(reason: string) {
    super('access.denied', `Access denied: ${reason}`);
    this.name = 'AccessDeniedError';
  }
}

/** Someone else changed the same thing first (an eTag conflict that could not be merged). */
export class ConcurrencyError extends DomainError {
  constructor(what: string) {
    super('conflict', `Concurrent change of ${what}`);
    this.name = 'ConcurrencyError';
  }
}

/**
 * A change was sent to the store, but whether it was stored could not be checked (the store failed
 * during or right after the write). The user is told exactly that: a retry is safe (it applies once).
 */
export class CommitOutcomeUnknown extends DomainError {
  constructor(override readonly cause: unknown) {
    super('commit.unknown', 'The store failed while writing; whether the change was stored is unknown');
    this.name = 'CommitOutcomeUnknown';
  }
}

/**
 * A submitted form has problems, each beside its field (field id → problem code): found only once
 * the rule's facts were read under the actor's access (e.g. how many goals the plan has). The form
 * comes back filled in; nothing was changed.
 */
export class FormProblems extends DomainError {
  constructor(readonly problems: Record<string, string>) {
    super('form.problems', `Form problems: ${Object.keys(problems).join(', ')}`);
    this.name = 'FormProblems';
  }
}
