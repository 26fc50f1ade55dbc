// Colour words as people write them in traits ("auburn", "dark brown", "pale", "#3a7bd5"), resolved per
// feature: "brown" hair, "brown" eyes and "brown" skin are three different browns.
import { darken, lighten, normalizeHex } from './color.js';

export type ColouredFeature = 'hair' | 'skin' | 'eyes' | 'outfit';

const GENERAL: Readonly<Record<string, string>> = {
  red: '#c0392b', crimson: '#a31621', scarlet: '#d0312d', maroon: '#7b1e2b', burgundy: '#6d1a2e', wine: '#6d1a2e',
  orange: '#e67e22', amber: '#e39b1a', yellow: '#f1c40f', gold: '#d4a017', golden: '#d4a017', mustard: '#c9a227',
  green: '#2e8b57', emerald: '#1f9d6b', olive: '#708238', lime: '#8fce3c', forest: '#2d5a35', mint: '#8fd8b5',
  teal: '#1a9e9a', turquoise: '#30c5c0', cyan: '#2bb5d8', aqua: '#30c5c0',
  blue: '#2f6fd0', navy: '#1f2f5c', azure: '#3a8ee6', sky: '#74b9ff', cobalt: '#2546a8', sapphire: '#24479b',
  indigo: '#4b3a9c', purple: '#7d3c98', violet: '#8e5ad8', lavender: '#b49ce0', lilac: '#c3a6e0', plum: '#6e3566',
  magenta: '#c2317f', pink: '#e889b0', rose: '#d9607e', coral: '#ef7c62', peach: '#f3b58f', salmon: '#f08a72',
  brown: '#7a4b2a', chocolate: '#5a341c', tan: '#c8a27a', beige: '#d8c3a0', khaki: '#b5a46a', cream: '#f1e6c8',
  white: '#f2f2f0', ivory: '#f4efe0', grey: '#8a8d93', gray: '#8a8d93', silver: '#c0c4cc', charcoal: '#36393f',
  black: '#23232a', denim: '#3b5b8c', leather: '#5a3a22', bronze: '#a0692e', copper: '#b5642f',
};

const BY_FEATURE: Readonly<Record<ColouredFeature, Readonly<Record<string, string>>>> = {
  hair: {
    red: '#b5332e', ginger: '#c8622c', copper: '#b5642f', auburn: '#8d3b22', strawberry: '#d88a5a',
    blonde: '#e8c872', blond: '#e8c872', golden: '#d9a93a', honey: '#d6a04c', platinum: '#ece3c8', sandy: '#cfae7b',
    brown: '#6b4226', chestnut: '#7b3f1d', brunette: '#4e3020', black: '#1d1a1c', raven: '#15131a', jet: '#111014',
    grey: '#8e8e92', gray: '#8e8e92', silver: '#c5c7cf', white: '#eeeeec', snow: '#f4f4f6', dark: '#2b1e18',
  },
  skin: {
    pale: '#f6dccb', porcelain: '#f8e3d6', fair: '#f1d0b5', light: '#eac3a1', peach: '#f0c2a0', rosy: '#efbfa8',
    olive: '#c49a6c', tan: '#c68c5a', tanned: '#c68c5a', golden: '#d9a066', bronze: '#a8703f', caramel: '#b27a48',
    brown: '#8d5a3b', dark: '#5e3a26', deep: '#4a2c1d', ebony: '#3b2419', medium: '#d2a07a',
  },
  eyes: {
    blue: '#3a7bd5', green: '#3c9a4c', hazel: '#8e6b2f', brown: '#5b3a1e', amber: '#c98a1b', grey: '#7d8793',
    gray: '#7d8793', violet: '#7e4fc2', gold: '#caa12b', golden: '#caa12b', red: '#c0262b', black: '#1b1b1b',
    silver: '#b8bec8', ice: '#a9d6f0', dark: '#3a2616',
  },
  outfit: {},
};

/** Words that shade a colour named beside them ("dark brown"); alone, a feature may treat them as a colour ("pale" skin). */
const SHADES: Readonly<Record<string, number>> = { light: 0.3, pale: 0.35, bright: 0.15, pastel: 0.45, dark: -0.35, deep: -0.3 };

function colourOfWord(word: string, feature: ColouredFeature): string | undefined {
  return BY_FEATURE[feature][word] ?? GENERAL[word];
}

/**
 * The colour a phrase names for a feature, or null when it names none: a hex code wins, then the first colour
 * word ("red hair with silver streaks" is red), shaded by a word like "dark" or "light" just before it.
 */
export function colourFromPhrase(phrase: string, feature: ColouredFeature): string | null {
  const hex = /#(?:[0-9a-f]{6}|[0-9a-f]{3})\b/i.exec(phrase);
  if (hex) return normalizeHex(hex[0]);
  const words = phrase.toLowerCase().split(/[^a-z]+/).filter(Boolean);
  let shade = 0;
  for (const word of words) {
    const shadeAmount = SHADES[word];
    if (shadeAmount !== undefined) {
      shade = shadeAmount;
      continue;
    }
    const base = colourOfWord(word, feature);
    if (base) return shade > 0 ? lighten(base, shade) : shade < 0 ? darken(base, -shade) : base;
    shade = 0;
  }
  // A shade word alone can be the colour itself ("pale", "dark" skin; "dark" eyes).
  const alone = words.find((word) => SHADES[word] !== undefined && BY_FEATURE[feature][word]);
  return alone ? (BY_FEATURE[feature][alone] ?? null) : null;
}

/** Natural-looking choices for characters whose traits name no colour, picked by a hash of who they are. */
export const NATURAL = {
  hair: ['#1d1a1c', '#4e3020', '#6b4226', '#7b3f1d', '#8d3b22', '#b5332e', '#c8622c', '#e8c872', '#d9a93a', '#c5c7cf', '#2f6fd0', '#e889b0', '#7d3c98'],
  skin: ['#f6dccb', '#f1d0b5', '#eac3a1', '#d2a07a', '#c49a6c', '#c68c5a', '#a8703f', '#8d5a3b', '#5e3a26', '#4a2c1d'],
  eyes: ['#3a7bd5', '#3c9a4c', '#8e6b2f', '#5b3a1e', '#c98a1b', '#7d8793', '#7e4fc2'],
} as const;
