import { checkUrl, classifyAddress, guardedLookup, refusedAddress, refusedHost, type CheckedUrl } from "./address-guard";

const PRODUCTION = { production: true };
const LOCAL = { production: false };

describe("classifyAddress", () => {
  it("knows the public internet from everything else, in IPv4", () => {
    expect(classifyAddress("93.184.215.14")).toBe("public");
    expect(classifyAddress("8.8.8.8")).toBe("public");
    expect(classifyAddress("127.0.0.1")).toBe("loopback");
    expect(classifyAddress("127.255.255.254")).toBe("loopback");
    expect(classifyAddress("10.1.2.3")).toBe("private");
    expect(classifyAddress("172.16.0.1")).toBe("private");
    expect(classifyAddress("172.31.255.255")).toBe("private");
    expect(classifyAddress("172.32.0.1")).toBe("public");
    expect(classifyAddress("192.168.1.1")).toBe("private");
    expect(classifyAddress("169.254.169.254")).toBe("link-local");
    expect(classifyAddress("100.64.0.1")).toBe("shared");
    expect(classifyAddress("100.127.255.255")).toBe("shared");
    expect(classifyAddress("100.128.0.1")).toBe("public");
    expect(classifyAddress("0.0.0.0")).toBe("unspecified");
    expect(classifyAddress("0.1.2.3")).toBe("unspecified");
    expect(classifyAddress("224.0.0.1")).toBe("multicast");
    expect(classifyAddress("239.255.255.250")).toBe("multicast");
    expect(classifyAddress("240.0.0.1")).toBe("reserved");
    expect(classifyAddress("255.255.255.255")).toBe("broadcast");
    expect(classifyAddress("192.0.2.1")).toBe("documentation");
    expect(classifyAddress("198.51.100.7")).toBe("documentation");
    expect(classifyAddress("203.0.113.9")).toBe("documentation");
    expect(classifyAddress("198.18.0.1")).toBe("benchmarking");
    expect(classifyAddress("192.0.0.8")).toBe("reserved");
  });

  it("knows the public internet from everything else, in IPv6, and looks inside addresses that embed IPv4", () => {
    expect(classifyAddress("2606:4700:4700::1111")).toBe("public");
    expect(classifyAddress("::")).toBe("unspecified");
    expect(classifyAddress("::1")).toBe("loopback");
    expect(classifyAddress("[::1]")).toBe("loopback");
    expect(classifyAddress("fc00::1")).toBe("unique-local");
    expect(classifyAddress("fd12:3456:789a::1")).toBe("unique-local");
    expect(classifyAddress("fe80::1")).toBe("link-local");
    expect(classifyAddress("fe80::1%eth0")).toBe("link-local");
    expect(classifyAddress("fec0::1")).toBe("site-local");
    expect(classifyAddress("ff02::1")).toBe("multicast");
    expect(classifyAddress("2001:db8::1")).toBe("documentation");
    expect(classifyAddress("2001::1")).toBe("reserved"); // Teredo
    // IPv4-mapped: what a dual-stack socket reaches is the IPv4 address.
    expect(classifyAddress("::ffff:127.0.0.1")).toBe("loopback");
    expect(classifyAddress("::ffff:7f00:1")).toBe("loopback");
    expect(classifyAddress("::ffff:169.254.169.254")).toBe("link-local");
    expect(classifyAddress("::ffff:10.0.0.1")).toBe("private");
    expect(classifyAddress("::ffff:8.8.8.8")).toBe("public");
    // IPv4-compatible (deprecated), NAT64 and 6to4.
    expect(classifyAddress("::127.0.0.1")).toBe("reserved");
    expect(classifyAddress("64:ff9b::10.0.0.1")).toBe("private");
    expect(classifyAddress("64:ff9b::8.8.8.8")).toBe("public");
    expect(classifyAddress("2002:7f00:1::")).toBe("loopback");
    expect(classifyAddress("2002:0808:0808::")).toBe("public");
    // Outside global unicast (2000::/3): unassigned.
    expect(classifyAddress("4000::1")).toBe("reserved");
    expect(classifyAddress("not an address")).toBe("reserved");
  });
});

describe("refusedAddress", () => {
  it("allows only public addresses over https in production, and loopback besides outside production", () => {
    expect(refusedAddress("8.8.8.8", "https:", PRODUCTION)).toBeNull();
    expect(refusedAddress("127.0.0.1", "https:", PRODUCTION)).toMatch(/loopback/);
    expect(refusedAddress("::1", "http:", PRODUCTION)).toMatch(/loopback/);
    expect(refusedAddress("127.0.0.1", "http:", LOCAL)).toBeNull();
    expect(refusedAddress("::1", "http:", LOCAL)).toBeNull();
    expect(refusedAddress("10.0.0.1", "https:", LOCAL)).toMatch(/private/);
    // Plain http crosses no network but this machine's.
    expect(refusedAddress("8.8.8.8", "http:", LOCAL)).toMatch(/https/);
  });
});

const refusal = (url: string, rules = PRODUCTION) => {
  const checked = checkUrl(url, rules);
  return typeof checked === "string" ? checked : null;
};

describe("checkUrl", () => {
  it("accepts a public https URL, normalized", () => {
    const checked = checkUrl("HTTPS://Hooks.Example.com/facet?x=1", PRODUCTION) as CheckedUrl;
    expect(checked.url.toString()).toBe("https://hooks.example.com/facet?x=1");
    expect(checked).toMatchObject({ protocol: "https:", host: "hooks.example.com", port: 443 });
    expect(refusal("https://93.184.215.14:8443/hook")).toBeNull();
    expect(refusal("https://[2606:4700:4700::1111]/hook")).toBeNull();
  });

  it("refuses other schemes, http in production, credentials, fragments and odd ports", () => {
    expect(refusal("ftp://hooks.example.com/")).toMatch(/https/);
    expect(refusal("file:///etc/passwd")).toMatch(/https/);
    expect(refusal("http://hooks.example.com/")).toMatch(/https/);
    expect(refusal("https://user:pass@hooks.example.com/")).toMatch(/credentials/);
    expect(refusal("https://user@hooks.example.com/")).toMatch(/credentials/);
    expect(refusal("https://hooks.example.com/#x")).toMatch(/fragment/);
    expect(refusal("https://hooks.example.com:22/")).toMatch(/port 22/);
    expect(refusal("https://hooks.example.com:8443/")).toBeNull();
    expect(refusal("not a url")).toMatch(/valid/);
    expect(refusal("https://intranet/")).toMatch(/fully qualified/);
  });

  it("recognizes the literal forms of a loopback or internal address that URL parsing normalizes", () => {
    for (const url of [
      "http://2130706433/",
      "http://0x7f.1/",
      "http://0x7f000001/",
      "http://017700000001/",
      "http://0177.0.0.1/",
      "http://127.1/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::1]/",
      "https://127.0.0.1/",
      "https://localhost/",
    ]) {
      expect([url, refusal(url)]).toEqual([url, expect.stringMatching(/loopback|this machine|https/)]);
    }
    expect(refusal("https://2852039166/")).toMatch(/link-local/); // 169.254.169.254
    expect(refusal("https://0xa9fea9fe/")).toMatch(/link-local/);
    expect(refusal("https://[::ffff:169.254.169.254]/")).toMatch(/link-local/);
    expect(refusal("https://[fd00::1]/")).toMatch(/unique-local/);
    expect(refusal("https://[fe80::1]/")).toMatch(/link-local/);
    expect(refusal("https://0.0.0.0/")).toMatch(/unspecified/);
    expect(refusal("https://[::]/")).toMatch(/unspecified/);
    expect(refusal("https://100.64.1.1/")).toMatch(/shared/);
    expect(refusal("https://192.168.0.10/")).toMatch(/private/);
    expect(refusal("https://224.0.0.1/")).toMatch(/multicast/);
  });

  it("allows plain http to loopback outside production only", () => {
    expect(refusal("http://127.0.0.1:8080/hook", LOCAL)).toBeNull();
    expect(refusal("http://2130706433:8080/hook", LOCAL)).toBeNull();
    expect(refusal("http://[::1]:8080/hook", LOCAL)).toBeNull();
    expect(refusal("http://localhost:8080/hook", LOCAL)).toBeNull();
    expect(refusal("http://10.0.0.1:8080/hook", LOCAL)).toMatch(/private/);
    expect(refusal("http://93.184.215.14/hook", LOCAL)).toMatch(/https/);
    expect(refusal("http://127.0.0.1:8080/hook", PRODUCTION)).toMatch(/https/);
  });
});

describe("refusedHost and guardedLookup", () => {
  const resolveTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

  it("refuses a name when any of its addresses is refused", async () => {
    const checked = checkUrl("https://hooks.example.com/", PRODUCTION) as CheckedUrl;
    expect(await refusedHost(checked, PRODUCTION, resolveTo("93.184.215.14"))).toBeNull();
    expect(await refusedHost(checked, PRODUCTION, resolveTo("93.184.215.14", "10.0.0.5"))).toMatch(/resolves to 10\.0\.0\.5 is a private address/);
    expect(await refusedHost(checked, PRODUCTION, resolveTo("::ffff:127.0.0.1"))).toMatch(/loopback/);
    expect(await refusedHost(checked, PRODUCTION, resolveTo())).toMatch(/does not resolve/);
    expect(
      await refusedHost(checked, PRODUCTION, async () => {
        throw new Error("ENOTFOUND");
      }),
    ).toMatch(/does not resolve/);
  });

  it("fails the connection's lookup for a refused address, and answers allowed ones as node:net asks", async () => {
    const lookup = (rules: typeof PRODUCTION, ...addresses: string[]) => guardedLookup("https:", rules, resolveTo(...addresses));
    const ask = (fn: ReturnType<typeof lookup>, all: boolean) =>
      new Promise<{ error: Error | null; result: unknown }>((resolve) => fn("hooks.example.com", { all }, (error: Error | null, address: unknown) => resolve({ error, result: address })));
    expect(await ask(lookup(PRODUCTION, "169.254.169.254"), false)).toMatchObject({ error: { code: "EREFUSEDDESTINATION" } });
    expect(await ask(lookup(PRODUCTION, "8.8.8.8", "127.0.0.1"), true)).toMatchObject({ error: { code: "EREFUSEDDESTINATION" } });
    expect(await ask(lookup(PRODUCTION, "8.8.8.8"), false)).toEqual({ error: null, result: "8.8.8.8" });
    expect(await ask(lookup(PRODUCTION, "8.8.8.8", "2606:4700:4700::1111"), true)).toEqual({
      error: null,
      result: [
        { address: "8.8.8.8", family: 4 },
        { address: "2606:4700:4700::1111", family: 6 },
      ],
    });
  });
});
