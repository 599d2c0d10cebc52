import TableServer from 'azurite/dist/src/table/TableServer';
import TableConfiguration from 'azurite/dist/src/table/TableConfiguration';

/** Well-known Azurite development account (public, documented by Microsoft; not a secret). */
export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  connectionString: string;
  stop(): Promise<void>;
}

/** Starts Azurite's Table service in this process on a free port, in memory. */
export async function startAzurite(): Promise<RunningAzurite> {
  const config = new TableConfiguration('127.0.0.1', 0, undefined, undefined, false, false, undefined, undefined, false, false, '', '', '', undefined, false, true);
  const server = new TableServer(config);
  await server.start();
  const address = server.getHttpServerAddress();
  const port = new URL(address).port;
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;
  return {
    connectionString,
    async stop() {
      await server.close();
      await server.clean();
    },
  };
}
