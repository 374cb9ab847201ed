/**
 * The first line of a letter or e-mail ("Sehr geehrte Frau Dr. Müller,"), generated from a contact's or
 * private customer's name fields. German is the default; English is used only when the language is "en".
 */

export interface SalutationInput {
  salutation: "mr" | "ms" | "diverse" | null;
  title: string | null;
  firstName: string | null;
  lastName: string | null;
  /** Formal (Sie) or informal (du). */
  formal: boolean;
  /** ISO 639-1; everything but "en" gets German. */
  language: string;
}

const GERMAN_NOBODY = "Sehr geehrte Damen und Herren,";
const ENGLISH_NOBODY = "Dear Sir or Madam,";

// Blank fields count as missing so that " " from a form never ends up as "Sehr geehrter Herr  ,".
const clean = (s: string | null): string | null => {
  const t = s?.trim();
  return t ? t : null;
};

const isEnglish = (language: string): boolean => language.trim().toLowerCase() === "en";

const join = (...parts: (string | null)[]): string => parts.filter((p) => p !== null).join(" ");

export function letterSalutation(p: SalutationInput): string {
  const title = clean(p.title);
  const firstName = clean(p.firstName);
  const lastName = clean(p.lastName);
  const english = isEnglish(p.language);

  // Informal only works with a first name; "Hallo Müller," would be rude, so fall back to the formal form.
  if (!p.formal && firstName) return english ? `Dear ${firstName},` : `Hallo ${firstName},`;

  if (!lastName) return english ? ENGLISH_NOBODY : GERMAN_NOBODY;

  if (english) {
    // In English an academic title takes the place of Mr/Ms ("Dear Dr. Müller,"), whatever the gender.
    if (title) return `Dear ${title} ${lastName},`;
    if (p.salutation === "ms") return `Dear Ms ${lastName},`;
    if (p.salutation === "mr") return `Dear Mr ${lastName},`;
    return `Dear ${join(firstName, lastName)},`;
  }

  // German keeps the title after Frau/Herr ("Sehr geehrte Frau Dr. Müller,").
  if (p.salutation === "ms") return `Sehr geehrte Frau ${join(title, lastName)},`;
  if (p.salutation === "mr") return `Sehr geehrter Herr ${join(title, lastName)},`;
  // Without a gendered form, the full name avoids guessing: "Guten Tag Dr. Anna Müller,".
  return `Guten Tag ${join(title, firstName, lastName)},`;
}

/** For a company without a named contact. */
export function companySalutation(language: string): string {
  return isEnglish(language) ? ENGLISH_NOBODY : GERMAN_NOBODY;
}
