import { describe, expect, it } from "vitest";
import { currentTime, htmlToReadableText } from "./builtin";
import { ToolFailure } from "./tool-failure";

describe("current_time", () => {
  const now = new Date("2026-03-01T12:34:56.789Z");

  it("answers UTC ISO time by default", () => {
    expect(currentTime(now)).toEqual({
      iso: "2026-03-01T12:34:56.789Z",
      timeZone: "UTC",
      local: "2026-03-01T12:34:56+00:00",
      weekday: "Sunday",
      unixMs: now.getTime(),
    });
  });

  it("answers local time with its offset in an IANA time zone", () => {
    expect(currentTime(now, "Asia/Kolkata")).toMatchObject({
      iso: "2026-03-01T12:34:56.789Z",
      timeZone: "Asia/Kolkata",
      local: "2026-03-01T18:04:56+05:30",
    });
    expect(currentTime(new Date("2026-07-01T00:30:00Z"), "America/New_York")).toMatchObject({
      local: "2026-06-30T20:30:00-04:00",
      weekday: "Tuesday",
    });
  });

  it("refuses an unknown time zone, naming the field", () => {
    expect(() => currentTime(now, "Mars/Olympus")).toThrowError(ToolFailure);
    expect(() => currentTime(now, "Mars/Olympus")).toThrowError('Unknown time zone "Mars/Olympus"');
  });
});

describe("htmlToReadableText", () => {
  it("keeps headings, paragraphs and links, and drops scripts, styles, images and navigation", () => {
    const text = htmlToReadableText(
      `<html><head><style>p{color:red}</style><script>alert("x")</script></head><body>
        <nav><a href="/home">Home</a></nav>
        <h1>Release notes</h1><p>Version <b>2</b> is out.</p>
        <img src="x.png" alt="logo"><p>Read <a href="/docs/v2">the docs</a>.</p>
      </body></html>`,
      "https://example.test/news/",
    );
    expect(text).toBe("Release notes\n\nVersion 2 is out.\n\nRead the docs [https://example.test/docs/v2].");
  });
});
