import type { ResolutionCategory, TicketPriority, TicketStatus, TicketType } from "@kundenakte/contract";

// The journal is read by German users: its texts are German, like the other modules' entries.

export const TYPE_DE: Record<TicketType, string> = {
  inquiry: "Anfrage",
  complaint: "Reklamation",
  service_request: "Serviceanfrage",
};

export const PRIORITY_DE: Record<TicketPriority, string> = {
  low: "niedrig",
  normal: "normal",
  high: "hoch",
  urgent: "dringend",
};

export const STATUS_DE: Record<TicketStatus, string> = {
  new: "neu",
  in_progress: "in Bearbeitung",
  waiting_for_customer: "wartet auf Kunde",
  resolved: "gelöst",
  closed: "geschlossen",
};

export const RESOLUTION_DE: Record<ResolutionCategory, string> = {
  answered: "beantwortet",
  repaired: "repariert",
  replaced: "ersetzt",
  credited: "gutgeschrieben",
  rejected: "abgelehnt",
  no_fault_found: "kein Fehler festgestellt",
  duplicate: "Duplikat",
  other: "sonstiges",
};

const dueFormat = new Intl.DateTimeFormat("de-DE", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Berlin",
});

/** "01.12.2026, 10:00" in German time. */
export const dueText = (iso: string) => dueFormat.format(new Date(iso));

export const createdSubject = (number: string, subject: string) => `Ticket ${number} angelegt: ${subject}`;

export function createdBody(t: { type: TicketType; priority: TicketPriority; dueAt: string; assignee: string | null }) {
  const parts = [TYPE_DE[t.type], `Priorität ${PRIORITY_DE[t.priority]}`, `fällig ${dueText(t.dueAt)}`];
  if (t.assignee) parts.push(`zugewiesen an ${t.assignee}`);
  return parts.join(" · ");
}

export const statusSubject = (number: string, from: TicketStatus, to: TicketStatus) =>
  `Ticket ${number} · Status: ${STATUS_DE[from]} → ${STATUS_DE[to]}`;

export const resolutionBody = (category: ResolutionCategory, resolution: string) =>
  `${RESOLUTION_DE[category]}: ${resolution}`;

export const assignmentSubject = (number: string, assignee: string | null) =>
  assignee ? `Ticket ${number} · zugewiesen an ${assignee}` : `Ticket ${number} · Zuweisung aufgehoben`;
