/**
 * What one HTTP request did, filled in as it runs: the GraphQL operation, who asked, the SQL it
 * sent and how it ended. Read once when the response is finished, for its log line and metrics.
 *
 * It travels explicitly (on the HTTP request, the GraphQL context and the request's query
 * runners), not through AsyncLocalStorage: on Node 20 that runs async hooks for every promise
 * of every request, which cost about a quarter of the CPU of a large response.
 */
export interface RequestObservation {
  requestId: string;
  /** The client's own X-Request-Id, when it sent a plain one: logged beside the server's. */
  clientRequestId?: string;
  startedAt: bigint;
  /** The GraphQL operation name; null for an unnamed operation or a request that is not GraphQL. */
  operation: string | null;
  principal: "user" | "apiClient" | "anonymous";
  statements: number;
  /** The first top-level error's public code; null when there was none. */
  errorCode: string | null;
  /**
   * Logged at debug rather than info: a request refused before it was read, one of a flood the
   * rate-limit metrics count (facet_rate_limit_rejections_total).
   */
  quiet?: boolean;
}

export function newObservation(requestId: string): RequestObservation {
  return { requestId, startedAt: process.hrtime.bigint(), operation: null, principal: "anonymous", statements: 0, errorCode: null };
}

export function elapsedSeconds(observation: RequestObservation): number {
  return Number(process.hrtime.bigint() - observation.startedAt) / 1e9;
}
