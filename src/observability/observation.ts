import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What one HTTP request did, filled in as it runs: the GraphQL operation, who asked, the SQL it
 * sent and how it ended. Read once when the response is finished, for its log line and metrics.
 */
export interface RequestObservation {
  requestId: string;
  startedAt: bigint;
  /** The GraphQL operation name; null for an unnamed operation or a request that is not GraphQL. */
  operation: string | null;
  principal: "user" | "apiClient" | "anonymous";
  statements: number;
  /** The first top-level error's public code; null when there was none. */
  errorCode: string | null;
}

const storage = new AsyncLocalStorage<RequestObservation>();

export function newObservation(requestId: string): RequestObservation {
  return { requestId, startedAt: process.hrtime.bigint(), operation: null, principal: "anonymous", statements: 0, errorCode: null };
}

/** Runs `work` (and everything it starts) as part of this request's observation. */
export function observe<T>(observation: RequestObservation, work: () => T): T {
  return storage.run(observation, work);
}

/** The observation of the request the current code runs for, if any. */
export function currentObservation(): RequestObservation | undefined {
  return storage.getStore();
}

export function elapsedSeconds(observation: RequestObservation): number {
  return Number(process.hrtime.bigint() - observation.startedAt) / 1e9;
}
