// The caption rules: a trigger word that is one safe token, a class word from the traits, and captions that
// say what changes in each shot and nothing of who the character is.
import { describe, expect, it } from 'vitest';
import { captionFor, classWordFor, deriveTriggerWord, validateTriggerWord } from '../../src/domain/captions.js';
import { InvalidInputError } from '../../src/domain/errors.js';
import { identityPhrase } from '../../src/domain/prompts.js';
import { VARIATIONS } from '../../src/domain/variations.js';

const ID = '65f1c0ffee0123456789abcd';

describe('trigger words', () => {
  it.each([
    ['Mira Thorn', 'mira_thorn'],
    ['Zoë «龍» O\'Neil', 'zoe_o_neil'],
    ['Thorn', 'thorn_abcd'],
    ['龍', 'char_abcd'],
    ['Sir Reginald Fortescue-Smythe of Lower Wallop', 'sir_reginald_fortescue_smythe_of'],
  ])('derives %j → %s', (name, expected) => {
    const trigger = deriveTriggerWord(name, ID);
    expect(trigger).toBe(expected);
    expect(validateTriggerWord(trigger)).toBe(trigger);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['a space', 'mira thorn'],
    ['a slash', 'mira/thorn'],
    ['a backslash', 'mira\\thorn'],
    ['a parent folder', '..'],
    ['a NUL byte', 'mira\u0000'],
    ['a newline', 'mira\nthorn'],
    ['too long', 'm'.repeat(41)],
    ['one character', 'm'],
    ['uppercase', 'MiraThorn'],
    ['a leading underscore', '_mira'],
    ['a comma', 'mira,thorn'],
  ])('refuses %s with InvalidInputError on triggerWord', (_, word) => {
    expect(() => validateTriggerWord(word)).toThrow(InvalidInputError);
    try {
      validateTriggerWord(word);
    } catch (error) {
      expect((error as InvalidInputError).field).toBe('triggerWord');
    }
  });

  it('accepts a chosen token as given (trimmed)', () => {
    expect(validateTriggerWord(' ohwx_mira2 ')).toBe('ohwx_mira2');
  });
});

describe('class words', () => {
  it.each([
    [[{ key: 'class', value: 'Elf Warrior' }], 'elf warrior'],
    [[{ key: 'gender', value: 'female' }], 'woman'],
    [[{ key: 'Gender', value: 'Male' }], 'man'],
    [[{ key: 'class', value: 'robot/../x' }, { key: 'gender', value: 'woman' }], 'woman'],
    [[{ key: 'gender', value: 'nonbinary' }], 'character'],
    [[{ key: 'hair', value: 'auburn' }], 'character'],
  ])('%j → %s', (traits, expected) => {
    expect(classWordFor(traits)).toBe(expected);
  });
});

describe('captions', () => {
  const subject = {
    name: 'Mira Thorn',
    description: 'a travelling cartographer',
    traits: { hair: 'auburn braid', eyes: 'green', outfit: 'leather coat' },
    style: 'watercolor',
  };

  it('names the trigger, the class, the shot and the style, on one line', () => {
    const side = VARIATIONS.find(({ type }) => type === 'portrait_side')!;
    expect(captionFor(side, { trigger: 'mira_thorn', classWord: 'woman', style: subject.style })).toBe('mira_thorn woman, side profile, thoughtful expression, rim lighting, watercolor style');
    expect(captionFor(side, { trigger: '[trigger]', classWord: 'woman', style: 'ink  \n style' })).toBe('[trigger] woman, side profile, thoughtful expression, rim lighting, ink style');
  });

  it('keeps every identity word of the prompt out of every caption, and differs per shot', () => {
    const identityWords = ['mira', 'thorn', 'cartographer', 'travelling', 'auburn', 'braid', 'green', 'leather', 'coat'];
    expect(identityPhrase(subject).toLowerCase()).toContain('auburn');
    const captions = VARIATIONS.map((spec) => captionFor(spec, { trigger: 'ohwx', classWord: 'woman', style: subject.style }));
    for (const caption of captions) {
      for (const word of identityWords) expect(caption.toLowerCase()).not.toContain(word);
      expect(caption).not.toMatch(/\n/);
    }
    expect(new Set(captions).size).toBe(VARIATIONS.length);
  });
});
