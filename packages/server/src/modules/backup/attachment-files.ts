import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { type ManifestAttachment, pathOfAttachment } from "./backup-manifest.js";

/** What is wrong with one stored file, or null when it is there with the right bytes. */
export type FileFault = "missing" | "wrong size" | "wrong hash";

/** SHA-256 of a file, streamed; null when the file does not exist. */
async function hashFile(file: string): Promise<{ sha256: string; size: number } | null> {
  const hash = createHash("sha256");
  let size = 0;
  try {
    await pipeline(createReadStream(file), async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        hash.update(chunk);
        size += chunk.length;
      }
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  return { sha256: hash.digest("hex"), size };
}

/** Checks one content-addressed file in `dir`: present, of the recorded size, and its bytes hash to its name. */
export async function checkFile(dir: string, expected: ManifestAttachment): Promise<FileFault | null> {
  const found = await hashFile(pathOfAttachment(dir, expected.sha256));
  if (!found) return "missing";
  if (found.size !== expected.size) return "wrong size";
  if (found.sha256 !== expected.sha256) return "wrong hash";
  return null;
}

/** SHA-256 and size of a file that must exist (a backup's database file). */
export async function digestOf(file: string): Promise<{ sha256: string; size: number }> {
  const found = await hashFile(file);
  if (!found) throw new Error(`${file} does not exist`);
  return found;
}

/**
 * Copies one content-addressed file from one store to another, checking its hash on the way;
 * the copy is renamed into place only when it is right, so a target never holds a bad file.
 * A target that already holds the right bytes is left alone.
 */
export async function copyFile(fromDir: string, toDir: string, file: ManifestAttachment): Promise<FileFault | null> {
  if ((await checkFile(toDir, file)) === null) return null;
  const source = pathOfAttachment(fromDir, file.sha256);
  const target = pathOfAttachment(toDir, file.sha256);
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
  const hash = createHash("sha256");
  let size = 0;
  try {
    await pipeline(
      createReadStream(source),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      },
      createWriteStream(tmp),
    );
  } catch (err) {
    await rm(tmp, { force: true });
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw err;
  }
  const fault: FileFault | null =
    size !== file.size ? "wrong size" : hash.digest("hex") !== file.sha256 ? "wrong hash" : null;
  if (fault) {
    await rm(tmp, { force: true });
    return fault;
  }
  await rename(tmp, target);
  return null;
}

/** True when the directory does not exist or holds nothing. */
export async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
  } catch {
    return true;
  }
  return (await readdir(dir)).length === 0;
}
