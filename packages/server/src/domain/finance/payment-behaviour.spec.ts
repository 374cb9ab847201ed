import { describe, expect, it } from "vitest";
import { paymentBehaviour } from "./payment-behaviour.js";

// Stichtag 30.06.2025: the window is 01.07.2024 to 30.06.2025 by payment date.
const onDate = "2025-06-30";

describe("paymentBehaviour", () => {
  it("averages the invoices paid in the last twelve months", () => {
    const paid = [
      // 26 days to pay, 4 days early: on time, 0 days late
      { invoiceDate: "2025-01-10", dueDate: "2025-02-09", paidDate: "2025-02-05" },
      // 44 days to pay, 14 days late
      { invoiceDate: "2025-03-01", dueDate: "2025-03-31", paidDate: "2025-04-14" },
      // 30 days, paid on the due date: on time
      { invoiceDate: "2025-05-02", dueDate: "2025-06-01", paidDate: "2025-06-01" },
      // paid 01.07.2024, the first day of the window: 30 days, on time
      { invoiceDate: "2024-06-01", dueDate: "2024-07-01", paidDate: "2024-07-01" },
      // paid 30.06.2024, exactly twelve months back: outside
      { invoiceDate: "2024-05-01", dueDate: "2024-05-31", paidDate: "2024-06-30" },
      // paid after the reference date: outside
      { invoiceDate: "2025-06-01", dueDate: "2025-07-01", paidDate: "2025-07-01" },
    ];
    // 4 invoices; days to pay (26 + 44 + 30 + 30) / 4 = 32,5; days late (0 + 14 + 0 + 0) / 4 = 3,5;
    // on time 3 of 4 = 0,75
    expect(paymentBehaviour(paid, onDate)).toEqual({
      invoices: 4,
      averageDaysToPay: 32.5,
      averageDaysLate: 3.5,
      onTimeShare: 0.75,
    });
  });

  it("rounds averages to one decimal and the share to three", () => {
    const paid = [
      { invoiceDate: "2025-05-01", dueDate: "2025-05-11", paidDate: "2025-05-11" }, // 10 days, on time
      { invoiceDate: "2025-05-01", dueDate: "2025-05-11", paidDate: "2025-05-12" }, // 11 days, 1 late
      { invoiceDate: "2025-05-01", dueDate: "2025-05-12", paidDate: "2025-05-12" }, // 11 days, on time
    ];
    // 32 / 3 = 10,666… → 10,7; 1 / 3 = 0,333… → 0,3; 2 / 3 = 0,666… → 0,667
    expect(paymentBehaviour(paid, onDate)).toEqual({
      invoices: 3,
      averageDaysToPay: 10.7,
      averageDaysLate: 0.3,
      onTimeShare: 0.667,
    });
  });

  it("rounds a half tenth up", () => {
    // 12 + 12 + 12 + 13 = 49 days / 4 = 12,25 → 12,3
    const paid = [12, 12, 12, 13].map((days) => ({
      invoiceDate: "2025-05-01",
      dueDate: "2025-06-01",
      paidDate: `2025-05-${String(1 + days).padStart(2, "0")}`,
    }));
    expect(paymentBehaviour(paid, onDate).averageDaysToPay).toBe(12.3);
  });

  it("counts a prepayment as 0 days, not as negative days", () => {
    const paid = [
      { invoiceDate: "2025-03-10", dueDate: "2025-03-10", paidDate: "2025-03-05" }, // Vorkasse
      { invoiceDate: "2025-03-10", dueDate: "2025-04-09", paidDate: "2025-03-30" }, // 20 days
    ];
    expect(paymentBehaviour(paid, onDate)).toMatchObject({ averageDaysToPay: 10, onTimeShare: 1 });
  });

  it("returns nulls without invoices in the window", () => {
    const paid = [{ invoiceDate: "2023-01-01", dueDate: "2023-01-31", paidDate: "2023-02-15" }];
    expect(paymentBehaviour(paid, onDate)).toEqual({
      invoices: 0,
      averageDaysToPay: null,
      averageDaysLate: null,
      onTimeShare: null,
    });
  });

  it("names an invalid date", () => {
    const paid = [{ invoiceDate: "2025-02-30", dueDate: "2025-03-30", paidDate: "2025-03-15" }];
    expect(() => paymentBehaviour(paid, onDate)).toThrow(/paid\/0\/invoiceDate/);
  });
});
