import type { CloudAdapter } from 'botbuilder';
import type { BotFrameworkAuthentication, ConnectorClient, ConnectorFactory } from 'botframework-connector';

interface PipelineLike {
  removePolicy(options: { phase?: 'Retry' }): unknown;
  getOrderedPolicies(): Array<{ name: string }>;
}

/**
 * Proactive sends, edits and created chats without the connector client's own retry policy.
 *
 * Every ConnectorClient is an @azure/core-client ServiceClient whose pipeline has the default retry
 * policy (phase "Retry": three retries of 5xx, 408 and network failures with exponential waits, and
 * 429/503 after Retry-After, however long): those waits happen before the bot sees anything, cannot
 * be shortened (ConnectorClientOptions does not reach the pipeline's retry options) and would hold
 * the dispatcher for as long as Teams asks. Without it, sendWithin sees the first answer and decides:
 * Teams' list (412, 502, 503, 504) a few quick times, 429 after its Retry-After, the rest by the
 * dispatcher's backoff.
 *
 * Only the clients the adapter makes for proactive work are changed (createConnectorFactory serves
 * continueConversationAsync and createConversationAsync); replies inside a turn use the connector
 * factory of the incoming request and keep the SDK's policy.
 */
export function withoutHiddenRetries<T extends CloudAdapter>(adapter: T): T {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication }).botFrameworkAuthentication;
  const createFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity) => {
    const factory: ConnectorFactory = createFactory(claimsIdentity);
    const create = factory.create.bind(factory);
    factory.create = async (serviceUrl, audience) => {
      const client = await create(serviceUrl, audience);
      retryPipelineOf(client)?.removePolicy({ phase: 'Retry' });
      return client;
    };
    return factory;
  };
  return adapter;
}

/** The client's request pipeline (tests check that no retry policy is left in it). */
export function retryPipelineOf(client: ConnectorClient): PipelineLike | undefined {
  return (client as unknown as { client?: { pipeline?: PipelineLike } }).client?.pipeline;
}
