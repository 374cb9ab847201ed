import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import de from "../locales/de.json";
import en from "../locales/en.json";

/** German by default; English on request (stored in the browser). */
const saved = typeof localStorage !== "undefined" ? localStorage.getItem("kundenakte.language") : null;

void i18n.use(initReactI18next).init({
  resources: { de: { translation: de }, en: { translation: en } },
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
