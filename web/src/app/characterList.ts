// The viewer's characters, newest first; each entry is a button that reopens its sheet.
import { CharactersDocument, type CharactersQuery } from '../../../src/generated/graphql/graphql.js';
import { request } from './api.js';
import { element } from './dom.js';
import { showImage } from './storedFiles.js';

type ListedCharacter = CharactersQuery['characters'][number];

export class CharacterList {
  private readonly list = element('character-list', HTMLUListElement);
  private readonly empty = element('list-empty', HTMLParagraphElement);
  private selectedId: string | null = null;

  constructor(private readonly onOpen: (characterId: string) => void) {}

  select(characterId: string): void {
    this.selectedId = characterId;
    for (const button of this.list.querySelectorAll<HTMLButtonElement>('button[data-character-id]')) {
      button.setAttribute('aria-current', String(button.dataset.characterId === characterId));
    }
  }

  async refresh(): Promise<void> {
    const { characters } = await request(CharactersDocument, { limit: 50 });
    this.empty.hidden = characters.length > 0;
    this.list.replaceChildren(...characters.map((character) => this.entry(character)));
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
