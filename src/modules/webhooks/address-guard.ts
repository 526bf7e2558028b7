import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";

// Where Facet may send a webhook: a URL an ERP gives is a request Facet makes from inside its own
// network, so every address it could reach that is not the public internet is refused (server-side
// request forgery). The URL is checked when it is saved (its host resolved with DNS) and again at
// every connection: `guardedLookup` is the `lookup` of the HTTP request, so the address actually
// connected to is the one checked, whatever DNS answered at save time (DNS rebinding).

/** What an address is, for the rule: the public internet, this machine, or something else refused. */
export type AddressKind =
  | "public"
  | "loopback"
  | "unspecified"
  | "private"
  | "shared"
  | "link-local"
  | "multicast"
  | "reserved"
  | "documentation"
  | "benchmarking"
  | "unique-local"
  | "site-local"
  | "broadcast";

type Range4 = [base: number, bits: number, kind: AddressKind];

const v4 = (dotted: string): number => dotted.split(".").reduce((n, part) => n * 256 + Number(part), 0);

// IANA's IPv4 special-purpose registry (RFC 6890 and successors): everything here is refused.
const SPECIAL_V4: readonly Range4[] = (
  [
    ["0.0.0.0", 8, "unspecified"], // "this network"
    ["10.0.0.0", 8, "private"], // RFC 1918
    ["100.64.0.0", 10, "shared"], // carrier-grade NAT, RFC 6598
    ["127.0.0.0", 8, "loopback"],
    ["169.254.0.0", 16, "link-local"], // cloud metadata (169.254.169.254) lives here
    ["172.16.0.0", 12, "private"],
    ["192.0.0.0", 24, "reserved"], // IETF protocol assignments
    ["192.0.2.0", 24, "documentation"],
    ["192.88.99.0", 24, "reserved"], // 6to4 relay anycast
    ["192.168.0.0", 16, "private"],
    ["198.18.0.0", 15, "benchmarking"],
    ["198.51.100.0", 24, "documentation"],
    ["203.0.113.0", 24, "documentation"],
    ["224.0.0.0", 4, "multicast"],
    ["255.255.255.255", 32, "broadcast"],
    ["240.0.0.0", 4, "reserved"],
  ] as const
).map(([base, bits, kind]) => [v4(base), bits, kind]);

function classify4(address: number): AddressKind {
  for (const [base, bits, kind] of SPECIAL_V4) {
    const size = 2 ** (32 - bits);
    if (address >= base && address < base + size) return kind;
  }
  return "public";
}

/** The 8 groups of an IPv6 address (with an embedded dotted IPv4 tail, a zone id or brackets). */
function groups6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const n = v4(dotted[1]);
    s = `${s.slice(0, -dotted[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  const out = all.map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
  return out.some(Number.isNaN) ? null : out;
}

function classify6(g: number[]): AddressKind {
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const embedded = (hi: number, lo: number) => classify4(hi * 65536 + lo);
  if (zeros(8)) return "unspecified";
  if (zeros(7) && g[7] === 1) return "loopback";
  // IPv4-mapped (::ffff:a.b.c.d): the IPv4 address is what a dual-stack socket connects to.
  if (zeros(5) && g[5] === 0xffff) return embedded(g[6], g[7]);
  // IPv4-compatible (::a.b.c.d), deprecated, and IPv4-translated (::ffff:0:a.b.c.d).
  if (zeros(6) || (zeros(4) && g[4] === 0xffff && g[5] === 0)) return "reserved";
  // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds; the local-use prefix is private.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "private";
  // 6to4 (2002::/16) embeds an IPv4 address in its next 32 bits.
  if (g[0] === 0x2002) return embedded(g[1], g[2]);
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "documentation";
  // IETF protocol assignments (2001::/23: Teredo, ORCHID, benchmarking…).
  if (g[0] === 0x2001 && g[1] < 0x200) return "reserved";
  if (g[0] === 0x3fff && g[1] < 0x1000) return "documentation"; // 3fff::/20
  if ((g[0] & 0xfe00) === 0xfc00) return "unique-local"; // fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return "link-local"; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return "site-local"; // fec0::/10, deprecated
  if ((g[0] & 0xff00) === 0xff00) return "multicast";
  // Only global unicast (2000::/3) is the public internet; the rest is unassigned or special.
  return (g[0] & 0xe000) === 0x2000 ? "public" : "reserved";
}

/** What an IP address (v4 dotted, or v6 in any notation) is; "reserved" for anything not an address. */
export function classifyAddress(address: string): AddressKind {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare.replace(/%.*$/, ""));
  if (family === 4) return classify4(v4(bare));
  if (family === 6) {
    const g = groups6(bare);
    return g ? classify6(g) : "reserved";
  }
  return "reserved";
}

export interface DestinationRules {
  /** In production only the public internet; elsewhere this machine too, for local receivers. */
  production: boolean;
}

/** Why an address may not be sent to, or null when it may. */
export function refusedAddress(address: string, protocol: "http:" | "https:", rules: DestinationRules): string | null {
  const kind = classifyAddress(address);
  if (kind === "loopback" && !rules.production) return null;
  if (kind !== "public") return `${address} is a ${kind} address, which webhooks may not reach`;
  if (protocol === "http:") return `plain http is allowed only to this machine (loopback) outside production; ${address} needs https`;
  return null;
}

/** Ports an endpoint may use: 443, 80 (loopback only, outside production) and any unprivileged port. */
export function refusedPort(port: number): string | null {
  return port === 443 || port === 80 || (port >= 1024 && port <= 65535) ? null : `port ${port} is not allowed: use 443 or a port from 1024 to 65535`;
}

/** A URL as Facet will send to it: normalized (WHATWG), with its protocol, host and port. */
export interface CheckedUrl {
  url: URL;
  protocol: "http:" | "https:";
  /** The host as connected to: an IP literal (without brackets) or a name to resolve. */
  host: string;
  port: number;
}

/**
 * Checks what can be checked of a URL without DNS: scheme, credentials, port, and the host when it
 * is an IP literal (in any of the forms WHATWG URL parsing normalizes, such as 2130706433,
 * 0x7f.1, 017700000001 or [::ffff:127.0.0.1]). Returns the reason it is refused, or the URL.
 */
export function checkUrl(text: string, rules: DestinationRules): CheckedUrl | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "not a valid absolute URL";
  }
  const protocol = url.protocol;
  if (protocol !== "https:" && protocol !== "http:") return "the URL must be https";
  if (protocol === "http:" && rules.production) return "the URL must be https";
  if (url.username || url.password) return "the URL may not hold credentials";
  if (url.hash) return "the URL may not have a fragment";
  const port = url.port ? Number(url.port) : protocol === "https:" ? 443 : 80;
  const badPort = refusedPort(port);
  if (badPort) return badPort;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "") return "the URL needs a host";
  if (isIP(host)) {
    const refused = refusedAddress(host, protocol, rules);
    if (refused) return refused;
  } else {
    const local = host === "localhost" || host.endsWith(".localhost");
    if (local && rules.production) return `${host} is this machine, which webhooks may not reach`;
    // A single-label name resolves through the machine's search domains: inside the network.
    if (!local && (!/^[a-z0-9._-]+$/.test(host) || !host.replace(/\.$/, "").includes("."))) return `${host} is not a fully qualified public host name`;
  }
  return { url, protocol, host, port };
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;

/** The system resolver (getaddrinfo, as node:http connects with), every address of the name. */
export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));

/** Refuses a host unless every address it resolves to may be sent to (at save time). */
export async function refusedHost(checked: CheckedUrl, rules: DestinationRules, resolve: Resolver = systemResolver): Promise<string | null> {
  if (isIP(checked.host)) return null;
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(checked.host);
  } catch {
    return `${checked.host} does not resolve`;
  }
  if (addresses.length === 0) return `${checked.host} does not resolve`;
  for (const { address } of addresses) {
    const refused = refusedAddress(address, checked.protocol, rules);
    if (refused) return `${checked.host} resolves to ${refused}`;
  }
  return null;
}

/** The error a connection refused by the guard fails with. */
export class RefusedDestination extends Error {
  readonly code = "EREFUSEDDESTINATION";
}

/**
 * A `lookup` for node:http and node:https that resolves with `resolve` and fails unless every
 * address is allowed: the check applies to the very addresses the socket will connect to.
 */
export function guardedLookup(protocol: "http:" | "https:", rules: DestinationRules, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} does not resolve`), { code: "ENOTFOUND" }), "", 4);
        for (const { address } of wanted) {
          const refused = refusedAddress(address, protocol, rules);
          if (refused) return callback(new RefusedDestination(`${hostname} resolves to ${refused}`), "", 4);
        }
        if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
        callback(null, wanted[0].address, wanted[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 4),
    );
  };
}
