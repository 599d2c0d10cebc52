import { startEmbeddedAzurite } from '../../src/storage/tables';

export interface RunningAzurite {
  connectionString: string;
  stop(): Promise<void>;
}

/** Starts Azurite's Table service in this process on a free port, in memory. */
export async function startAzurite(): Promise<RunningAzurite> {
  const server = await startEmbeddedAzurite(':memory:');
  return { connectionString: server.connectionString, stop: () => server.close() };
}
