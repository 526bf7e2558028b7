import { Webhook } from "standardwebhooks";
import { newSecret, sign, signatureHeader, webhookBody } from "./signing";

describe("Standard Webhooks signatures", () => {
  // The test vector of the Standard Webhooks reference library (standard-webhooks/standard-webhooks,
  // libraries/javascript/src/webhook.test.ts, "sign function works").
  it("signs the reference test vector as the specification does", () => {
    const signature = sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}');
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("makes secrets of 32 random bytes that the reference library accepts, and signatures it verifies", () => {
    const secret = newSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(newSecret()).not.toBe(secret);
    const body = webhookBody({ type: "order.placed", occurredAt: new Date("2026-03-01T10:00:00Z"), data: { orderId: "T3JkZXI6MQ" } });
    expect(JSON.parse(body)).toEqual({ type: "order.placed", timestamp: "2026-03-01T10:00:00.000Z", data: { orderId: "T3JkZXI6MQ" } });
    const now = Math.floor(Date.now() / 1000);
    const other = newSecret();
    const header = signatureHeader([secret, other], "0b5c1c1e-0d2f-4b8e-9d1c-3b2a1f0e9d8c", now, body);
    expect(header.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": "0b5c1c1e-0d2f-4b8e-9d1c-3b2a1f0e9d8c", "webhook-timestamp": String(now), "webhook-signature": header };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(other).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow(/No matching signature/);
  });
});
