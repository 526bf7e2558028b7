import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer } from "@apollo/server";
import cors from "cors";
import express from "express";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import type { RequestContext } from "../graphql/context";
import { ErrorCode, isInternal } from "../graphql/errors";
import { LIMITS } from "../graphql/limits";
import { log } from "../logger";
import { executeAsCaller } from "./context";

/** The paths Apollo answers: /graphql and anything below it, in any case, as Express mounted it. */
export const GRAPHQL_PATH = /^\/graphql(?:[/?]|$)/i;

/**
 * /graphql, served by Node's HTTP server without Express: nearly every request is for it, and
 * Express's router and request and response objects cost about a seventh of a tracking lookup's
 * Node CPU while adding nothing this route uses. The steps are Express's as they were: CORS, the JSON
 * body (body-parser, within the body limit), the query's length, then Apollo.
 *
 * The request id and the observation are already on the request (see createServer).
 */
export function graphqlHttpHandler(config: Config, dataSource: DataSource, apollo: ApolloServer<RequestContext>): (req: IncomingMessage, res: ServerResponse) => void {
  const allowCors = cors({
    origin: config.corsOrigins.includes("*") ? true : config.corsOrigins,
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization", "apollo-require-preflight", "x-apollo-operation-name", "x-request-id"],
    exposedHeaders: ["x-request-id"],
    maxAge: 600,
  });
  const readJson = express.json({ limit: config.bodyLimit });

  async function answer(req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const queryAt = url.indexOf("?");
    const search = queryAt < 0 ? "" : url.slice(queryAt);
    const query = (req.method === "GET" ? new URLSearchParams(search).get("query") : (req.body as { query?: unknown } | undefined)?.query) ?? "";
    if (typeof query === "string" && query.length > LIMITS.maxQueryLength) {
      req.observation.errorCode = ErrorCode.QUERY_TOO_COMPLEX;
      sendJson(res, 400, {
        errors: [{ message: `The query is ${query.length} characters long; at most ${LIMITS.maxQueryLength} are allowed`, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX } }],
      });
      return;
    }

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const httpGraphQLRequest = { method: req.method ?? "GET", headers, search, body: req.body };
    const facts = { authorization: req.headers.authorization, requestId: req.requestId, ip: req.socket.remoteAddress, observation: req.observation };
    const response = await executeAsCaller({ config, dataSource }, facts, (context) =>
      apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => noted(req, context) }),
    );
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.setHeader("Content-Length", Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function noted(req: IncomingMessage, context: () => Promise<RequestContext>): Promise<RequestContext> {
    try {
      return await context();
    } catch (error) {
      // Refused before GraphQL starts (a bad token): no plugin sees it, so note it here.
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      req.observation.errorCode = typeof code === "string" ? code : ErrorCode.INTERNAL_SERVER_ERROR;
      if (isInternal(error)) log.error("internal error", { error, requestId: req.requestId });
      throw error;
    }
  }

  return (req, res) => {
    allowCors(req, res, () => {
      readJson(req, res, (error?: unknown) => {
        if (error) return answerHttpError(config, error, req, res);
        answer(req, res).catch((failure: unknown) => answerHttpError(config, failure, req, res));
      });
    });
  };
}

/**
 * An error outside GraphQL (a body that is not JSON or too large, a failure of the server itself)
 * answered in GraphQL's error shape, without a stack.
 */
export function answerHttpError(config: Config, error: unknown, req: IncomingMessage, res: ServerResponse): void {
  const { status: given, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  const status = typeof given === "number" && given >= 400 && given < 500 ? given : 500;
  if (status === 500) log.error("unhandled HTTP error", { error, requestId: req.requestId });
  const code = status === 500 ? ErrorCode.INTERNAL_SERVER_ERROR : ErrorCode.BAD_USER_INPUT;
  req.observation.errorCode = code;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = type === "entity.too.large" ? `Request body is larger than ${config.bodyLimit}` : status === 500 ? "Internal server error" : "Request body is not valid JSON";
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}
