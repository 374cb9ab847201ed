// When a build is stale: the newest modification time of the files below some paths.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** The newest mtime (ms) of `rel` (a file or a folder, walked) below `root`; 0 when it does not exist. */
export function newest(root, rel) {
  const full = path.join(root, rel);
  if (!existsSync(full)) return 0;
  const st = statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(full).map((f) => newest(root, path.join(rel, f))));
}
