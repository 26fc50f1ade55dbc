// The sheet's "new image" box and the character's generated images. The box asks generateCharacterImage for an
// image in the words given (optional style and seed); each image that is not finished yet is followed on
// characterImageProgress, which first says how the image stands (so reopening the sheet, or a reconnect,
// catches up) and then each change until it is completed or failed.
import {
  type CharacterImageFieldsFragment,
  CharacterImageProgressDocument,
  GenerateCharacterImageDocument,
} from '../../../src/generated/graphql/graphql.js';
import { request } from './api.js';
import type { LiveClient } from './liveClient.js';
import { showImage } from './storedFiles.js';
import { userMessage } from './userMessages.js';

const STATUS_TEXT: Record<string, string> = { pending: 'Waiting to start', generating: 'Generating', completed: 'Completed', failed: 'Failed' };

interface ShownCharacter {
  id: string;
  name: string;
  generatedImages: CharacterImageFieldsFragment[];
}

function labelled(text: string, control: HTMLInputElement): HTMLLabelElement {
  const label = document.createElement('label');
  label.append(text, control);
  return label;
}

function input(name: string, attributes: Partial<HTMLInputElement>): HTMLInputElement {
  const control = document.createElement('input');
  control.name = name;
  Object.assign(control, attributes);
  return control;
}

export class CharacterImagesPanel {
  private readonly section = document.createElement('section');
  private readonly form = document.createElement('form');
  private readonly prompt = input('image-prompt', { type: 'text', required: true, maxLength: 500, placeholder: 'e.g. sitting on a beach at night' });
  private readonly style = input('image-style', { type: 'text', maxLength: 60, placeholder: "the character's own" });
  private readonly seed = input('image-seed', { type: 'number', min: '0', max: '2147483647', step: '1', placeholder: 'random' });
  private readonly button = document.createElement('button');
  private readonly message = document.createElement('p');
  private readonly list = document.createElement('ol');
  private character: ShownCharacter | null = null;
  private readonly following = new Map<string, () => void>();

  /** Places the panel after `anchor` (the reference images). */
  constructor(
    anchor: HTMLElement,
    private readonly live: LiveClient,
  ) {
    this.section.className = 'character-images';
    this.section.setAttribute('aria-label', 'New images of the character');
    const heading = document.createElement('h3');
    heading.textContent = 'New images';
    this.button.type = 'submit';
    this.button.textContent = 'Generate image';
    this.message.className = 'hint';
    this.message.setAttribute('aria-live', 'polite');
    this.list.className = 'slots generated-images';
    this.list.setAttribute('aria-label', 'Generated images');
    this.form.className = 'image-form';
    this.form.append(labelled('What to show', this.prompt), labelled('Art style for this image', this.style), labelled('Image seed', this.seed), this.button);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.generate();
    });
    this.section.append(heading, this.form, this.message, this.list);
    anchor.after(this.section);
  }

  /** Shows a character's images, following those still under way; another character stops following the last one's. */
  open(character: ShownCharacter): void {
    if (character.id !== this.character?.id) {
      for (const stop of this.following.values()) stop();
      this.following.clear();
      this.list.replaceChildren();
      this.say('', false);
    }
    this.character = character;
    for (const image of character.generatedImages) this.render(image);
  }

  private async generate(): Promise<void> {
    const character = this.character;
    if (!character) return;
    const seedText = this.seed.value.trim();
    this.button.disabled = true;
    this.say('', false);
    try {
      const { generateCharacterImage: image } = await request(GenerateCharacterImageDocument, {
        characterId: character.id,
        prompt: this.prompt.value,
        style: this.style.value.trim() || null,
        seed: seedText === '' ? null : Number(seedText),
      });
      this.render(image);
    } catch (error) {
      this.say(userMessage(error), true);
    } finally {
      this.button.disabled = false;
    }
  }

  private render(image: CharacterImageFieldsFragment): void {
    const character = this.character;
    if (!character) return;
    let item = this.list.querySelector<HTMLLIElement>(`li[data-image-id="${CSS.escape(image.id)}"]`);
    if (!item) {
      item = document.createElement('li');
      item.className = 'slot';
      item.dataset.imageId = image.id;
      const figure = document.createElement('figure');
      const frame = document.createElement('div');
      frame.className = 'frame';
      const caption = document.createElement('figcaption');
      caption.textContent = image.prompt;
      const state = document.createElement('p');
      state.className = 'slot-state';
      figure.append(frame, caption, state);
      item.append(figure);
      this.list.prepend(item);
    }
    item.dataset.status = image.status;
    const frame = item.querySelector('.frame') as HTMLDivElement;
    const state = item.querySelector('.slot-state') as HTMLParagraphElement;
    if (image.status === 'completed' && image.url) {
      if (frame.querySelector('img')?.dataset.source !== image.url) {
        const picture = document.createElement('img');
        showImage(picture, image.url);
        picture.alt = `${character.name}: ${image.prompt}`;
        frame.replaceChildren(picture);
      }
      state.textContent = `seed ${image.seed}`;
    } else {
      state.textContent = image.status === 'failed' ? `Failed: ${image.error ?? 'unknown error'}` : (STATUS_TEXT[image.status] ?? image.status);
    }
    state.classList.toggle('error', image.status === 'failed');
    if (image.status === 'pending' || image.status === 'generating') this.follow(character.id, image.id);
  }

  private follow(characterId: string, imageId: string): void {
    if (this.following.has(imageId)) return;
    const stop = this.live.subscribe(CharacterImageProgressDocument, { characterId, imageId }, {
      next: ({ characterImageProgress }) => {
        if (this.character?.id === characterId) this.render(characterImageProgress.image);
      },
      error: (message) => this.say(message, true),
      complete: () => this.following.delete(imageId),
    });
    this.following.set(imageId, stop);
  }

  private say(text: string, isError: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle('error', isError);
  }
}
