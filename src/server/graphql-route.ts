import { HeaderMap, type ApolloServer } from "@apollo/server";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { RequestContext } from "../core/context";
import { endRequest } from "./context";

/**
 * /graphql: Apollo Server's HTTP entry point (executeHTTPGraphQLRequest, the API its integrations
 * are built on) behind Express's routing, CORS and body parsing. Written out here rather than
 * taken from @as-integrations/express5 for one thing: the request's database connection goes back
 * to the pool before the response is written, also when Apollo refuses the request after its
 * context was built (a malformed body, a GET mutation), which no plugin of Apollo's sees.
 */
export function graphqlRoute(apollo: ApolloServer<RequestContext>, contextOf: (req: Request) => Promise<RequestContext>): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    let context: RequestContext | undefined;
    try {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      }
      const queryAt = req.url.indexOf("?");
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: queryAt < 0 ? "" : req.url.slice(queryAt), body: req.body },
        context: async () => (context = await contextOf(req)),
      });
      if (context) await endRequest(context);
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === "complete") {
        res.setHeader("Content-Length", Buffer.byteLength(response.body.string));
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      next(error);
    } finally {
      if (context) await endRequest(context);
    }
  };
}
