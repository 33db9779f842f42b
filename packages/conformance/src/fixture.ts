import type { ExoRelay, RelayOptions, UntypedMessages } from 'exorelay';

export interface CreateRelayOptions {
  /** Registers handlers; runs before `listen()`. */
  setup?: (relay: ExoRelay) => void;
  relayOptions?: Partial<RelayOptions<UntypedMessages>>;
}

/** A running bus of one transport kind, able to make relays that talk over it. */
export interface ConformanceFixture extends AsyncDisposable {
  /**
   * Makes a relay on this transport, runs `setup`, listens, and resolves once the bus routes
   * the relay's handled names (and replies to it) to it. Disposing the fixture closes it.
   */
  createRelay(serviceName: string, options?: CreateRelayOptions): Promise<ExoRelay>;
  /**
   * After `relay.routed()`: resolves once every server of the bus routes as the relay's last
   * change says. Only for a bus of several servers, which pass interest between them on their
   * own time (a NATS cluster); a single bus routes so as soon as `routed()` resolves.
   */
  routesSettled?(relay: ExoRelay): Promise<void>;
  /**
   * Stops the bus (or NATS server) and starts it again at the same address, as a crash and an
   * orchestrator's restart would; resolves once it accepts connections again.
   */
  restartBus(): Promise<void>;
}

export interface ConformanceSkip {
  /** Why these tests do not apply to this transport. */
  reason: string;
  /** Full test names, `group > test`. */
  tests: string[];
}

export interface ConformanceOptions {
  /** Transport name for the test titles: `'http'`, `'nats'`, `'sse'` … */
  name: string;
  setup(): Promise<ConformanceFixture>;
  skip?: ConformanceSkip[];
}
