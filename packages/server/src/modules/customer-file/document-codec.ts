import { deflateRawSync, inflateRawSync } from "node:zlib";
import { DOCUMENT_DICTIONARY_1 } from "./document-dictionary.js";

/**
 * How a customer file document is stored: one format byte, then the JSON text compressed with
 * raw deflate and a preset dictionary (format 1). 100,000 documents took 554 MB as text
 * (5 kB each, two pages apiece in SQLite, out-of-line in PostgreSQL's TOAST) and take 105 MB
 * of SQLite pages compressed (~600 bytes each). The price is on the file endpoint: inflating
 * one costs ~15 µs, a little more than the page reads it saves (measured: read + inflate
 * ~36 µs against ~23 µs for the text, SQLite, 100,000 customers) — paid for the disk target.
 * Text, or bytes starting with `{`, is a document stored before compression: migration 017
 * reads those to compress them, and its `down` writes them back.
 */
const FORMAT_DEFLATE_DICTIONARY_1 = 1;
const DICTIONARY_1 = Buffer.from(DOCUMENT_DICTIONARY_1, "utf8");
const OPEN_BRACE = 0x7b;

/** The stored bytes of a document. */
export function encodeDocument(json: string): Buffer {
  const packed = deflateRawSync(Buffer.from(json, "utf8"), { dictionary: DICTIONARY_1 });
  const out = Buffer.allocUnsafe(packed.length + 1);
  out[0] = FORMAT_DEFLATE_DICTIONARY_1;
  packed.copy(out, 1);
  return out;
}

/**
 * The JSON of a stored document as UTF-8 bytes (from either engine, or text of the old
 * format): the file endpoint sends them as they are, without decoding them into a string and
 * encoding that again.
 */
export function decodeDocumentBytes(stored: Uint8Array | string): Buffer {
  if (typeof stored === "string") return Buffer.from(stored, "utf8");
  const bytes = Buffer.isBuffer(stored) ? stored : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  if (bytes[0] === OPEN_BRACE) return bytes;
  if (bytes[0] === FORMAT_DEFLATE_DICTIONARY_1) return inflateRawSync(bytes.subarray(1), { dictionary: DICTIONARY_1 });
  throw new Error(`Stored customer file document in unknown format ${bytes[0]}`);
}

/** The JSON text of a stored document. */
export function decodeDocument(stored: Uint8Array | string): string {
  return typeof stored === "string" ? stored : decodeDocumentBytes(stored).toString("utf8");
}
