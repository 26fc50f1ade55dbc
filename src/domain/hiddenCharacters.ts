// Characters that make text display as something other than what it is: controls, bidi overrides and
// isolates, zero-width spaces, private-use code points. Two kinds of format characters are part of how a
// name is written, though, and are accepted where (and only where) they do that job:
// - the zero-width joiner inside an emoji sequence (🧙‍♀️, 👩🏽‍🚀, 🏳️‍🌈) and the tag characters of a
//   subdivision flag (🏴 + tags + cancel tag);
// - the zero-width non-joiner and joiner inside a word of a script they shape: Arabic-family cursive joining
//   (Persian "می‌خواهم") and Brahmic conjuncts and chillus (Hindi "क्‍ष", Malayalam "ന്‍").
// Between letters of different scripts, or in a script they do not shape (Latin), a joiner changes nothing
// visible and could only hide a difference between two names (spoofing), so it stays refused.

const ALWAYS_HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029]/u;
// Descriptions may span lines: tab and line feed are allowed there.
const HIDDEN_EXCEPT_LINE_BREAKS = /[\p{Cf}\p{Co}\p{Cs}\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;

/** Scripts whose letters a ZWNJ/ZWJ between them visibly changes (cursive joining, conjunct forming). */
const SHAPED_SCRIPTS = [
  'Arabic', 'Syriac', 'Nko', 'Mongolian', 'Mandaic', 'Adlam', 'Hanifi_Rohingya',
  'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam',
  'Sinhala', 'Tibetan', 'Myanmar', 'Khmer',
];

const JOINER_IN_WORD = SHAPED_SCRIPTS.map(
  // Between two characters of the script; or a ZWJ after one of its marks (a virama) ending a word: a chillu.
  (script) => `(?<=\\p{Script=${script}})[\\u200C\\u200D](?=\\p{Script=${script}})|(?<=\\p{Script=${script}})(?<=\\p{M})\\u200D(?![\\p{L}\\p{M}])`,
).join('|');
const JOINER_IN_EMOJI = '(?<=[\\p{Extended_Pictographic}\\p{Emoji_Modifier}\\uFE0F])\\u200D(?=\\p{Extended_Pictographic})';
const FLAG_TAGS = '(?<=\\u{1F3F4})[\\u{E0020}-\\u{E007E}]+\\u{E007F}';
const MEANINGFUL_FORMAT_CHARACTERS = new RegExp(`${JOINER_IN_EMOJI}|${FLAG_TAGS}|${JOINER_IN_WORD}`, 'gu');

/** True when `text` holds a control or invisible formatting character that is not part of its writing. */
export function hasHiddenCharacters(text: string, options: { multiline?: boolean } = {}): boolean {
  const rest = text.replace(MEANINGFUL_FORMAT_CHARACTERS, '');
  return (options.multiline ? HIDDEN_EXCEPT_LINE_BREAKS : ALWAYS_HIDDEN).test(rest);
}
