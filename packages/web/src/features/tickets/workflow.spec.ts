import { TICKET_STATUSES, TICKET_TRANSITIONS } from "@kundenakte/contract";
import { describe, expect, it } from "vitest";
import { stepsFrom } from "./workflow";

describe("stepsFrom", () => {
  it("offers exactly the server's transitions, named from where the ticket stands", () => {
    expect(stepsFrom("new")).toEqual([
      { to: "in_progress", step: "start" },
      { to: "resolved", step: "resolve" },
    ]);
    expect(stepsFrom("in_progress").map((s) => s.step)).toEqual(["wait", "resolve"]);
    expect(stepsFrom("waiting_for_customer").map((s) => s.step)).toEqual(["resume", "resolve"]);
    expect(stepsFrom("resolved").map((s) => s.step)).toEqual(["close", "reopen"]);
    expect(stepsFrom("closed")).toEqual([]);
    for (const from of TICKET_STATUSES) expect(stepsFrom(from).map((s) => s.to)).toEqual(TICKET_TRANSITIONS[from]);
  });
});
