import { describe, expect, it } from "vitest";
import { hostNameOf, setForwardedHeaders, stripHopByHop } from "./hop-by-hop";

describe("stripHopByHop", () => {
  it("drops hop-by-hop headers and those Connection names, keeping end-to-end ones", () => {
    const headers = {
      connection: "keep-alive, X-Secret-Hop",
      "keep-alive": "timeout=5",
      "x-secret-hop": "1",
      te: "trailers",
      "transfer-encoding": "chunked",
      "content-type": "text/plain",
      cookie: "a=b",
    };
    stripHopByHop(headers);
    expect(headers).toEqual({ "content-type": "text/plain", cookie: "a=b" });
  });

  it("keeps Upgrade and Connection: Upgrade on a WebSocket handshake", () => {
    const headers = { connection: "keep-alive, Upgrade", upgrade: "websocket", "keep-alive": "1" };
    stripHopByHop(headers, { isUpgrade: true });
    expect(headers).toEqual({ connection: "Upgrade", upgrade: "websocket" });
  });
});

describe("setForwardedHeaders", () => {
  it("appends the client to X-Forwarded-For and keeps a front proxy's proto and host", () => {
    const headers: Record<string, string> = {
      host: "app.example.com",
      "x-forwarded-for": "203.0.113.7",
      "x-forwarded-proto": "https",
    };
    setForwardedHeaders(headers, "127.0.0.1", "http");
    expect(headers).toMatchObject({
      "x-forwarded-for": "203.0.113.7, 127.0.0.1",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "app.example.com",
    });
  });
});

describe("hostNameOf", () => {
  it("normalises case, port and a trailing dot", () => {
    expect(hostNameOf("App.Example.com.:8080")).toBe("app.example.com");
    expect(hostNameOf(undefined)).toBeNull();
  });
});
