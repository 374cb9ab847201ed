import type { Migration } from "kysely";
import * as m001 from "./2026-11-26-001-foundation.js";
import * as m002 from "./2026-11-26-002-auth.js";
import * as m003 from "./2026-11-26-003-journal.js";
import * as m004 from "./2026-11-26-004-follow-ups.js";
import * as m005 from "./2026-11-26-005-mail-and-attachments.js";
import * as m006 from "./2026-11-26-006-journal-counts.js";
import * as m007 from "./2026-11-26-007-journal-text-per-customer.js";
import * as m008 from "./2026-11-26-008-finance.js";
import * as m009 from "./2026-11-27-009-search.js";
import * as m010 from "./2026-11-27-010-tickets-and-opportunities.js";
import * as m011 from "./2026-11-27-011-consents-and-preferences.js";
import * as m012 from "./2026-11-27-012-campaigns.js";
import * as m013 from "./2026-11-27-013-price-agreements.js";
import * as m014 from "./2026-11-27-014-search-fts-detail.js";
import * as m015 from "./2026-11-27-015-search-pg-prefixes.js";
import * as m016 from "./2026-12-08-016-finance-maintains-products.js";
import * as m017 from "./2026-12-08-017-file-read-path.js";
import * as m018 from "./2026-12-08-018-search-and-audit-compact.js";

/**
 * The migration history, in order. Names are date-prefixed and never change once released;
 * the runner refuses a database that has applied a migration missing from this list.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-26-001-foundation": m001,
  "2026-11-26-002-auth": m002,
  "2026-11-26-003-journal": m003,
  "2026-11-26-004-follow-ups": m004,
  "2026-11-26-005-mail-and-attachments": m005,
  "2026-11-26-006-journal-counts": m006,
  "2026-11-26-007-journal-text-per-customer": m007,
  "2026-11-26-008-finance": m008,
  "2026-11-27-010-tickets-and-opportunities": m010,
  "2026-11-27-011-consents-and-preferences": m011,
  "2026-11-27-012-campaigns": m012,
  "2026-11-27-013-price-agreements": m013,
  "2026-11-27-009-search": m009,
  "2026-11-27-014-search-fts-detail": m014,
  "2026-11-27-015-search-pg-prefixes": m015,
  "2026-12-08-016-finance-maintains-products": m016,
  "2026-12-08-017-file-read-path": m017,
  "2026-12-08-018-search-and-audit-compact": m018,
};
