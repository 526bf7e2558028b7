import { readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

// The GraphQL IDE for support staff: GraphiQL served entirely from local packages (no CDN), so it
// works offline and under a strict Content-Security-Policy.
// Package folders are found through their package.json, since their "exports" hide the UMD builds.
const packageDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
const vendor = {
  "react.js": path.join(packageDir("react"), "umd/react.production.min.js"),
  "react-dom.js": path.join(packageDir("react-dom"), "umd/react-dom.production.min.js"),
  "graphiql.js": path.join(packageDir("graphiql"), "graphiql.min.js"),
  "graphiql.css": path.join(packageDir("graphiql"), "graphiql.min.css"),
  // The graphql-ws client, for subscriptions (window.graphqlWs).
  "graphql-ws.js": path.join(packageDir("graphql-ws"), "umd/graphql-ws.min.js"),
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Facet · GraphQL playground</title>
  <link rel="stylesheet" href="/playground/assets/graphiql.css">
  <link rel="stylesheet" href="/playground/assets/playground.css">
</head>
<body>
  <header id="facet-bar">
    <strong>Facet</strong>
    <form id="facet-login">
      <input name="email" type="email" placeholder="email" autocomplete="username" required>
      <input name="password" type="password" placeholder="password" autocomplete="current-password" required>
      <button type="submit">Sign in</button>
    </form>
    <form id="facet-token">
      <input name="token" placeholder="…or paste an access token" autocomplete="off">
      <button type="submit">Use token</button>
    </form>
    <span id="facet-who">not signed in</span>
    <button id="facet-signout" type="button" hidden>Sign out</button>
  </header>
  <div id="graphiql">Loading…</div>
  <script src="/playground/assets/react.js"></script>
  <script src="/playground/assets/react-dom.js"></script>
  <script src="/playground/assets/graphiql.js"></script>
  <script src="/playground/assets/graphql-ws.js"></script>
  <script src="/playground/assets/playground.js"></script>
</body>
</html>`;

const CSS = `html, body { height: 100%; margin: 0; font-family: system-ui, sans-serif; }
body { display: flex; flex-direction: column; }
#facet-bar { display: flex; gap: 1rem; align-items: center; padding: .4rem .8rem; border-bottom: 1px solid #ddd; font-size: 14px; }
#facet-bar form { display: flex; gap: .3rem; }
#facet-bar input { font: inherit; padding: .15rem .3rem; }
#facet-who { color: #555; margin-left: auto; }
#graphiql { flex: 1; min-height: 0; }`;

const SCRIPT = `(function () {
  var KEY = "facet.accessToken";
  var who = document.getElementById("facet-who");
  var signOut = document.getElementById("facet-signout");
  function token() { return localStorage.getItem(KEY); }
  function post(body, auth) {
    var headers = { "content-type": "application/json", accept: "application/json" };
    if (auth) headers.authorization = "Bearer " + auth;
    return fetch("/graphql", { method: "POST", headers: headers, body: JSON.stringify(body) }).then(function (r) { return r.json(); });
  }
  function refreshWho() {
    var t = token();
    signOut.hidden = !t;
    if (!t) { who.textContent = "not signed in"; return; }
    post({ query: "{ viewer { role scopes user { email } apiClient { name } distributor { name } } }" }, t).then(function (r) {
      var v = r.data && r.data.viewer;
      if (!v) { who.textContent = "token rejected"; return; }
      who.textContent = (v.user ? v.user.email + " · " + v.role : v.apiClient.name + " · " + v.scopes.join(" ")) + (v.distributor ? " · " + v.distributor.name : " · staff");
    });
  }
  // The schema a signed-in caller may introspect: GraphiQL is mounted afresh (its key is the
  // token) whenever the token changes, so the Docs panel and completion load it again.
  function use(t) { if (t) localStorage.setItem(KEY, t); else localStorage.removeItem(KEY); refreshWho(); render(); }
  document.getElementById("facet-login").addEventListener("submit", function (e) {
    e.preventDefault();
    var f = e.target;
    post({ query: "mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { message } } }", variables: { input: { email: f.email.value, password: f.password.value } } })
      .then(function (r) {
        var p = r.data && r.data.login;
        if (p && p.accessToken) { f.password.value = ""; use(p.accessToken); }
        else { who.textContent = (p && p.userErrors[0] && p.userErrors[0].message) || "sign-in failed"; }
      });
  });
  document.getElementById("facet-token").addEventListener("submit", function (e) {
    e.preventDefault();
    use(e.target.token.value.trim().replace(/^Bearer\\s+/i, ""));
    e.target.token.value = "";
  });
  signOut.addEventListener("click", function () { use(null); });
  // Subscriptions run over a WebSocket on /graphql (graphql-ws), signed in with the token in
  // connection_init; one socket per token, opened on the first subscription.
  var socket = null, socketToken = null;
  function subscriptions() {
    var t = token();
    if (socket && socketToken === t) return socket;
    if (socket) socket.dispose();
    socketToken = t;
    socket = graphqlWs.createClient({
      url: (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/graphql",
      connectionParams: function () { return t ? { authorization: "Bearer " + t } : {}; },
    });
    return socket;
  }
  function isSubscription(params) {
    var query = String(params.query || "").replace(/#[^\\n]*/g, "");
    if (params.operationName) return new RegExp("\\\\bsubscription\\\\s+" + params.operationName + "\\\\b").test(query);
    return /(^|})\\s*subscription\\b/.test(query);
  }
  function live(params) {
    return {
      subscribe: function (observer) {
        var stop = subscriptions().subscribe(params, {
          next: function (value) { observer.next(value); },
          error: function (error) {
            if (Array.isArray(error)) { observer.next({ errors: error }); observer.complete(); return; }
            if (error && typeof error.code === "number") error = new Error("The socket closed (" + error.code + "): " + (error.reason || "no reason given"));
            observer.error(error);
          },
          complete: function () { observer.complete(); },
        });
        return { unsubscribe: stop };
      },
    };
  }
  function fetcher(params, options) {
    if (isSubscription(params)) return live(params);
    var headers = Object.assign({ "content-type": "application/json", accept: "application/json" }, (options && options.headers) || {});
    var t = token();
    if (t && !headers.authorization && !headers.Authorization) headers.authorization = "Bearer " + t;
    return fetch("/graphql", { method: "POST", headers: headers, body: JSON.stringify(params) }).then(function (r) { return r.json(); });
  }
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  function render() {
    root.render(
      React.createElement(GraphiQL, {
        key: token() || "anonymous",
        fetcher: fetcher,
        defaultQuery: "# Sign in above, then explore. Descriptions are in the Docs panel.\\nquery Viewer {\\n  viewer {\\n    role\\n    user { email name }\\n    distributor { name country currency }\\n  }\\n}\\n",
      }),
    );
  }
  render();
  refreshWho();
})();`;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES: Record<string, string> = { html: "text/html; charset=utf-8", js: "application/javascript; charset=utf-8", css: "text/css; charset=utf-8" };

export function playgroundRoutes(app: FastifyInstance): void {
  const page = (type: string, body: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.header("Content-Security-Policy", CSP).type(TYPES[type]).send(body);
  app.get("/playground", page("html", PAGE));
  app.get("/playground/assets/playground.js", page("js", SCRIPT));
  app.get("/playground/assets/playground.css", page("css", CSS));
  for (const [name, file] of Object.entries(vendor)) {
    let content: Buffer | undefined; // read on first request, kept: the packages do not change while Facet runs
    app.get(`/playground/assets/${name}`, async (_request, reply) => {
      content ??= readFileSync(file);
      return reply.header("Cache-Control", "public, max-age=86400").type(TYPES[name.endsWith(".css") ? "css" : "js"]).send(content);
    });
  }
}
