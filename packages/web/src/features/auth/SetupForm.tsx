import type { User } from "@kundenakte/contract";
import { Alert, Button, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, ProblemError } from "../../lib/api";

/**
 * The one-time setup of a fresh installation: the first administrator. The server refuses it
 * as soon as an administrator exists, so this form only appears on a new installation.
 */
export function SetupForm({ onDone }: { onDone: (email: string, password: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await api<User>("/auth/setup", { method: "POST", body: { name, email, password } });
      onDone(email, password);
    } catch (err) {
      if (err instanceof ProblemError && err.problem.errors?.length) {
        // The server names the fields at fault; show each message on its field.
        setErrors(Object.fromEntries(err.problem.errors.map((x) => [x.field, x.message])));
      } else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Stack component="form" onSubmit={submit} aria-labelledby="setup-title">
      <Title order={1} size="h2" id="setup-title">
        {t("setup.title")}
      </Title>
      <Text size="sm">{t("setup.intro")}</Text>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <TextInput
        label={t("setup.name")}
        value={name}
        onChange={(e) => setName(e.currentTarget.value)}
        error={errors.name}
        required
      />
      <TextInput
        label={t("login.email")}
        type="email"
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
        error={errors.email}
        required
      />
      <PasswordInput
        label={t("login.password")}
        description={t("setup.passwordHint")}
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        error={errors.password}
        required
      />
      <Button type="submit" loading={busy}>
        {t("setup.submit")}
      </Button>
    </Stack>
  );
}
