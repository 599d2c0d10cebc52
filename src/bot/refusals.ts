import type { AccessLogEntry } from '../domain/ports';
import type { Person } from '../domain/roster';
import type { BotDeps } from './deps';

/**
 * A command or card action refused because of the person's role: written to the access log (the
 * municipality's monthly review sees who tried what), and one log line. `via` names the command or
 * the card verb, never anything the person typed.
 */
export async function refusedByRole(deps: BotDeps, person: Person, action: AccessLogEntry['action'], via: string): Promise<void> {
  await deps.services.accessLog.record({ at: deps.clock.now().toISOString(), actorId: person.id, action, allowed: false, via });
  deps.logger.info({ actorId: person.id, action, via }, 'refused by role');
}
