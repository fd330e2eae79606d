/**
 * Record mode: a world replayed as usual, except that a question it has
 * no recording of is asked of one live server, recorded into the world's
 * exchanges.jsonl (src/dns/transport/record.ts) and answered from then on
 * like the rest of the world. So a test suite records its world once, by
 * running with record mode on, and replays it offline ever after. The
 * server must be on loopback unless the caller says otherwise: a
 * recording made from the machine's real resolver would hold whatever
 * that network answered that day.
 */
import { join } from "node:path";
import { LazyNetTransport } from "../dns/transport/lazy-net.js";
import { RecordTransport } from "../dns/transport/record.js";
import { ReplayMissError, type ReplayTransport } from "../dns/transport/replay.js";
import { EXCHANGE_LOG } from "../dns/transport/exchange-log.js";
import { parseNameServer } from "../lookup/nameserver.js";
import { exchangeBySend, requestWith, startExchange, type ExchangeSink, type Transport, type TransportRequest, type TransportResponse } from "../dns/transport/transport.js";
import type { NameServer } from "../dns/server.js";
import { loopbackSource } from "../world.js";

/** The environment variable that turns record mode on: the server to ask, `address[:port]`. */
export const RECORD_ENV = "NETDB_RECORD";

/** Where record mode asks what the world does not know. */
export interface RecordMode {
  /** The live server, `"127.0.0.1:5353"`, `"[::1]:53"`. */
  server: string;
  /** Allow a server off loopback (it is refused otherwise). */
  allowNonLoopback?: boolean;
}

/** The record mode asked for by `option`, else by the environment variable, else none. */
export function recordModeFrom(option: RecordMode | undefined, env: Record<string, string | undefined>): RecordMode | undefined {
  if (option !== undefined) return option;
  const server = env[RECORD_ENV];
  return server === undefined || server === "" ? undefined : { server };
}

/** The server of a record mode, checked: a TypeError for one off loopback unless allowed. */
export function recordServer(mode: RecordMode): NameServer {
  const server = parseNameServer(mode.server);
  if (mode.allowNonLoopback !== true && loopbackSource(server.address) === undefined) {
    throw new TypeError(`record mode asks only loopback servers, not ${mode.server} (allowNonLoopback: true to record from it)`);
  }
  return server;
}

/** Replays `replay`; its misses go to `server`, are appended to `<world>/exchanges.jsonl`, and join the replay. */
export class RecordMissesTransport implements Transport {
  readonly #replay: ReplayTransport;
  readonly #server: NameServer;
  readonly #live: RecordTransport;

  constructor(replay: ReplayTransport, world: string, server: NameServer, live: Transport = new LazyNetTransport()) {
    this.#replay = replay;
    this.#server = server;
    this.#live = new RecordTransport(live, join(world, EXCHANGE_LOG), { append: true, onRecord: (exchange) => replay.add(exchange, true) });
  }

  exchange(request: TransportRequest): Promise<TransportResponse> {
    return exchangeBySend(this, request);
  }

  send(request: TransportRequest, sink: ExchangeSink): void {
    startExchange(this.#replay, request, {
      answered: (response) => sink.answered(response),
      failed: (err) => {
        if (err instanceof ReplayMissError) startExchange(this.#live, requestWith(request, { server: this.#server }), sink);
        else sink.failed(err);
      },
    });
  }

  /** Closes the live transport (the replay holds nothing). */
  async close(): Promise<void> {
    await this.#replay.close();
    await this.#live.close();
  }
}
