import { Alert, Button, Checkbox, Paper, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ProblemError } from "../../lib/api";
import { lockMinutes } from "./session";

const MIN_PASSWORD = 10;

/**
 * The user's own account: changing the password. Changing it ends the user's other sessions
 * (this one stays) and, unless they untick it, revokes their API tokens — the form says so
 * before anything is sent.
 */
export function AccountPage() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [revokeTokens, setRevokeTokens] = useState(true);
  const [errors, setErrors] = useState<{ current?: string; next?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<"withTokens" | "keptTokens" | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    setError(null);
    const found = {
      current: current ? undefined : t("login.required"),
      next: next.length >= MIN_PASSWORD ? undefined : t("setup.passwordHint"),
    };
    setErrors(found);
    if (found.current || found.next) return;
    setBusy(true);
    try {
      await api("/auth/password", {
        method: "POST",
        body: { currentPassword: current, newPassword: next, revokeTokens },
      });
      setCurrent("");
      setNext("");
      setDone(revokeTokens ? "withTokens" : "keptTokens");
    } catch (err) {
      if (err instanceof ProblemError && err.problem.errors?.some((x) => x.code === "wrong_password")) {
        setErrors({ current: t("account.wrongPassword") });
      } else if (err instanceof ProblemError && err.problem.code === "too_many_requests") {
        setError(t("login.locked", { count: lockMinutes(err) }));
      } else setError(t("account.failed"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="lg" maw={520}>
      <Stack component="form" onSubmit={submit} aria-labelledby="account-title">
        <Title order={1} size="h3" id="account-title">
          {t("account.title")}
        </Title>
        {done && (
          <Alert color="green" role="status">
            {t(done === "withTokens" ? "account.changedWithTokens" : "account.changedKeptTokens")}
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <PasswordInput
          label={t("account.current")}
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={errors.current}
        />
        <PasswordInput
          label={t("account.new")}
          description={t("setup.passwordHint")}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
          error={errors.next}
        />
        <Text size="sm">{t("account.sessionsEnd")}</Text>
        <Checkbox
          label={t("account.revokeTokens")}
          description={t("account.revokeTokensHint")}
          checked={revokeTokens}
          onChange={(e) => setRevokeTokens(e.currentTarget.checked)}
        />
        <Button type="submit" loading={busy} w="fit-content">
          {t("account.submit")}
        </Button>
      </Stack>
    </Paper>
  );
}
