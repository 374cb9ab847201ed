import { createHash, randomBytes } from "node:crypto";
import type { ReadStream } from "node:fs";
import { type FileHandle, mkdir, open as openFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Files on disk, one per content: the name is the SHA-256 of the bytes, so the same
 * attachment in a hundred mails is stored once. Writes go to a temporary name and are
 * renamed into place, so a reader never sees half a file.
 */
export class AttachmentStore {
  constructor(
    readonly dir: string,
    readonly maxBytes: number,
  ) {}

  private pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const target = this.pathOf(sha256);
    try {
      await stat(target);
      return sha256;
    } catch {
      // not stored yet
    }
    await mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, target);
    return sha256;
  }

  /**
   * Opens a stored file for sending, or null when it is missing or not of the recorded size
   * (lost or damaged in the store: e.g. a restore without the attachments). Opened before
   * the answer starts, so a lost file is a clear error and not a broken stream.
   */
  async openChecked(sha256: string, size: number): Promise<ReadStream | null> {
    let handle: FileHandle;
    try {
      handle = await openFile(this.pathOf(sha256), "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    if ((await handle.stat()).size !== size) {
      await handle.close();
      return null;
    }
    return handle.createReadStream();
  }
}
