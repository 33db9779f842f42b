import { formatReadyLine } from './ready-line.js';

/** What `runService` needs of a service: a relay of any contracts, or a server that wraps one. */
export interface RunnableService {
  listen(port?: number | string): Promise<number | undefined>;
  close(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Runs a service as a process: reads EXOCOM_PORT / EXOCOM_HOST / PORT and the credentials
 * EXOCOM_TOKEN / EXOCOM_BUS_TOKEN from the environment,
 * listens, prints the ready line, and closes cleanly on SIGTERM or SIGINT.
 */
export async function runService(
  service: string,
  create: (options: {
    exocomPort: number;
    exocomHost: string;
    /** The service's credential (`EXOCOM_TOKEN`), when the bus has `auth`. */
    token?: string;
    /** The bus's credential (`EXOCOM_BUS_TOKEN`), required on `POST /run/NAME` when set. */
    busToken?: string;
  }) => RunnableService,
): Promise<void> {
  const exocomPort = Number(process.env.EXOCOM_PORT ?? 3100);
  const exocomHost = process.env.EXOCOM_HOST ?? '127.0.0.1';
  const { EXOCOM_TOKEN: token, EXOCOM_BUS_TOKEN: busToken } = process.env;
  const running = create({
    exocomPort,
    exocomHost,
    ...(token ? { token } : {}),
    ...(busToken ? { busToken } : {}),
  });
  running.on('error', (error) => console.error(`${service}: ${error.message}`));
  const port = await running.listen(process.env.PORT ?? 0);
  console.log(formatReadyLine({ service, port: port ?? 0 }));
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
}
