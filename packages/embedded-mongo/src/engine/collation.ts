// Collations (https://www.mongodb.com/docs/manual/reference/collation/) on Intl.Collator, whose ICU is the
// same library the server uses: locale, strength, caseLevel, caseFirst, numericOrdering and alternate map
// onto it. What Intl cannot express (backwards, maxVariable other than the default) is refused.
import type { Document } from 'bson';
import { CommandError, notSupported } from '../commands/errors.js';
import { promote } from './typed.js';
import { shellValue, valueKey } from './values.js';

export interface Collation {
  /** As the client gave it (listIndexes and listCollections show it so), with the default strength filled in. */
  spec: Document;
  /** The same with a BCP 47 locale, for mingo's $sort, which hands the locale to Intl.Collator. */
  intlSpec: Document;
  collator: Intl.Collator;
}

const FIELDS = new Set(['locale', 'caseLevel', 'caseFirst', 'strength', 'numericOrdering', 'alternate', 'maxVariable', 'normalization', 'backwards', 'version']);
const cache = new Map<string, Collation | undefined>();

/** The BCP 47 tag of a MongoDB locale: en_US → en-US, de@collation=phonebook → de-u-co-phonebk. */
function languageTag(locale: string): string {
  const [base, keywords] = locale.split('@') as [string, string | undefined];
  let tag = base === 'root' ? 'und' : base.replace(/_/g, '-');
  const collation = /collation=(\w+)/.exec(keywords ?? '')?.[1];
  if (collation) tag += `-u-co-${collation === 'phonebook' ? 'phonebk' : collation === 'dictionary' ? 'dict' : collation === 'traditional' ? 'trad' : collation}`;
  return tag;
}

function invalid(message: string): CommandError {
  return new CommandError('BadValue', message);
}

/**
 * The collation a command asks for; undefined for none or the simple (binary) collation. Throws the server's
 * errors for a malformed specification.
 */
export function parseCollation(raw: unknown): Collation | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new CommandError('TypeMismatch', "BSON field 'collation' is the wrong type, expected type 'object'");
  const spec = promote(raw as Document);
  if (Object.keys(spec).length === 0) return undefined;
  const key = valueKey(spec);
  if (cache.has(key)) return cache.get(key);
  const collation = build(spec);
  if (cache.size > 200) cache.clear();
  cache.set(key, collation);
  return collation;
}

function build(spec: Document): Collation | undefined {
  for (const field of Object.keys(spec)) if (!FIELDS.has(field)) throw new CommandError('Location40415', `BSON field 'collation.${field}' is an unknown field.`, {}, 40415);
  if (typeof spec.locale !== 'string') throw new CommandError('Location40414', "BSON field 'collation.locale' is missing but a required field", {}, 40414);
  if (spec.locale === 'simple') {
    if (Object.keys(spec).length > 1) throw invalid(`If "locale" is set to "simple", then all other collation fields must be empty, but found: ${JSON.stringify(spec)}`);
    return undefined;
  }
  const strength = spec.strength === undefined ? 3 : Number(spec.strength);
  if (![1, 2, 3, 4, 5].includes(strength)) throw new CommandError('Location51024', `BSON field 'strength' value must be ${strength < 1 ? '>= 1' : '<= 5'}, actual value '${String(spec.strength)}'`, {}, 51024);
  if (spec.caseFirst !== undefined && !['upper', 'lower', 'off'].includes(spec.caseFirst as string)) throw invalid(`Field 'caseFirst' must be 'upper', 'lower', or 'off'. Got: ${String(spec.caseFirst)}`);
  if (spec.alternate !== undefined && !['non-ignorable', 'shifted'].includes(spec.alternate as string)) throw invalid(`Field 'alternate' must be 'non-ignorable' or 'shifted'. Got: ${String(spec.alternate)}`);
  if (spec.backwards === true) throw notSupported('collation option backwards');
  if (spec.maxVariable !== undefined && spec.maxVariable !== 'punct') throw notSupported(`collation maxVariable '${String(spec.maxVariable)}'`);
  const tag = languageTag(spec.locale);
  let supported: string[];
  try {
    supported = Intl.Collator.supportedLocalesOf(tag);
  } catch {
    supported = [];
  }
  if (supported.length === 0) throw invalid(`Field 'locale' is invalid in: ${shellValue(spec)}`);
  const caseLevel = spec.caseLevel === true;
  const sensitivity: Intl.CollatorOptions['sensitivity'] = strength === 1 ? (caseLevel ? 'case' : 'base') : strength === 2 ? (caseLevel ? 'variant' : 'accent') : 'variant';
  const collator = new Intl.Collator(tag, {
    usage: 'sort',
    sensitivity,
    caseFirst: spec.caseFirst === 'upper' ? 'upper' : spec.caseFirst === 'lower' ? 'lower' : 'false',
    numeric: spec.numericOrdering === true,
    ignorePunctuation: spec.alternate === 'shifted',
  });
  return { spec: { ...spec, strength }, intlSpec: { ...spec, locale: tag, strength: Math.min(strength, 3) }, collator };
}

/** The collation a read or write uses: its own, else the collection's default. */
export function effectiveCollation(own: unknown, collectionDefault: Document | undefined): Collation | undefined {
  return own !== undefined && own !== null ? parseCollation(own) : parseCollation(collectionDefault);
}
