import { createHash, randomBytes } from "node:crypto";
import { createReadStream, type ReadStream } from "node:fs";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
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

  open(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }
}
