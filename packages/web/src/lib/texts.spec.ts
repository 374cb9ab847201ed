import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("..", import.meta.url));

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function read(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** The shared texts and every feature's own texts, per language. */
function textFiles(): { name: string; de: string; en: string }[] {
  const files = [{ name: "shared", de: path.join(SRC, "locales/de.json"), en: path.join(SRC, "locales/en.json") }];
  for (const feature of readdirSync(path.join(SRC, "features"))) {
    const dir = path.join(SRC, "features", feature, "locales");
    try {
      readdirSync(dir);
    } catch {
      continue;
    }
    files.push({ name: feature, de: path.join(dir, "de.json"), en: path.join(dir, "en.json") });
  }
  return files;
}

describe("UI texts", () => {
  it.each(textFiles())("$name: German and English have the same keys, none empty", ({ de, en }) => {
    const german = keys(read(de)).sort();
    const english = keys(read(en)).sort();
    expect(english).toEqual(german);
    for (const [file, lang] of [
      [de, "de"],
      [en, "en"],
    ] as const) {
      const flat = JSON.stringify(read(file));
      expect(flat, `${lang}: an empty text`).not.toMatch(/:""/);
    }
  });
});
