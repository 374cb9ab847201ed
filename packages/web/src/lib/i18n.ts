import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import de from "../locales/de.json";
import en from "../locales/en.json";

type Messages = { [key: string]: string | Messages };

// Each feature may keep its own texts beside its code (features/<name>/locales/de.json, en.json),
// so features grow without all editing one file; they are merged into the shared texts.
const featureTexts = import.meta.glob<Messages>("../features/*/locales/*.json", { eager: true, import: "default" });

function merge(target: Messages, source: Messages): Messages {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] = typeof value === "object" && typeof existing === "object" ? merge({ ...existing }, value) : value;
  }
  return target;
}

function texts(language: "de" | "en", shared: Messages): Messages {
  let result: Messages = { ...shared };
  for (const [path, messages] of Object.entries(featureTexts)) {
    if (path.endsWith(`/${language}.json`)) result = merge(result, messages);
  }
  return result;
}

/** German by default; English on request (stored in the browser). */
const saved = typeof localStorage !== "undefined" ? localStorage.getItem("kundenakte.language") : null;

void i18n.use(initReactI18next).init({
  resources: { de: { translation: texts("de", de) }, en: { translation: texts("en", en) } },
  lng: saved === "en" ? "en" : "de",
  fallbackLng: "de",
  interpolation: { escapeValue: false },
});

export function setLanguage(language: "de" | "en"): void {
  localStorage.setItem("kundenakte.language", language);
  void i18n.changeLanguage(language);
  document.documentElement.lang = language;
}

export default i18n;
