// Training captions for a LoRA made from a reference set. A caption names the trigger word, the class and
// what changes from shot to shot (pose, framing, expression, setting, outfit: the variation catalog's caption
// phrase) and the art style. It never names the character's identity (name, description, trait values such as
// hair or eye colour): what every caption leaves out is what the trainer binds to the trigger word.
import { InvalidInputError } from './errors.js';
import { slugify } from './slug.js';
import type { VariationSpec } from './variations.js';

const TRIGGER_WORD_MAX_LENGTH = 40;
/** Derived trigger words stop at a word boundary within this length, leaving room for the id suffix. */
const DERIVED_MAX_LENGTH = 32;
const TRIGGER_WORD = /^[a-z0-9][a-z0-9_]*$/;
const DEFAULT_CLASS_WORD = 'character';

/**
 * A trigger word is a single lowercase token: ASCII letters, digits and underscores, starting with a letter or
 * digit, 2 to 40 characters. It becomes a folder name (kohya's `10_{trigger} {class}`), part of a file name
 * and a token in every caption, so nothing that could split it (spaces), escape a folder (/, \, ..) or hide
 * (control characters) is accepted.
 */
export function validateTriggerWord(given: string): string {
  const word = given.trim();
  if (word === '') throw new InvalidInputError('triggerWord must not be empty', 'triggerWord');
  if (word.length < 2 || word.length > TRIGGER_WORD_MAX_LENGTH) {
    throw new InvalidInputError(`triggerWord must be 2 to ${TRIGGER_WORD_MAX_LENGTH} characters`, 'triggerWord');
  }
  if (!TRIGGER_WORD.test(word)) {
    throw new InvalidInputError('triggerWord may only use lowercase ASCII letters, digits and underscores (no spaces, path or control characters), starting with a letter or digit', 'triggerWord');
  }
  return word;
}

/**
 * The trigger word when none is given: the name's words in lowercase ASCII joined by underscores, cut at a
 * word within 32 characters ('Mira Thorn' → `mira_thorn`). A one-word name could be a real word ('Thorn'),
 * and a name with no Latin letters gives no word at all, so those get the last four hex digits of the
 * character's id (`thorn_4f2a`, `char_4f2a`): a token the base model has no meaning for.
 */
export function deriveTriggerWord(name: string, characterId: string): string {
  const words: string[] = [];
  for (const word of slugify(name).split('-').filter(Boolean)) {
    if ([...words, word].join('_').length > DERIVED_MAX_LENGTH) break;
    words.push(word);
  }
  if (words.length === 0) words.push('char');
  if (words.length === 1) words.push(characterId.slice(-4).toLowerCase());
  return words.join('_');
}

const GENDER_CLASSES: Record<string, string> = {
  woman: 'woman', female: 'woman', girl: 'woman', f: 'woman',
  man: 'man', male: 'man', boy: 'man', m: 'man',
};

/** One to three plain lowercase words, so a class never carries punctuation into a folder name or caption. */
function plainWords(value: string): string | null {
  const words = value.trim().toLowerCase().split(/\s+/);
  return words.length <= 3 && words.every((word) => /^[a-z]{1,20}$/.test(word)) ? words.join(' ') : null;
}

/**
 * The class word (DreamBooth's "class": what kind of thing the trigger is): a trait named `class` when it is
 * one to three plain words ('elf warrior'); else a `gender` trait read as woman or man (female, girl, … count);
 * else `character`.
 */
export function classWordFor(traits: readonly { key: string; value: string }[]): string {
  const trait = (name: string) => traits.find(({ key }) => key.trim().toLowerCase() === name)?.value;
  const declared = trait('class');
  const fromClass = declared === undefined ? null : plainWords(declared);
  if (fromClass) return fromClass;
  const gender = trait('gender')?.trim().toLowerCase();
  return (gender && GENDER_CLASSES[gender]) || DEFAULT_CLASS_WORD;
}

export interface CaptionSubject {
  /** The trigger word, or a trainer's placeholder for it (ai-toolkit's `[trigger]`). */
  trigger: string;
  classWord: string;
  style: string;
}

/** "mira_thorn character, side profile, thoughtful expression, rim lighting, watercolor style": one line. */
export function captionFor(spec: VariationSpec, subject: CaptionSubject): string {
  const style = subject.style.replace(/\s+/g, ' ').trim();
  const styleWords = style === '' || /\bstyle$/i.test(style) ? style : `${style} style`;
  return [`${subject.trigger} ${subject.classWord}`, spec.caption, styleWords].filter(Boolean).join(', ');
}
