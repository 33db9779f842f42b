import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

/** A `nats-server` of our own on a free loopback port (never 4222), killed on dispose. */
export interface NatsServer extends AsyncDisposable {
  /** `nats://127.0.0.1:PORT` */
  readonly url: string;
  /** What `nats-server --version` says, for the results file. */
  readonly version: string;
  /** CPU time (user and system) the server used so far, in µs; `undefined` where `/proc` cannot tell. */
  cpuTime(): number | undefined;
}

const startTimeoutMs = 10_000;

export async function startNatsServer(): Promise<NatsServer> {
  const version = await readVersion();
  // -p -1 lets the server pick a free port and say which in its log: no race for a port.
  const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', '-1', '-n', 'exorelay-bench'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  try {
    const port = await readPort(child);
    return {
      url: `nats://127.0.0.1:${port}`,
      version,
      cpuTime: () => (child.pid === undefined ? undefined : processCpuTime(child.pid)),
      async [Symbol.asyncDispose]() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

function readVersion(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('nats-server', ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new Error('the NATS scenarios need nats-server on PATH (Debian: apt-get install nats-server)', {
              cause: error,
            })
          : error,
      ),
    );
    child.once('exit', () => resolve(output.trim()));
  });
}

/** Waits for the "ready" line of the server's log and reads the client port from it. */
function readPort(child: ChildProcess): Promise<number> {
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`nats-server was not ready in ${startTimeoutMs} ms:\n${log}`)),
      startTimeoutMs,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code} before it was ready:\n${log}`));
    });
    const onLog = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      const port = /Listening for client connections on [\d.]+:(\d+)/.exec(log)?.[1];
      if (port === undefined || !log.includes('Server is ready')) return;
      clearTimeout(timer);
      // Keep draining the pipes so the server never blocks on a full one.
      child.stdout?.off('data', onLog).resume();
      child.stderr?.off('data', onLog).resume();
      resolve(Number(port));
    };
    child.stdout?.on('data', onLog);
    child.stderr?.on('data', onLog);
  });
}

/** Linux reports `/proc` CPU times in ticks of 1/100 s (USER_HZ), whatever the kernel's own rate. */
const microsecondsPerTick = 10_000;

/** A process's CPU time, user and system, in µs, from `/proc/PID/stat`; `undefined` without `/proc`. */
function processCpuTime(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name in parentheses may hold spaces: the fields that follow it are counted from its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * microsecondsPerTick;
}
