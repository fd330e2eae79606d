/**
 * Sinks for the tests of `Transport.send`: a sink that records every
 * report, so a test can check that exactly one came, after `send`
 * returned, and what it was.
 */
import type { ExchangeSink, Transport, TransportRequest, TransportResponse } from "../../../src/dns/transport/transport.js";

/** One report, and whether `send` had returned when it came. */
export type Report = { answered: TransportResponse; afterSend: boolean } | { failed: unknown; afterSend: boolean };

/** Records what it is told; {@link settled} resolves at the first report. */
export class RecordingSink implements ExchangeSink {
  readonly reports: Report[] = [];
  /** Set once the `send` that was given this sink has returned. */
  returned = false;
  readonly settled: Promise<Report>;
  #settle!: (report: Report) => void;

  constructor() {
    this.settled = new Promise((resolve) => (this.#settle = resolve));
  }

  answered(response: TransportResponse): void {
    this.#add({ answered: response, afterSend: this.returned });
  }

  failed(error: unknown): void {
    this.#add({ failed: error, afterSend: this.returned });
  }

  #add(report: Report): void {
    this.reports.push(report);
    this.#settle(report);
  }
}

/** Calls `layer.send(request, sink)` with a new {@link RecordingSink}. */
export function sendTo(layer: Pick<Required<Transport>, "send">, request: TransportRequest): RecordingSink {
  const sink = new RecordingSink();
  layer.send(request, sink);
  sink.returned = true;
  return sink;
}

/** The response of an answered report; throws (failing the test) on a failure. */
export function answerOf(report: Report): TransportResponse {
  if ("failed" in report) throw new Error(`expected an answer, got ${String(report.failed)}`);
  return report.answered;
}

/** The error of a failed report; throws (failing the test) on an answer. */
export function errorOf(report: Report): unknown {
  if ("answered" in report) throw new Error("expected a failure, got an answer");
  return report.failed;
}

/** Lets pending reports in (timers of 0 ms and microtasks included): after it, a sink that got nothing gets nothing. */
export function settleAll(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}
