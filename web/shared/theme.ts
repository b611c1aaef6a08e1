import type { ThemeConfig } from "antd";

/**
 * Preset tags write shade 7 of their colour on shade 1; for these colours antd's shade 7 is below
 * 4.5:1. antd keeps each shade under two names (`green7`, legacy `green-7`) that share one CSS
 * variable, so both are set.
 */
const TAG_TEXT = { green: "#237804", orange: "#ad4e00", gold: "#874d00", yellow: "#876800", lime: "#3f6600", cyan: "#006d75", volcano: "#ad2102" };
const tagText = Object.fromEntries(
  Object.entries(TAG_TEXT).flatMap(([colour, text]) => [
    [`${colour}7`, text],
    [`${colour}-7`, text],
  ]),
);

/**
 * The console's and the portal's antd theme. antd's defaults put several text colours below the
 * WCAG AA 4.5:1 contrast ratio (secondary text, placeholders, green and orange tags, danger
 * buttons, links); these tokens lift each one above it on white and on the light greys antd uses
 * for fills, while keeping the calm dark-blue look.
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: "#1f4e79",
    borderRadius: 4,
    // From a dark primary antd derives a grey tint (#adb4b8) for selections; a light blue reads better.
    colorPrimaryBg: "#e8eff6",
    colorPrimaryBgHover: "#d5e2ee",
    // Secondary text, hints, descriptions, statistic titles: 5.4:1 even on #f0f0f0.
    colorTextTertiary: "rgba(0, 0, 0, 0.62)",
    colorTextPlaceholder: "rgba(0, 0, 0, 0.57)",
    colorError: "#cf1322",
    colorLink: "#0958d9",
    colorSuccessText: "#237804",
    colorWarningText: "#ad4e00",
    ...tagText,
  },
  components: {
    // Status tags write the bright status colour on its pale background; darker text, same look.
    Tag: { colorSuccess: "#237804", colorWarning: "#ad4e00", colorInfo: "#0958d9" },
    // A finished progress writes its percentage in the status colour (axe skips text inside a progressbar).
    Progress: { colorSuccess: "#237804" },
  },
};
