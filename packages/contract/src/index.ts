export * from "./auth.js";
export * from "./common.js";
export * from "./customers.js";
export * from "./errors.js";
export * from "./finance.js";
export * from "./follow-ups.js";
export * from "./journal.js";
