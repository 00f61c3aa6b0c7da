import assert from "node:assert/strict";
import { test } from "node:test";
import { ageText, staleNote, staleTooltip } from "../src/issues/staleness";

const now = new Date("2026-03-05T14:30:00Z");

test("a list's age is said in minutes, hours, then days", () => {
  assert.equal(ageText("2026-03-05T14:29:40Z", now), "just now");
  assert.equal(ageText("2026-03-05T14:29:00Z", now), "1 min ago");
  assert.equal(ageText("2026-03-05T14:18:00Z", now), "12 min ago");
  assert.equal(ageText("2026-03-05T11:10:00Z", now), "3 h ago");
  assert.equal(ageText("2026-03-04T14:00:00Z", now), "1 day ago");
  assert.equal(ageText("2026-03-01T14:00:00Z", now), "4 days ago");
  // A clock a little ahead of ours is not "in the future".
  assert.equal(ageText("2026-03-05T14:31:00Z", now), "just now");
  assert.equal(ageText("2026-03-05T14:18:00.000+0000", now), "12 min ago");
  assert.equal(ageText("yesterday", now), undefined);
});

test("a stale list says so with its age; a fresh one says nothing", () => {
  assert.equal(staleNote({ stale: true, fetchedAt: "2026-03-05T14:18:00Z" }, now), "offline · fetched 12 min ago");
  assert.equal(staleNote({ stale: true }, now), "offline");
  assert.equal(staleNote({ stale: false, fetchedAt: "2026-03-05T14:18:00Z" }, now), undefined);
  assert.equal(staleNote({}, now), undefined);
  assert.match(staleTooltip({ stale: true, fetchedAt: "2026-03-05T14:18:00Z" }) ?? "", /could not be reached.*Refresh/);
  assert.equal(staleTooltip({}), undefined);
  assert.match(
    staleTooltip({ stale: true, staleReason: "Could not connect to jira.example.com:443: refused." }) ?? "",
    /Could not connect to jira\.example\.com:443: refused\. Refresh/,
  );
});
