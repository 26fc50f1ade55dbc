// ostris/ai-toolkit: a folder of images with same-name `.txt` captions and a job config YAML, shaped like the
// project's config/examples/train_lora_flux_24gb.yaml (config.process[] of type sd_trainer with trigger_word
// and datasets[].folder_path / caption_ext / resolution). Captions say `[trigger]`, which ai-toolkit replaces
// with the config's trigger_word, so renaming the trigger is one line of YAML. ai-toolkit runs from its own
// folder (run.py puts the working directory on the import path) and resolves folder_path from there, so the
// archive unzips into the ai-toolkit folder: config/{trigger}.yaml and datasets/{trigger}/.
import type { ArchiveEntry } from './archive.js';
import { SCHEDULE, TOTAL_STEPS, captionOf, captionedImages, readmeIntro, resolutionOf, type TrainingSet } from './trainingSet.js';

const PLACEHOLDER = '[trigger]';
/** YAML 1.2 reads JSON strings as double-quoted scalars, with the same escapes. */
const yamlString = (value: string) => JSON.stringify(value);

const configPathOf = (set: TrainingSet) => `config/${set.trigger}.yaml`;
const datasetFolderOf = (set: TrainingSet) => `datasets/${set.trigger}`;

function configYaml(set: TrainingSet): string {
  const resolution = resolutionOf(set);
  const [first] = set.images;
  const samples = [
    ...(first ? [captionOf(set, first, PLACEHOLDER)] : []),
    `${PLACEHOLDER} ${set.classWord}, walking through a rainy city street at night`,
    `${PLACEHOLDER} ${set.classWord}, sitting at a cafe table, reading a book`,
  ];
  // The learning rate is written 0.0001, not 1e-4: YAML 1.1 loaders (PyYAML) read 1e-4 as a string.
  return `# ai-toolkit job for a ${set.classWord} LoRA of ${set.trigger}, exported by charsheet.
# Unzip the archive into the ai-toolkit folder, then: python run.py ${configPathOf(set)}
# The base model below is FLUX.1-dev (24 GB of VRAM with quantize); see ai-toolkit's config/examples for others.
job: extension
config:
  name: ${yamlString(`${set.trigger}_lora`)}
  process:
    - type: "sd_trainer"
      training_folder: "output"
      device: "cuda:0"
      # Replaces [trigger] in every caption and sample prompt.
      trigger_word: ${yamlString(set.trigger)}
      network:
        type: "lora"
        linear: 16
        linear_alpha: 16
      save:
        dtype: "float16"
        save_every: 250
        max_step_saves_to_keep: 4
      datasets:
        - folder_path: ${yamlString(datasetFolderOf(set))}
          caption_ext: "txt"
          caption_dropout_rate: 0.05
          cache_latents_to_disk: true
          resolution: [${resolution}]
      train:
        batch_size: ${SCHEDULE.batchSize}
        # ${set.images.length} images, each seen about ${Math.round(TOTAL_STEPS / set.images.length)} times.
        steps: ${TOTAL_STEPS}
        gradient_accumulation_steps: 1
        train_unet: true
        train_text_encoder: false
        gradient_checkpointing: true
        noise_scheduler: "flowmatch"
        optimizer: "adamw8bit"
        lr: 0.0001
        dtype: "bf16"
      model:
        name_or_path: "black-forest-labs/FLUX.1-dev"
        is_flux: true
        quantize: true
      sample:
        sampler: "flowmatch"
        sample_every: 250
        width: ${resolution}
        height: ${resolution}
        prompts:
${samples.map((prompt) => `          - ${yamlString(prompt)}`).join('\n')}
        neg: ""
        seed: 42
        walk_seed: true
        guidance_scale: 4
        sample_steps: 20
meta:
  name: "[name]"
  version: "1.0"
`;
}

function readme(set: TrainingSet): string {
  return `${readmeIntro(set, 'ostris/ai-toolkit')}
Layout (unzip into the ai-toolkit folder, beside run.py):
  ${configPathOf(set)}      the training job; trigger_word: ${set.trigger}
  ${datasetFolderOf(set)}/   images, each with a same-name .txt caption using [trigger]

Train:

cd /path/to/ai-toolkit
python run.py ${configPathOf(set)}

To train elsewhere, set datasets[0].folder_path in the YAML to the absolute path of ${datasetFolderOf(set)}.
In the ai-toolkit web UI: create a dataset from the images and captions of ${datasetFolderOf(set)}, and
set the job's trigger word to ${set.trigger}.
`;
}

export function aiToolkitEntries(set: TrainingSet): ArchiveEntry[] {
  return [
    { path: 'README.txt', content: readme(set) },
    { path: configPathOf(set), content: configYaml(set) },
    ...captionedImages(set, datasetFolderOf(set), PLACEHOLDER),
  ];
}
