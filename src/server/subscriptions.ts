import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { Duplex } from "node:stream";
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from "graphql";
import type { Context as WsContext, SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import jwt from "jsonwebtoken";
import type { DataSource } from "typeorm";
import { WebSocketServer, type WebSocket } from "ws";
import type { Config } from "../config";
import type { Principal, RequestContext } from "../core/context";
import { AuthenticationError, BadRequestError, ErrorCode, formatError, isInternal, ServiceUnavailableError } from "../graphql/errors";
import { enforceLimits, LIMITS, measureOperation, refuseNulCharacters, tooComplex } from "../graphql/limits";
import { log } from "../logger";
import { allowLive, newLiveStats, type LiveStats, type PublishedEvent } from "../modules/events";
import { createRequestContext, endRequest } from "./context";

/**
 * The close codes Facet sends on a subscription socket, beside graphql-ws's own (4400 bad message,
 * 4408 no connection_init in time, 4409 an operation id in use, 4500 internal error).
 */
export const CloseCodes = {
  /** Facet is shutting down: reconnect (to another instance) and read the state again. */
  GOING_AWAY: 1001,
  /** Facet could not get a database connection in time: reconnect in a few seconds. */
  TRY_AGAIN_LATER: 1013,
  /** The subscriber did not keep up: too many objects pending, or too much unsent on the socket. */
  TOO_SLOW: 4008,
  /** The user (or API client), or its distributor, holds the most connections allowed. */
  TOO_MANY_CONNECTIONS: 4029,
  /** No valid access token in connection_init, or the token expired or was revoked since. */
  FORBIDDEN: 4403,
  INTERNAL_ERROR: 4500,
} as const;

/** How long a socket closed for being too slow may take to answer the close before it is cut. */
const SLOW_CLOSE_GRACE_MS = 1000;
/** How long shutdown waits for sockets to answer the 1001 before it cuts them. */
const SHUTDOWN_CLOSE_GRACE_MS = 2000;
/** The largest message a client may send (connection_init, subscribe with its variables). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

const BEARER = /^Bearer\s+([A-Za-z0-9\-_.~+/]+=*)$/i;
const SUGGESTION = / ?Did you mean [^?]*\?/g;

export interface SubscriptionStats extends LiveStats {
  /** Sockets signed in and open now. */
  connections: number;
  /** Sockets Facet closed (or began to close), by close code. */
  closedWith: Record<number, number>;
}

export interface SubscriptionServer {
  stats(): SubscriptionStats;
  /** From now on, upgrades are refused (503): shutdown has begun. */
  refuseNew(): void;
  /** Closes every socket with 1001 (cutting those that do not answer in time) and stops serving. */
  close(): Promise<void>;
}

/** A signed-in socket: whose it is, the token it signed in with, and what it counts against. */
interface Connection {
  socket: WebSocket;
  token: string;
  /** When the token expires, in seconds since the epoch. */
  exp: number;
  ip: string | undefined;
  principal: Principal;
  /** The cap keys the connection counts against (its caller's, its distributor's). */
  keys: string[];
  expiry: NodeJS.Timeout;
}

/** A small counting semaphore: at most `size` holders at once, the others queued in order. */
class Slots {
  private used = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async take(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }
  give(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.used--;
  }
}

/** The path of an upgrade request as Fastify matches routes: any case, with or without a trailing slash. */
function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? "/", "http://facet").pathname.toLowerCase().replace(/\/+$/, "");
  } catch {
    return "";
  }
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** The access token of a connection_init payload: `{ authorization: "Bearer …" }`, or `{ token: "…" }`. */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header === "string") return BEARER.exec(header.trim())?.[1];
  const token = params?.token;
  if (typeof token === "string") return BEARER.exec(token.trim())?.[1] ?? (/^[A-Za-z0-9\-_.~+/]+=*$/.test(token.trim()) ? token.trim() : undefined);
  return undefined;
}

/** An error of the graphql-ws protocol's own kind (before execution), with Facet's code. */
function protocolError(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { code } });
}

/**
 * Live GraphQL subscriptions: graphql-ws (the `graphql-transport-ws` protocol) on ws, on the HTTP
 * server's own port, path /graphql, with the schema Apollo serves. docs/subscriptions.md says what
 * a client sees; here is why it works as it does.
 *
 * - Sign-in is the connection_init payload's bearer token, checked as an HTTP request's is (the
 *   same verification and `authenticate`); a socket without a valid one is closed with 4403. The
 *   socket is closed when the token expires, and each event is read under a context built afresh
 *   from the token, so a revoked token or a deactivated account ends the socket at its next event.
 * - No socket holds a database connection while it waits: subscribing takes one for as long as it
 *   takes to check the object asked for, and each event one for as long as it takes to read the
 *   object (given back with endRequest, as a request's is). At most half the pool serves events at
 *   once, so that requests keep the rest.
 * - Memory is bounded per socket: a message is at most 64 kB, a socket runs at most
 *   SUBSCRIPTIONS_PER_CONNECTION operations, each holds at most SUBSCRIPTION_BUFFER objects pending
 *   (events about one object coalesce), and graphql-ws sends one result at a time per operation,
 *   waiting for the socket to take it. A subscriber that falls behind is closed with 4008, as is a
 *   socket whose unsent bytes pass SUBSCRIPTION_SOCKET_BUFFER; one that stops answering pings is
 *   dropped by the keep-alive.
 */
export function serveSubscriptions(httpServer: http.Server, deps: { config: Config; dataSource: DataSource; schema: GraphQLSchema }): SubscriptionServer {
  const { config, dataSource, schema } = deps;
  const limits = config.subscriptions;
  const production = config.env === "production";
  const live = newLiveStats();
  const closedWith: Record<number, number> = {};
  const connections = new Map<WebSocket, Connection>();
  const counts = new Map<string, number>();
  const slots = new Slots(Math.max(1, Math.floor(config.dbPoolSize / 2)));
  let refusing = false;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const onUpgrade = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => undefined);
    if (pathOf(request.url) !== "/graphql") return refuseUpgrade(socket, 404, "Not Found");
    if (refusing) return refuseUpgrade(socket, 503, "Service Unavailable");
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  };
  httpServer.on("upgrade", onUpgrade);

  const closeWith = (socket: WebSocket, code: number, reason: string): void => {
    if (socket.readyState === socket.CLOSING || socket.readyState === socket.CLOSED) return;
    closedWith[code] = (closedWith[code] ?? 0) + 1;
    // (A close frame's reason is at most 123 bytes; Facet's are ASCII.)
    socket.close(code, reason.slice(0, 123));
    // A peer that stopped reading never answers the close: it is cut soon rather than after ws's 30 s.
    if (code === CloseCodes.TOO_SLOW) setTimeout(() => socket.terminate(), SLOW_CLOSE_GRACE_MS).unref();
  };

  const forget = (socket: WebSocket): void => {
    const connection = connections.get(socket);
    if (!connection) return;
    connections.delete(socket);
    clearTimeout(connection.expiry);
    for (const key of connection.keys) {
      const left = (counts.get(key) ?? 1) - 1;
      if (left > 0) counts.set(key, left);
      else counts.delete(key);
    }
  };

  /**
   * A request context for the socket's caller, built as an HTTP request's is, from its token: the
   * token still valid, the account still holding it. Undefined when the socket was closed instead.
   */
  const contextFor = async (connection: Connection): Promise<RequestContext | undefined> => {
    const { socket } = connection;
    if (socket.readyState !== socket.OPEN) return undefined;
    if (Date.now() >= connection.exp * 1000) {
      closeWith(socket, CloseCodes.FORBIDDEN, "The access token expired: connect again with a new one");
      return undefined;
    }
    try {
      return await createRequestContext({ config, dataSource }, { authorization: `Bearer ${connection.token}`, requestId: randomUUID(), ip: connection.ip });
    } catch (error) {
      if (error instanceof AuthenticationError) closeWith(socket, CloseCodes.FORBIDDEN, "The access token is no longer valid: connect again with a new one");
      else if (error instanceof ServiceUnavailableError) closeWith(socket, CloseCodes.TRY_AGAIN_LATER, "Facet is busy: reconnect in a few seconds");
      else {
        log.error("internal error reading a subscriber", { error });
        closeWith(socket, CloseCodes.INTERNAL_ERROR, "Internal server error");
      }
      return undefined;
    }
  };

  /** One event's result for one operation: the object read afresh, under a context of its own. */
  const resolveEvent = async (connection: Connection, args: ExecutionArgs, event: PublishedEvent): Promise<ExecutionResult | undefined> => {
    if (connection.socket.bufferedAmount > limits.socketBufferBytes) {
      closeWith(connection.socket, CloseCodes.TOO_SLOW, "The subscriber is not reading: reconnect and read the state again");
      return undefined;
    }
    await slots.take();
    try {
      const context = await contextFor(connection);
      if (!context) return undefined;
      try {
        return await execute({ ...args, rootValue: event, contextValue: context });
      } finally {
        await endRequest(context);
      }
    } finally {
      slots.give();
    }
  };

  const formatted = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => {
      if (isInternal(error)) log.error("internal error in a subscription", { error });
      const shaped = formatError(error.toJSON(), error);
      return production && shaped.message.includes("Did you mean") ? { ...shaped, message: shaped.message.replace(SUGGESTION, "") } : shaped;
    });

  const server = useServer<Record<string, unknown>>(
    {
      schema,
      connectionInitWaitTimeout: limits.initTimeoutMs,
      isProd: production,

      async onConnect(ctx: WsContext<Record<string, unknown>, { socket: WebSocket; request: http.IncomingMessage }>) {
        const { socket, request } = ctx.extra;
        const token = tokenOf(ctx.connectionParams);
        if (!token) return false;
        const ip = request.socket.remoteAddress;
        let context: RequestContext;
        try {
          context = await createRequestContext({ config, dataSource }, { authorization: `Bearer ${token}`, requestId: randomUUID(), ip });
        } catch (error) {
          if (error instanceof AuthenticationError) return false;
          if (error instanceof ServiceUnavailableError) closeWith(socket, CloseCodes.TRY_AGAIN_LATER, "Facet is busy: reconnect in a few seconds");
          else {
            log.error("internal error signing in a subscriber", { error });
            closeWith(socket, CloseCodes.INTERNAL_ERROR, "Internal server error");
          }
          return false;
        }
        await endRequest(context);
        const principal = context.principal;
        if (!principal || socket.readyState !== socket.OPEN) return false;
        const own = `${principal.kind}:${principal.id}`;
        if ((counts.get(own) ?? 0) >= limits.connectionsPerUser) {
          closeWith(socket, CloseCodes.TOO_MANY_CONNECTIONS, `Too many connections: at most ${limits.connectionsPerUser} per user or API client`);
          return false;
        }
        const distributor = principal.distributorId ? `distributor:${principal.distributorId}` : undefined;
        if (distributor && (counts.get(distributor) ?? 0) >= limits.connectionsPerDistributor) {
          closeWith(socket, CloseCodes.TOO_MANY_CONNECTIONS, `Too many connections: at most ${limits.connectionsPerDistributor} per distributor`);
          return false;
        }
        const keys = distributor ? [own, distributor] : [own];
        for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
        // Verified above (createRequestContext): its exp can be read as it stands.
        const exp = (jwt.decode(token) as { exp: number }).exp;
        const expiry = setTimeout(() => closeWith(socket, CloseCodes.FORBIDDEN, "The access token expired: connect again with a new one"), Math.max(0, exp * 1000 - Date.now()));
        expiry.unref();
        connections.set(socket, { socket, token, exp, ip, principal, keys, expiry });
        return { expiresAt: new Date(exp * 1000).toISOString() };
      },

      onClose(ctx) {
        forget(ctx.extra.socket);
      },

      onSubscribe(ctx, _id, payload: SubscribePayload) {
        const connection = connections.get(ctx.extra.socket);
        if (!connection) return [new GraphQLError("Not signed in", { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        // (graphql-ws counts this operation among them already.)
        if (Object.keys(ctx.subscriptions).length > limits.perConnection) {
          return [new BadRequestError(`At most ${limits.perConnection} subscriptions run at once on one connection: complete one first, or open another connection`)];
        }
        if (typeof payload.query !== "string" || payload.query.length > LIMITS.maxQueryLength) {
          return [tooComplex(`The query must be a string of at most ${LIMITS.maxQueryLength} characters`)];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: LIMITS.maxTokens });
        } catch (error) {
          return [protocolError(error as GraphQLError, ErrorCode.GRAPHQL_PARSE_FAILED)];
        }
        const invalid = validate(schema, document);
        if (invalid.length > 0) return invalid.map((error) => protocolError(error, ErrorCode.GRAPHQL_VALIDATION_FAILED));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new BadRequestError("Name the operation to run (operationName): the document holds several, or none")];
        if (operation.operation !== "subscription") {
          return [new BadRequestError("Over WebSocket Facet runs subscriptions only: send queries and mutations to POST /graphql")];
        }
        const variables = payload.variables ?? {};
        try {
          enforceLimits(measureOperation(schema, document, operation, variables));
          refuseNulCharacters(document, variables);
        } catch (error) {
          return [error as GraphQLError];
        }
        return { schema, document, operationName: payload.operationName, variableValues: variables, contextValue: connection };
      },

      // The operation's stream: the subscription field's own (checked and started under a context
      // given back at once), each of whose events is resolved under a context of its own.
      async subscribe(args: ExecutionArgs) {
        const connection = args.contextValue as Connection;
        const context = await contextFor(connection);
        if (!context) return { errors: [new GraphQLError("The connection is closing", { extensions: { code: ErrorCode.UNAUTHENTICATED } })] };
        allowLive(context, {
          bufferSize: limits.buffer,
          stats: live,
          overflowed: () => closeWith(connection.socket, CloseCodes.TOO_SLOW, `The subscriber fell more than ${limits.buffer} objects behind: reconnect and read the state again`),
        });
        let stream: AsyncIterable<unknown> | ExecutionResult;
        try {
          stream = await createSourceEventStream({ ...args, contextValue: context });
        } finally {
          await endRequest(context);
        }
        if (!(Symbol.asyncIterator in stream)) return stream;
        return new ResolvedStream(stream as AsyncIterableIterator<PublishedEvent>, (event) => resolveEvent(connection, args, event));
      },

      onNext(_ctx, _id, _payload, _args, result) {
        if (!result.errors?.length) return;
        return { ...result, errors: formatted(result.errors) };
      },

      onError(_ctx, _id, _payload, errors) {
        return formatted(errors);
      },
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    stats: () => ({ ...live, connections: connections.size, closedWith: { ...closedWith } }),
    refuseNew() {
      refusing = true;
    },
    async close() {
      refusing = true;
      httpServer.off("upgrade", onUpgrade);
      const open = [...wss.clients];
      for (const socket of open) closeWith(socket, CloseCodes.GOING_AWAY, "Facet is restarting: reconnect and read the state again");
      const closed = Promise.all(open.map((socket) => (socket.readyState === socket.CLOSED ? undefined : new Promise((resolve) => socket.once("close", resolve)))));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_CLOSE_GRACE_MS)))]);
      clearTimeout(timer);
      for (const socket of wss.clients) socket.terminate();
      await server.dispose();
    },
  };
}

/**
 * The results of an operation: each event of its stream resolved in turn. Written out rather than
 * as an async generator, whose return() would wait for the next event: a socket that closes stops
 * its streams at once.
 */
class ResolvedStream implements AsyncIterableIterator<ExecutionResult> {
  private done = false;

  constructor(
    private readonly events: AsyncIterableIterator<PublishedEvent>,
    private readonly resolve: (event: PublishedEvent) => Promise<ExecutionResult | undefined>,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult>> {
    if (this.done) return { value: undefined, done: true };
    const step = await this.events.next();
    if (step.done || this.done) return this.return();
    const result = await this.resolve(step.value);
    if (!result || this.done) return this.return();
    return { value: result, done: false };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.done = true;
    await this.events.return?.();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ExecutionResult> {
    return this;
  }
}
