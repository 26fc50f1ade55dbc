// What a user reads inside a training-set archive, word for word: the README's account of the set, the
// ai-toolkit job's name and sample prompts, diffusers' validation prompt; and the zip writer's refusals.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { VARIATIONS } from '../../src/domain/variations.js';
import { trainingSetArchive, type TrainingSet } from '../../src/exports/index.js';
import { zipArchive } from '../../src/exports/archive.js';

const PIXEL = new Uint8Array([137, 80, 78, 71]);

function trainingSet(imageCount: number, excluded: TrainingSet['excluded'] = []): TrainingSet {
  return {
    characterName: 'Mira Thorn',
    trigger: 'mira_thorn',
    classWord: 'woman',
    style: 'watercolor',
    images: VARIATIONS.slice(0, imageCount).map((spec) => ({ spec, fileName: `${spec.type}.png`, bytes: PIXEL, width: 512, height: 768 })),
    excluded,
  };
}

function filesOf(set: TrainingSet, format: Parameters<typeof trainingSetArchive>[0]): Record<string, string> {
  const files = unzipSync(trainingSetArchive(format, set, new Date('2026-12-03T12:00:00Z')));
  return Object.fromEntries(Object.entries(files).filter(([name]) => !name.endsWith('.png')).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

const firstCaption = `${VARIATIONS[0]!.caption}, watercolor style`;

describe('README.txt of a training set', () => {
  it('tells what the set is, how it is captioned, the schedule, and what was left out and why', () => {
    const readme = filesOf(trainingSet(8, [{ variation: 'outfit_variation', reason: 'failed: backend timeout' }, { variation: 'sitting_casual', reason: 'drifted from the character' }]), 'KOHYA')['README.txt'];
    expect(readme?.split('\n').slice(0, 16).join('\n')).toBe(
      [
        'LoRA training set for "Mira Thorn", laid out for kohya-ss/sd-scripts. Exported by charsheet.',
        '',
        'Trigger word: mira_thorn    Class: woman    Images: 8    Resolution: 768',
        '',
        'Captions name the trigger word, the class, what changes in each shot (pose, framing, expression,',
        "setting, outfit) and the art style. They never describe the character's looks: whatever no caption",
        'names is what training binds to the trigger word. Prompt with the trigger word and the class to get',
        'the character: "mira_thorn woman, reading in a library".',
        '',
        'Proposed schedule: about 1000 steps at batch size 1 (10 epochs of about 100 steps), so each of the',
        '8 images is seen about 125 times. Ten images or fewer is the low end for a character LoRA:',
        'stop early if samples start to copy the training images exactly.',
        '',
        'Left out of this set:',
        '  outfit_variation: failed: backend timeout',
        '  sitting_casual: drifted from the character',
      ].join('\n'),
    );
  });

  it('names the trainer each format is laid out for', () => {
    const set = trainingSet(10);
    expect(filesOf(set, 'AI_TOOLKIT')['README.txt']).toMatch(/^LoRA training set for "Mira Thorn", laid out for ostris\/ai-toolkit\./);
    expect(filesOf(set, 'DIFFUSERS')['README.txt']).toMatch(/^LoRA training set for "Mira Thorn", laid out for Hugging Face diffusers \(datasets ImageFolder\)\./);
  });

  it('gives the training resolution as the longest side of the largest image', () => {
    const set = trainingSet(3);
    const sizes = [[512, 512], [640, 1024], [768, 768]] as const;
    const mixed = { ...set, images: set.images.map((image, index) => ({ ...image, width: sizes[index]![0], height: sizes[index]![1] })) };
    expect(filesOf(mixed, 'KOHYA')['README.txt']).toContain('Resolution: 1024\n');
  });

  it('KOHYA: both sd-scripts commands carry the model, output and schedule options', () => {
    const readme = filesOf(trainingSet(10), 'KOHYA')['README.txt'] ?? '';
    for (const line of [
      '  --pretrained_model_name_or_path=/path/to/base-model.safetensors \\\n',
      '  --output_dir=output --output_name=mira_thorn --save_model_as=safetensors \\\n',
      '  --max_train_epochs=10 --save_every_n_epochs=1 --mixed_precision=fp16 --gradient_checkpointing\n',
    ]) {
      expect(readme.split(line)).toHaveLength(3);
    }
  });

  it('has no left-out section for a full set', () => {
    expect(filesOf(trainingSet(10), 'DIFFUSERS')['README.txt']).not.toContain('Left out');
  });
});

describe('ai-toolkit job', () => {
  it('is named after the trigger, says how often each image is seen, and samples the first shot and two new scenes', () => {
    const yaml = filesOf(trainingSet(4), 'AI_TOOLKIT')['config/mira_thorn.yaml'] ?? '';
    expect(yaml).toContain('  name: "mira_thorn_lora"\n');
    expect(yaml).toContain('        # 4 images, each seen about 250 times.\n        steps: 1000\n');
    const samples = yaml.slice(yaml.indexOf('prompts:')).split('\n').filter((line) => line.trimStart().startsWith('- ')).slice(0, 3);
    expect(samples.map((line) => JSON.parse(line.trim().slice(2)) as string)).toEqual([
      `[trigger] woman, ${firstCaption}`,
      '[trigger] woman, walking through a rainy city street at night',
      '[trigger] woman, sitting at a cafe table, reading a book',
    ]);
  });
});

describe('diffusers README', () => {
  it('validates with a prompt of the trigger and class in a new scene', () => {
    expect(filesOf(trainingSet(10), 'DIFFUSERS')['README.txt']).toContain('--validation_prompt="mira_thorn woman, walking through a rainy city street at night"');
  });
});

describe('zip writer', () => {
  const date = new Date('2026-12-03T12:00:00Z');
  it.each(['a/', '/etc/passwd', '../outside.txt', 'a/../../b', 'a//b', './a', 'a/.', 'a\\b', 'a\nb', ''])('refuses the unsafe path %j', (path) => {
    expect(() => zipArchive([{ path, content: 'x' }], date)).toThrow(`unsafe archive path: ${JSON.stringify(path)}`);
  });

  it('refuses a path given twice rather than keeping one silently', () => {
    expect(() => zipArchive([{ path: 'a.txt', content: 'one' }, { path: 'a.txt', content: 'two' }], date)).toThrow('archive path given twice: a.txt');
  });

  it('writes safe nested paths as given', () => {
    expect(Object.keys(unzipSync(zipArchive([{ path: 'img/10_mira_thorn woman/portrait_front.txt', content: 'x' }], date)))).toEqual(['img/10_mira_thorn woman/portrait_front.txt']);
  });
});
