import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { Config } from './config';

export async function connectTemporal(
  config: Pick<Config, 'temporalAddress' | 'temporalNamespace'>,
  interceptors: WorkflowClientInterceptor[] = [],
): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  return { connection, client: new Client({ connection, namespace: config.temporalNamespace, interceptors: { workflow: interceptors } }) };
}
