// The sheet's training-set exports: one button per LoRA trainer. Each asks the service for the zip
// (exportTrainingSet) and downloads it, with the access token when the file needs one, like the metadata link.
// Shown once the set has finished with at least one image, since only completed images are exported.
import { ExportTrainingSetDocument, type TrainingSetFormat } from '../../../src/generated/graphql/graphql.js';
import { request } from './api.js';
import { countSlots, isFinished, type SheetState } from './sheetState.js';
import { downloadWithToken } from './storedFiles.js';

const FORMATS: readonly { format: TrainingSetFormat; label: string }[] = [
  { format: 'KOHYA', label: 'kohya / sd-scripts' },
  { format: 'AI_TOOLKIT', label: 'ai-toolkit' },
  { format: 'DIFFUSERS', label: 'diffusers' },
];

function save(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  downloadWithToken(link);
  document.body.append(link);
  link.click();
  link.remove();
}

export class ExportButtons {
  private readonly row = document.createElement('p');
  private readonly message = document.createElement('span');
  private shown: SheetState | null = null;

  /** Places the row after `anchor` (the sheet's actions). */
  constructor(anchor: HTMLElement) {
    this.row.className = 'sheet-actions sheet-exports';
    this.row.hidden = true;
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = 'LoRA training set';
    this.message.className = 'hint';
    this.message.setAttribute('role', 'status');
    const buttons = FORMATS.map(({ format, label: text }) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.format = format;
      button.textContent = text;
      button.addEventListener('click', () => void this.export(format, text, button));
      return button;
    });
    this.row.append(label, ...buttons, this.message);
    anchor.after(this.row);
  }

  show(state: SheetState): void {
    if (state.characterId !== this.shown?.characterId) this.say('', false);
    this.shown = state;
    this.row.hidden = !(isFinished(state) && countSlots(state).completed > 0);
  }

  private async export(format: TrainingSetFormat, label: string, button: HTMLButtonElement): Promise<void> {
    const state = this.shown;
    if (!state) return;
    button.disabled = true;
    this.say(`Exporting for ${label}…`, false);
    try {
      const { exportTrainingSet: result } = await request(ExportTrainingSetDocument, { characterId: state.characterId, format });
      save(result.url, `${state.slug}-${format.toLowerCase().replace(/_/g, '-')}.zip`);
      const left = result.excluded.length ? `, ${result.excluded.length} left out (${result.excluded.map(({ variation }) => variation).join(', ')})` : '';
      this.say(`${label}: ${result.imageCount} images, trigger word ${result.triggerWord}${left}`, false);
    } catch (error) {
      this.say(error instanceof Error ? error.message : String(error), true);
    } finally {
      button.disabled = false;
    }
  }

  private say(text: string, isError: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle('error', isError);
  }
}
