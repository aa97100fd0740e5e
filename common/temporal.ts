// Connections to Temporal from the configuration: plain on the embedded dev server, TLS (mTLS or API key)
// on a cluster or Temporal Cloud.
import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';

function tlsOf(config: Config): TLSConfig | undefined {
  const tls = config.temporal.tls;
  if (!tls) return config.temporal.apiKey ? {} : undefined;
  return {
    serverRootCACertificate: tls.caPath ? readFileSync(tls.caPath) : undefined,
    clientCertPair: tls.certPath && tls.keyPath ? { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) } : undefined,
  };
}

function unreachable(config: Config, err: unknown): Error {
  return new Error(
    `Cannot reach Temporal at ${config.temporal.address} (namespace ${config.temporal.namespace}). ` +
      'Start the system with `npm start`, or set TEMPORAL_ADDRESS to a running server.',
    { cause: err },
  );
}

export async function connectClient(config: Config): Promise<Client> {
  try {
    const connection = await Connection.connect({
      address: config.temporal.address,
      tls: tlsOf(config),
      apiKey: config.temporal.apiKey,
      connectTimeout: '5 seconds',
    });
    return new Client({ connection, namespace: config.temporal.namespace });
  } catch (err) {
    throw unreachable(config, err);
  }
}

export async function connectWorker(config: Config): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address: config.temporal.address, tls: tlsOf(config), apiKey: config.temporal.apiKey });
  } catch (err) {
    throw unreachable(config, err);
  }
}
