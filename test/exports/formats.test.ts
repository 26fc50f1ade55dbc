// Each export format, end to end: the mutation over HTTP on the real service, the zip downloaded from its URL
// and read back with another zip library, then checked file by file against the trainer's convention, with
// the convention files parsed by real TOML, YAML and JSON parsers. A full set of 10 and a set with two failed
// variations (left out, and said why).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { VARIATIONS, VARIATION_TYPES, type VariationType } from '../../src/domain/variations.js';
import { CharacterDocument } from '../../src/generated/graphql/graphql.js';
import { GraphQLTestClient } from '../support/graphqlClient.js';
import { startTestService, type TestService } from '../support/service.js';
import { createFinishedCharacter, download, exportAndUnzip } from './support/exports.js';
import { FailuresByName } from './support/generators.js';
import { PNG_SIGNATURE, text, type UnzippedFile } from './support/unzip.js';

// The keys sd-scripts' dataset config accepts for a DreamBooth-style (captioned folder) dataset, from
// kohya-ss/sd-scripts library/config_util.py (ConfigSanitizer's schemas; voluptuous refuses any other key).
const SUBSET_KEYS = ['color_aug', 'face_crop_aug_range', 'flip_aug', 'num_repeats', 'random_crop', 'shuffle_caption', 'keep_tokens', 'keep_tokens_separator', 'secondary_separator', 'caption_separator', 'enable_wildcard', 'token_warmup_min', 'token_warmup_step', 'caption_prefix', 'caption_suffix', 'custom_attributes', 'resize_interpolation', 'caption_dropout_every_n_epochs', 'caption_dropout_rate', 'caption_tag_dropout_rate', 'caption_extension', 'class_tokens', 'cache_info'];
const DATASET_KEYS = ['batch_size', 'bucket_no_upscale', 'bucket_reso_steps', 'enable_bucket', 'max_bucket_reso', 'min_bucket_reso', 'validation_seed', 'validation_split', 'resolution', 'network_multiplier', 'resize_interpolation'];
const SD_SCRIPTS_KEYS = {
  top: ['general', 'datasets'],
  general: [...DATASET_KEYS, ...SUBSET_KEYS],
  dataset: [...DATASET_KEYS, ...SUBSET_KEYS, 'subsets'],
  subset: [...SUBSET_KEYS, 'image_dir', 'is_reg', 'alpha_mask'],
};

const FAILED: VariationType[] = ['action_pose', 'sitting_casual'];
const IDENTITY_WORDS = ['mira', 'tamsin', 'thorn', 'reed', 'cartographer', 'falconer', 'auburn', 'green', 'leather'];

function expectKeysWithin(value: Record<string, unknown>, allowed: string[]): void {
  expect(Object.keys(value).filter((key) => !allowed.includes(key))).toEqual([]);
}

/** sd-scripts' reading of a `{repeats}_{class tokens}` folder name (config_util.py, by subdirs). */
function sdScriptsFolder(name: string): { repeats: number; classTokens: string } {
  const [repeats = '', ...rest] = name.split('_');
  return { repeats: Number.parseInt(repeats, 10), classTokens: rest.join('_') };
}

function expectCaptionedPairs(files: Map<string, UnzippedFile>, folder: string, variations: readonly VariationType[], captionStart: string): void {
  for (const variation of variations) {
    expect(files.get(`${folder}/${variation}.png`)?.data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const caption = text(files, `${folder}/${variation}.txt`);
    expect(caption).toMatch(/^[^\n]+\n$/);
    expect(caption.startsWith(captionStart)).toBe(true);
    expect(caption).toContain(VARIATIONS.find(({ type }) => type === variation)!.caption);
    // The trigger word may be made from the name; nothing after it may describe the character.
    for (const word of IDENTITY_WORDS) expect(caption.slice(captionStart.length).toLowerCase()).not.toContain(word);
  }
}

describe('training-set exports, end to end', () => {
  let service: TestService;
  let client: GraphQLTestClient;
  let mira: string;
  let tamsin: string;
  const completed = VARIATION_TYPES.filter((type) => !FAILED.includes(type));

  beforeAll(async () => {
    service = await startTestService({}, { generator: new FailuresByName({ 'Tamsin Reed': FAILED }) });
    client = new GraphQLTestClient(service.url);
    [mira, tamsin] = await Promise.all([
      createFinishedCharacter(client, {
        name: 'Mira Thorn',
        description: 'a travelling cartographer',
        traits: [{ key: 'hair', value: 'auburn' }, { key: 'eyes', value: 'green' }, { key: 'gender', value: 'female' }],
        style: 'watercolor',
        seed: 11,
      }),
      createFinishedCharacter(client, { name: 'Tamsin Reed', description: 'a falconer in a leather coat', seed: 12 }),
    ]);
  });
  afterAll(async () => {
    await client?.close();
    await service?.destroy();
  });

  it('KOHYA: a 10_{trigger} {class} folder of image and caption pairs, and a dataset.toml sd-scripts accepts', async () => {
    const { result, files } = await exportAndUnzip(client, mira, 'KOHYA');
    expect(result).toMatchObject({ format: 'KOHYA', triggerWord: 'mira_thorn', classWord: 'woman', imageCount: 10, excluded: [] });
    const folder = 'img/10_mira_thorn woman';
    expect([...files.keys()].sort()).toEqual(['README.txt', 'dataset.toml', ...VARIATION_TYPES.flatMap((type) => [`${folder}/${type}.png`, `${folder}/${type}.txt`])].sort());
    expect(sdScriptsFolder('10_mira_thorn woman')).toEqual({ repeats: 10, classTokens: 'mira_thorn woman' });
    expectCaptionedPairs(files, folder, VARIATION_TYPES, 'mira_thorn woman, ');
    expect(text(files, `${folder}/portrait_side.txt`)).toBe('mira_thorn woman, side profile, thoughtful expression, rim lighting, watercolor style\n');

    // The archived images are the stored ones, byte for byte.
    const { character } = await client.request(CharacterDocument, { id: mira });
    const stored = await download(character.variations.find(({ type }) => type === 'portrait_front')!.url!);
    expect(Buffer.compare(files.get(`${folder}/portrait_front.png`)!.data, Buffer.from(stored))).toBe(0);

    const config = parseToml(text(files, 'dataset.toml')) as { general: Record<string, unknown>; datasets: Record<string, unknown>[] };
    expectKeysWithin(config, SD_SCRIPTS_KEYS.top);
    expectKeysWithin(config.general, SD_SCRIPTS_KEYS.general);
    expect(config.datasets).toHaveLength(1);
    const [dataset] = config.datasets as [{ resolution: unknown; batch_size: unknown; subsets: Record<string, unknown>[] }];
    expectKeysWithin(dataset, SD_SCRIPTS_KEYS.dataset);
    expect(dataset).toMatchObject({ resolution: 512, batch_size: 1 });
    expect(dataset.subsets).toHaveLength(1);
    const [subset] = dataset.subsets as [Record<string, unknown>];
    expectKeysWithin(subset, SD_SCRIPTS_KEYS.subset);
    expect(subset).toEqual({ image_dir: folder, class_tokens: 'mira_thorn woman', num_repeats: 10, caption_extension: '.txt' });

    const readme = text(files, 'README.txt');
    expect(readme).toContain('train_network.py');
    expect(readme).toContain('--dataset_config=dataset.toml');
    expect(readme).toContain('--train_data_dir=img --caption_extension=.txt');
  });

  it('KOHYA with failed variations: only the completed images, more repeats, and the left-out ones named with why', async () => {
    const { result, files } = await exportAndUnzip(client, tamsin, 'KOHYA');
    expect(result.imageCount).toBe(8);
    expect(result.triggerWord).toBe('tamsin_reed');
    expect(result.excluded.map(({ variation }) => variation)).toEqual(FAILED);
    for (const { reason } of result.excluded) expect(reason).toMatch(/generation failed: .*injected failure/);
    // ceil(100 / 8) = 13 repeats: about 100 steps an epoch still.
    const folder = 'img/13_tamsin_reed character';
    expect([...files.keys()].filter((path) => path.startsWith('img/')).sort()).toEqual(completed.flatMap((type) => [`${folder}/${type}.png`, `${folder}/${type}.txt`]).sort());
    expectCaptionedPairs(files, folder, completed, 'tamsin_reed character, ');
    const subset = (parseToml(text(files, 'dataset.toml')) as { datasets: { subsets: { num_repeats: number; image_dir: string }[] }[] }).datasets[0]!.subsets[0]!;
    expect(subset).toMatchObject({ num_repeats: 13, image_dir: folder });
    expect(text(files, 'README.txt')).toMatch(/Left out of this set:\n {2}action_pose: generation failed/);
  });

  it('AI_TOOLKIT: a dataset folder with [trigger] captions and a job YAML pointing at it', async () => {
    const { result, files } = await exportAndUnzip(client, mira, 'AI_TOOLKIT');
    expect(result.triggerWord).toBe('mira_thorn');
    const folder = 'datasets/mira_thorn';
    expect([...files.keys()].sort()).toEqual(['README.txt', 'config/mira_thorn.yaml', ...VARIATION_TYPES.flatMap((type) => [`${folder}/${type}.png`, `${folder}/${type}.txt`])].sort());
    expectCaptionedPairs(files, folder, VARIATION_TYPES, '[trigger] woman, ');

    const job = parseYaml(text(files, 'config/mira_thorn.yaml')) as { job: string; config: { name: string; process: Record<string, unknown>[] } };
    expect(job.job).toBe('extension');
    expect(job.config.process).toHaveLength(1);
    const process = job.config.process[0] as { type: string; trigger_word: string; datasets: Record<string, unknown>[]; train: Record<string, unknown>; sample: { prompts: string[] } };
    expect(process.type).toBe('sd_trainer');
    expect(process.trigger_word).toBe('mira_thorn');
    expect(process.datasets).toEqual([expect.objectContaining({ folder_path: folder, caption_ext: 'txt', resolution: [512] })]);
    expect(process.train).toMatchObject({ batch_size: 1, steps: 1000, lr: 0.0001 });
    expect(process.sample.prompts.every((prompt) => prompt.startsWith('[trigger] woman'))).toBe(true);
    expect(text(files, 'README.txt')).toContain('python run.py config/mira_thorn.yaml');
  });

  it('DIFFUSERS: train/ with the images and one metadata.jsonl line each, under a chosen trigger word', async () => {
    const { result, files } = await exportAndUnzip(client, tamsin, 'DIFFUSERS', 'ohwx_tamsin');
    expect(result).toMatchObject({ triggerWord: 'ohwx_tamsin', imageCount: 8 });
    expect([...files.keys()].sort()).toEqual(['README.txt', 'train/metadata.jsonl', ...completed.map((type) => `train/${type}.png`)].sort());
    const jsonl = text(files, 'train/metadata.jsonl');
    expect(jsonl.endsWith('\n')).toBe(true);
    const lines = jsonl.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines.map((line) => Object.keys(line).sort())).toEqual(completed.map(() => ['file_name', 'text']));
    expect(lines.map((line) => line.file_name)).toEqual(completed.map((type) => `${type}.png`));
    for (const line of lines) {
      expect(files.get(`train/${line.file_name}`)?.data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(line.text!.startsWith('ohwx_tamsin character, ')).toBe(true);
    }
    expect(text(files, 'README.txt')).toContain('--train_data_dir=train --image_column=image --caption_column=text');
  });

  it("stores the zip under the character's exports/ folder; exporting again gives the same key and bytes", async () => {
    const first = await exportAndUnzip(client, mira, 'DIFFUSERS');
    const again = await exportAndUnzip(client, mira, 'DIFFUSERS');
    expect(new URL(first.result.url).pathname).toMatch(/^\/files\/characters\/dev\/mira-thorn-[0-9a-f]{8}\/exports\/diffusers-mira_thorn\.zip$/);
    // The same key; the URL's version changes, so no cache serves the old zip.
    expect(new URL(again.result.url).pathname).toBe(new URL(first.result.url).pathname);
    expect((await fetch(first.result.url)).headers.get('content-type')).toBe('application/zip');
    expect(Buffer.compare(Buffer.from(again.zip), Buffer.from(first.zip))).toBe(0);
    expect(Date.parse(again.result.createdAt)).toBeGreaterThanOrEqual(Date.parse(first.result.createdAt));
  });
});
