// diffusers' training examples read a Hugging Face `datasets` ImageFolder: images beside a `metadata.jsonl`
// with one JSON object per line, whose `file_name` names an image relative to the file and whose other keys
// become columns. `text` is the caption column examples/text_to_image/train_text_to_image_lora.py reads by
// default (--caption_column=text, --image_column=image). The dataset sits in `train/`, apart from README.txt,
// so the loader sees nothing but the images and their metadata.
import type { ArchiveEntry } from './archive.js';
import { SCHEDULE, TOTAL_STEPS, captionOf, readmeIntro, resolutionOf, type TrainingSet } from './trainingSet.js';

const DATASET_FOLDER = 'train';

function metadataJsonl(set: TrainingSet): string {
  return set.images.map((image) => `${JSON.stringify({ file_name: image.fileName, text: captionOf(set, image) })}\n`).join('');
}

function readme(set: TrainingSet): string {
  const prompt = `${set.trigger} ${set.classWord}, walking through a rainy city street at night`;
  return `${readmeIntro(set, 'Hugging Face diffusers (datasets ImageFolder)')}
Layout:
  ${DATASET_FOLDER}/metadata.jsonl    one {"file_name", "text"} line per image
  ${DATASET_FOLDER}/*.png             the images

Train a LoRA with diffusers' examples/text_to_image/train_text_to_image_lora.py (from a diffusers checkout,
with the example's requirements installed), run from this folder:

accelerate launch --mixed_precision=fp16 /path/to/diffusers/examples/text_to_image/train_text_to_image_lora.py \\
  --pretrained_model_name_or_path=stable-diffusion-v1-5/stable-diffusion-v1-5 \\
  --train_data_dir=${DATASET_FOLDER} --image_column=image --caption_column=text \\
  --resolution=${resolutionOf(set)} --train_batch_size=${SCHEDULE.batchSize} --max_train_steps=${TOTAL_STEPS} \\
  --learning_rate=1e-04 --lr_scheduler=constant --lr_warmup_steps=0 --rank=16 \\
  --validation_prompt="${prompt}" \\
  --output_dir=${set.trigger}-lora

The same folder loads anywhere the datasets library does: load_dataset("imagefolder", data_dir="${DATASET_FOLDER}").
`;
}

export function diffusersEntries(set: TrainingSet): ArchiveEntry[] {
  return [
    { path: 'README.txt', content: readme(set) },
    { path: `${DATASET_FOLDER}/metadata.jsonl`, content: metadataJsonl(set) },
    ...set.images.map((image) => ({ path: `${DATASET_FOLDER}/${image.fileName}`, content: image.bytes })),
  ];
}
