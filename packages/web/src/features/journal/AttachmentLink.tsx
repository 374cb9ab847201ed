import { Text } from "@mantine/core";
import { type MouseEvent, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * An attachment as a download link. The file is fetched before it is saved, so a file lost
 * from the server's store (410 `attachment_missing`) shows a sentence beside the link instead
 * of a browser download that fails without saying why.
 */
export function AttachmentLink({ href, filename }: { href: string; filename: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);

  const download = async (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    setError(null);
    const res = await fetch(href, { credentials: "same-origin" }).catch(() => null);
    if (!res?.ok) {
      const problem = (await res?.json().catch(() => null)) as { code?: string; detail?: string } | null;
      setError(
        problem?.code === "attachment_missing"
          ? t("journal.attachmentMissing")
          : t("error.generic", { detail: problem?.detail ?? res?.statusText ?? "" }),
      );
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    document.body.append(a);
    a.click();
    a.remove();
    // The browser has taken the bytes once the click is handled; free them a little later.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  return (
    <>
      <a href={href} download onClick={download}>
        {filename}
      </a>
      {error && (
        <Text component="span" display="block" size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </>
  );
}
