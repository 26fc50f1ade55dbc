// kohya-ss/sd-scripts (and the kohya_ss GUI over it). Two ways in, both in one archive:
// - the folder convention: `img/{repeats}_{trigger} {class}/` with a same-name `.txt` caption per image, read
//   by `--train_data_dir=img` (sd-scripts takes the repeats from the number before the first underscore and
//   the class tokens from the rest of the folder name);
// - `dataset.toml` for `--dataset_config`, with only keys sd-scripts' config_util.py schema accepts (it
//   refuses unknown ones): [general], [[datasets]] resolution / batch_size, [[datasets.subsets]] image_dir /
//   class_tokens / num_repeats / caption_extension. With a config file the folder name is not read, so the
//   repeats and class are written out again.
// Paths are relative: sd-scripts resolves image_dir from the working directory, so training runs from the
// unzipped folder.
import type { ArchiveEntry } from './archive.js';
import { SCHEDULE, captionedImages, readmeIntro, repeatsFor, resolutionOf, type TrainingSet } from './trainingSet.js';

/** A TOML basic string. JSON's escapes are TOML's; trigger and class words are plain ASCII by construction. */
const tomlString = (value: string) => JSON.stringify(value);

function imageFolderOf(set: TrainingSet): string {
  return `img/${repeatsFor(set.images.length)}_${set.trigger} ${set.classWord}`;
}

function datasetToml(set: TrainingSet): string {
  return `# sd-scripts dataset config (--dataset_config) for ${set.trigger}, exported by charsheet.
# image_dir is relative: run train_network.py from the folder holding this file (README.txt).

[general]
# Images of another size or shape are bucketed instead of cropped.
enable_bucket = true

[[datasets]]
resolution = ${resolutionOf(set)}
batch_size = ${SCHEDULE.batchSize}

  [[datasets.subsets]]
  image_dir = ${tomlString(imageFolderOf(set))}
  # Used only for an image without a caption file; every image here has one.
  class_tokens = ${tomlString(`${set.trigger} ${set.classWord}`)}
  # ${set.images.length} images x ${repeatsFor(set.images.length)} repeats: about ${SCHEDULE.stepsPerEpoch} steps an epoch at batch size ${SCHEDULE.batchSize}.
  num_repeats = ${repeatsFor(set.images.length)}
  caption_extension = ".txt"
`;
}

function readme(set: TrainingSet): string {
  const common = [
    '  --pretrained_model_name_or_path=/path/to/base-model.safetensors \\',
    `  --output_dir=output --output_name=${set.trigger} --save_model_as=safetensors \\`,
    '  --network_module=networks.lora --network_dim=16 --network_alpha=1 \\',
    '  --learning_rate=1e-4 --optimizer_type=AdamW8bit --lr_scheduler=constant \\',
    `  --max_train_epochs=${SCHEDULE.epochs} --save_every_n_epochs=1 --mixed_precision=fp16 --gradient_checkpointing`,
  ];
  return `${readmeIntro(set, 'kohya-ss/sd-scripts')}
Layout:
  dataset.toml                       dataset config for --dataset_config
  ${imageFolderOf(set)}/   images, each with a same-name .txt caption

Train (from this folder; sd-scripts installed as its README says; use sdxl_train_network.py for SDXL,
flux_train_network.py for FLUX.1):

accelerate launch --num_cpu_threads_per_process 1 /path/to/sd-scripts/train_network.py \\
  --dataset_config=dataset.toml \\
${common.join('\n')}

Or with the folder convention instead of the config file:

accelerate launch --num_cpu_threads_per_process 1 /path/to/sd-scripts/train_network.py \\
  --train_data_dir=img --caption_extension=.txt --resolution=${resolutionOf(set)} --train_batch_size=${SCHEDULE.batchSize} \\
${common.join('\n')}

In the kohya_ss GUI: LoRA > Training > Folders, "Image folder" = the img folder of this archive.
`;
}

export function kohyaEntries(set: TrainingSet): ArchiveEntry[] {
  return [
    { path: 'README.txt', content: readme(set) },
    { path: 'dataset.toml', content: datasetToml(set) },
    ...captionedImages(set, imageFolderOf(set)),
  ];
}
