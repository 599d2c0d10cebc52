import assert from 'node:assert/strict';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { TableServiceClientOptions } from '@azure/data-tables';
import { createHttpHeaders, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { openTableStore, tableStoreFromEndpoint } from '../../src/storage/tables';

const ENDPOINT = 'https://stsstbot.table.core.windows.net';

/** A credential that hands out a fixed token and remembers the scopes it was asked for. */
class FakeCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.scopes.push(...(Array.isArray(scopes) ? scopes : [scopes]));
    return { token: 'fake-managed-identity-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/** An HTTP client standing in for the Table service: records each request and answers like the service. */
function fakeTableService(answer: (req: PipelineRequest) => { status: number; body?: unknown }) {
  const requests: Array<{ method: string; url: string; authorization?: string }> = [];
  const httpClient: NonNullable<TableServiceClientOptions['httpClient']> = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      requests.push({ method: request.method, url: request.url, authorization: request.headers.get('authorization') });
      const { status, body } = answer(request);
      return {
        request,
        status,
        headers: createHttpHeaders({ 'content-type': 'application/json;odata=nometadata', 'x-ms-request-id': 'test' }),
        bodyAsText: body === undefined ? '' : JSON.stringify(body),
      };
    },
  };
  return { requests, httpClient };
}

describe('Table store by endpoint and Entra ID credential (TABLES_ENDPOINT)', () => {
  it('sends a bearer token for Azure Storage, never a key, for ping and table creation', async () => {
    const credential = new FakeCredential();
    const service = fakeTableService((req) =>
      req.method === 'GET' ? { status: 200, body: { value: [{ TableName: 'cases' }] } } : { status: 204 },
    );
    const store = tableStoreFromEndpoint(ENDPOINT, credential, { clientOptions: { httpClient: service.httpClient, retryOptions: { maxRetries: 0 } } });

    await store.ping();
    const client = await store.ensureTable('cases');
    await store.ensureTable('cases'); // created once per process
    assert.equal(client, store.table('cases'));

    assert.deepEqual(
      service.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`),
      ['GET /Tables', 'POST /Tables'],
    );
    for (const r of service.requests) {
      assert.equal(new URL(r.url).origin, ENDPOINT);
      assert.equal(r.authorization, 'Bearer fake-managed-identity-token');
    }
    assert.ok(credential.scopes.every((s) => s === 'https://storage.azure.com/.default'), JSON.stringify(credential.scopes));
    assert.match(store.describe(), /stsstbot\.table\.core\.windows\.net/);
    await store.close();
  });

  it('treats an existing table as created, and retries a failed creation on the next call', async () => {
    let fail = true;
    const service = fakeTableService(() => {
      if (fail) {
        fail = false;
        return { status: 503, body: { 'odata.error': { code: 'ServerBusy', message: { value: 'busy' } } } };
      }
      return { status: 409, body: { 'odata.error': { code: 'TableAlreadyExists', message: { value: 'exists' } } } };
    });
    const store = tableStoreFromEndpoint(ENDPOINT, new FakeCredential(), { clientOptions: { httpClient: service.httpClient, retryOptions: { maxRetries: 0 } } });
    await assert.rejects(store.ensureTable('roster'));
    await store.ensureTable('roster');
    assert.equal(service.requests.length, 2);
  });

  it('rejects ping when the identity lacks access (the /healthz answer turns 503)', async () => {
    const service = fakeTableService(() => ({ status: 403, body: { 'odata.error': { code: 'AuthorizationPermissionMismatch', message: { value: 'no role' } } } }));
    const store = tableStoreFromEndpoint(ENDPOINT, new FakeCredential(), { clientOptions: { httpClient: service.httpClient, retryOptions: { maxRetries: 0 } } });
    await assert.rejects(store.ping(), (err: { statusCode?: number }) => err.statusCode === 403);
  });

  it('openTableStore uses the endpoint kind without any network at start-up', async () => {
    const store = await openTableStore({ kind: 'endpoint', endpoint: ENDPOINT });
    assert.equal(store.table('botState').url, ENDPOINT);
    assert.equal(store.table('botState').tableName, 'botState');
    assert.doesNotMatch(store.describe(), /AccountKey|SharedAccessSignature|sig=/i);
    await store.close();
  });
});
