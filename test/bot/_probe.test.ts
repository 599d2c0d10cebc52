import { TeamsAdapter } from '@microsoft/teams-ai';
import { ConnectorStandIn } from '../helpers/connector';
import { teamsNotifier } from '../../src/bot/notifier';
import { createLogger } from '../../src/logger';

describe('probe', function () {
  this.timeout(120000);
  it('probes', async () => {
    const c = await new ConnectorStandIn().start();
    const roster = { municipality: { name: 'x', reportConcernUrl: 'https://x' }, teams: [{ id: 't', name: 'T', groupLeader: 'gl' }], schools: [], people: [{ id: 'p', aadObjectId: 'aad-p', name: 'P', roles: ['eht'] }] };
    const ref = { serviceUrl: c.url, channelId: 'msteams', conversation: { id: 'a:conv-p' }, user: { id: '29:p' }, bot: { id: '28:bot' }, locale: 'sv-SE' };
    const waits: number[] = [];
    const n = teamsNotifier({ adapter: new TeamsAdapter({}), botAppId: '', refs: { get: async () => ref, save: async () => {} } as any, roster: { get: async () => roster } as any, logger: createLogger('silent'), wait: async (ms) => { waits.push(ms); } });
    for (const [status, headers, times] of [[429, { 'Retry-After': '2' }, 1], [403, {}, 1], [500, {}, 100], [429, {'Retry-After': '1'}, 100], [429, {}, 100]] as const) {
      c.clear(); waits.length = 0;
      let k = 0;
      c.respondWith(() => (k++ < times ? { status, headers: headers as any } : undefined));
      const t0 = Date.now();
      let res: unknown;
      try { res = await n.notify('p', { kind: 'reminder', reminder: 'planReview', teamId: 't', caseCode: 'SST-2026-0001', details: { date: '2026-12-10', days: '7' } }); } catch (e: any) { res = `throw ${e?.name} ${e?.statusCode} ${e?.response?.status} ${typeof e?.response?.headers?.get}`; }
      console.log(status, JSON.stringify(headers), times, '=>', res, 'requests', c.sent.map((s) => s.method).join(','), 'waits', waits, 'ms', Date.now() - t0);
    }
    await c.stop();
  });
});
