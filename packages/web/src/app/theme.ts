import {
  type CSSVariablesResolver,
  createTheme,
  Drawer,
  darken,
  defaultVariantColorsResolver,
  Modal,
  parseThemeColor,
  toRgba,
  type VariantColorsResolver,
} from "@mantine/core";

/**
 * Mantine's defaults miss WCAG AA contrast (4.5:1 for normal text) in three places the app uses
 * everywhere — the e2e accessibility test (axe-core) found them: the dimmed text colour, the text
 * of "light" badges and buttons, and white text on bright filled colours. Fixed here once.
 */
function luminance(colour: string): number {
  const { r, g, b } = toRgba(colour);
  const [lr, lg, lb] = [r, g, b].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
}
const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);

/** Darkens a colour just enough that white text on it reaches 4.5:1. */
function darkEnoughForWhite(hex: string): string {
  let colour = hex;
  for (let step = 0.05; contrastWithWhite(colour) < 4.5 && step <= 0.6; step += 0.05) colour = darken(hex, step);
  return colour;
}

const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  const shades = parsed.isThemeColor ? input.theme.colors[parsed.color] : undefined;
  if (!shades) return colors;
  if (input.variant === "light") return { ...colors, color: darken(shades[9], 0.3) };
  if (input.variant === "filled" && parsed.color !== "yellow") {
    const background = darkEnoughForWhite(shades[8]);
    return { ...colors, background, hover: darken(background, 0.1), color: "#fff" };
  }
  return colors;
};

/** The theme; `closeLabel` names the close button of every dialog for screen readers (in the UI's language). */
export const makeTheme = (closeLabel: string) =>
  createTheme({
    primaryShade: { light: 8, dark: 8 },
    // Yellow stays bright with dark text (autoContrast); every other filled colour is darkened for white text.
    autoContrast: true,
    variantColorResolver,
    components: {
      Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": closeLabel } } }),
      Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { "aria-label": closeLabel } } }),
    },
  });

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: {},
});
