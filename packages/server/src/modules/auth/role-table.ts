import { BUILT_IN_ROLES, RESOURCES } from "@kundenakte/contract";
import { BUILT_IN_ROLE_DEFINITIONS } from "./built-in-roles.js";

/** README.md's role table sits between these markers; `npm run docs:roles` rewrites it. */
export const ROLE_TABLE_START = "<!-- role-table:start -->";
export const ROLE_TABLE_END = "<!-- role-table:end -->";

const LETTERS = [
  ["read", "R"],
  ["create", "C"],
  ["update", "U"],
  ["delete", "D"],
] as const;

/** The built-in roles as a Markdown table: a row per resource, a column per role, R/C/U/D per cell. */
export function roleTableMarkdown(): string {
  const header = ["resource", ...BUILT_IN_ROLES.map((r) => `${r} (${BUILT_IN_ROLE_DEFINITIONS[r].name})`)];
  const rows = RESOURCES.map((resource) => [
    `\`${resource}\``,
    ...BUILT_IN_ROLES.map((role) => {
      const granted = new Set(BUILT_IN_ROLE_DEFINITIONS[role].permissions);
      const cell = LETTERS.filter(([action]) => granted.has(`${resource}.${action}` as never))
        .map(([, letter]) => letter)
        .join(" ");
      return cell || "–";
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** `readme` with its role table section replaced by the generated one; throws without the markers. */
export function withRoleTable(readme: string): string {
  const start = readme.indexOf(ROLE_TABLE_START);
  const end = readme.indexOf(ROLE_TABLE_END);
  if (start < 0 || end < start) throw new Error("README.md has no role table markers");
  const legend = "R read, C create, U update, D delete; – none.";
  return `${readme.slice(0, start)}${ROLE_TABLE_START}\n\n${roleTableMarkdown()}\n\n${legend}\n\n${readme.slice(end)}`;
}
