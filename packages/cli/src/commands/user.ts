import { createInterface } from "node:readline";
import { migrateToLatest, SYSTEM_CONTEXT } from "@kundenakte/server";
import type { SecurityLog } from "@kundenakte/server/modules/auth/security-events";
import { createUser, resetPassword } from "@kundenakte/server/modules/auth/users.service";
import { open, run, say } from "../runtime.js";

/**
 * The password comes from standard input (piped: the first line) or, at a terminal, from a
 * prompt that does not echo — never from a command-line flag, which other users could read.
 */
async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return "";
  }
  const ask = (q: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(q)) write.call(rl, q);
      };
      rl.question(q, (a) => {
        rl.close();
        process.stderr.write("\n");
        resolve(a);
      });
    });
  const first = await ask("Password: ");
  const second = await ask("Repeat password: ");
  if (first !== second) throw new Error("the passwords differ");
  return first;
}

export interface UserCreateOptions {
  email: string;
  name: string;
  admin?: boolean;
  roles?: string;
  region?: string;
}

/** `user create`: acts as `system` (there may be no user yet to act as). */
export function userCreate(opts: UserCreateOptions): Promise<void> {
  return run(async (config) => {
    const roles = [
      ...new Set([...(opts.admin ? ["admin"] : []), ...(opts.roles?.split(",").map((r) => r.trim()) ?? [])]),
    ].filter(Boolean);
    if (roles.length === 0) throw new Error("give --admin or --roles (e.g. --roles sales,finance)");
    const password = await readPassword();
    if (password.length < 10) throw new Error("the password needs at least 10 characters");
    const db = open(config);
    try {
      await migrateToLatest(db);
      say("Acting as system");
      const user = await createUser(db, SYSTEM_CONTEXT, {
        email: opts.email,
        name: opts.name,
        password,
        roles,
        region: opts.region ?? null,
      });
      say(`Created user ${user.email} (id ${user.id}) with roles ${user.roles.join(", ")}`);
      return 0;
    } finally {
      await db.close();
    }
  });
}

/** The CLI's security events: one JSON line on standard error, shaped like the server's log lines. */
const cliSecurityLog: SecurityLog = {
  info: (line: object) => say(JSON.stringify({ level: 30, time: Date.now(), ...line })),
  warn: (line: object) => say(JSON.stringify({ level: 40, time: Date.now(), ...line })),
} as SecurityLog;

/**
 * `user password`: sets a new password for a user who lost theirs (or whose password may have
 * leaked); ends all their sessions and revokes all their API tokens. Acts as `system`.
 */
export function userPassword(opts: { email: string }): Promise<void> {
  return run(async (config) => {
    const password = await readPassword();
    if (password.length < 10) throw new Error("the password needs at least 10 characters");
    const db = open(config);
    try {
      await migrateToLatest(db);
      say("Acting as system");
      const ended = await resetPassword(db, SYSTEM_CONTEXT, opts.email, password, cliSecurityLog);
      say(
        `New password set for ${opts.email}; ${ended.endedSessions} session(s) ended, ${ended.revokedTokens} API token(s) revoked`,
      );
      return 0;
    } finally {
      await db.close();
    }
  });
}
