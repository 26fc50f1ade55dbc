// The viewer's characters, newest first, a page at a time (a list of hundreds would push the sheet far below
// on a phone); each entry is a button that reopens its sheet.
import { CharactersDocument, type CharactersQuery } from '../../../src/generated/graphql/graphql.js';
import { request } from './api.js';
import { element } from './dom.js';
import { showImage } from './storedFiles.js';

type ListedCharacter = CharactersQuery['characters'][number];

export const PAGE_SIZE = 8;

export class CharacterList {
  private readonly list = element('character-list', HTMLUListElement);
  private readonly empty = element('list-empty', HTMLParagraphElement);
  private readonly pager = element('list-pager', HTMLElement);
  private readonly newer = element('list-newer', HTMLButtonElement);
  private readonly older = element('list-older', HTMLButtonElement);
  private readonly pageLabel = element('list-page', HTMLSpanElement);
  private selectedId: string | null = null;
  private offset = 0;

  constructor(
    private readonly onOpen: (characterId: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.newer.addEventListener('click', () => this.turn(-PAGE_SIZE));
    this.older.addEventListener('click', () => this.turn(PAGE_SIZE));
  }

  select(characterId: string): void {
    this.selectedId = characterId;
    for (const button of this.list.querySelectorAll<HTMLButtonElement>('button[data-character-id]')) {
      button.setAttribute('aria-current', String(button.dataset.characterId === characterId));
    }
  }

  /** Shows the newest page: where a character just created appears. */
  async showNewest(): Promise<void> {
    this.offset = 0;
    await this.refresh();
  }

  /** Reloads the page shown; one past the end (its last character gone) steps back. */
  async refresh(): Promise<void> {
    // One more than a page tells whether an older page exists, without counting them all.
    const { characters } = await request(CharactersDocument, { limit: PAGE_SIZE + 1, offset: this.offset });
    if (characters.length === 0 && this.offset > 0) {
      this.offset = Math.max(0, this.offset - PAGE_SIZE);
      return this.refresh();
    }
    const shown = characters.slice(0, PAGE_SIZE);
    this.empty.hidden = shown.length > 0;
    this.list.replaceChildren(...shown.map((character) => this.entry(character)));
    this.newer.disabled = this.offset === 0;
    this.older.disabled = characters.length <= PAGE_SIZE;
    this.pager.hidden = this.newer.disabled && this.older.disabled;
    this.pageLabel.textContent = `Page ${this.offset / PAGE_SIZE + 1}`;
  }

  private turn(by: number): void {
    this.offset = Math.max(0, this.offset + by);
    this.refresh().catch(this.onError);
  }

  private entry(character: ListedCharacter): HTMLLIElement {
    const { status, totalImages } = character.embeddings.imageEmbeddings;
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.characterId = character.id;
    button.setAttribute('aria-current', String(character.id === this.selectedId));
    const thumbnail = document.createElement('img');
    showImage(thumbnail, character.avatarUrl);
    thumbnail.alt = '';
    thumbnail.width = 40;
    thumbnail.height = 40;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = character.name;
    const state = document.createElement('span');
    state.className = 'hint';
    state.textContent = status === 'completed' ? `${totalImages} images` : status;
    button.append(thumbnail, name, state);
    button.addEventListener('click', () => this.onOpen(character.id));
    const item = document.createElement('li');
    item.append(button);
    return item;
  }
}
