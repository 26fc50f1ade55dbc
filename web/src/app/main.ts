// The page's wiring: the create form, the character list and the live sheet.
import './styles.css';
import { CharacterDocument, CreateCharacterDocument } from '../../../src/generated/graphql/graphql.js';
import { request } from './api.js';
import { CharacterList } from './characterList.js';
import { FormProblem, readCharacterForm } from './characterForm.js';
import { accessToken, setAccessToken } from './credentials.js';
import { element } from './dom.js';
import { LiveClient } from './liveClient.js';
import { SheetView } from './sheetView.js';
import { SheetWatcher } from './sheetWatcher.js';

const form = element('create-form', HTMLFormElement);
const formError = element('form-error', HTMLParagraphElement);
const createButton = element('create-button', HTMLButtonElement);

const live = new LiveClient();
const view = new SheetView();
live.onStateChange((state) => view.showConnection(state));

function showError(message: string): void {
  formError.textContent = message;
}

const list = new CharacterList((characterId) => void openCharacter(characterId));
const watcher = new SheetWatcher(
  live,
  (state) => view.render(state),
  () => void list.refresh().catch((error: unknown) => showError(String(error))),
  (message) => showError(message),
);

async function openCharacter(characterId: string): Promise<void> {
  try {
    const { character } = await request(CharacterDocument, { id: characterId });
    list.select(character.id);
    watcher.open(character);
    history.replaceState(null, '', `#${character.id}`);
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
  }
}

function field(name: string): string {
  const control = form.elements.namedItem(name);
  return control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement ? control.value : '';
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void (async () => {
    showError('');
    let input;
    try {
      input = readCharacterForm({ name: field('name'), description: field('description'), traits: field('traits'), style: field('style'), seed: field('seed') });
    } catch (error) {
      if (error instanceof FormProblem) {
        showError(error.message);
        document.getElementById(error.field)?.focus();
        return;
      }
      throw error;
    }
    createButton.disabled = true;
    createButton.textContent = 'Creating the avatar…';
    try {
      const { createCharacter } = await request(CreateCharacterDocument, { input });
      list.select(createCharacter.id);
      watcher.open(createCharacter);
      history.replaceState(null, '', `#${createCharacter.id}`);
      form.reset();
      await list.refresh();
    } catch (error) {
      showError(error instanceof Error ? error.message : String(error));
    } finally {
      createButton.disabled = false;
      createButton.textContent = 'Create character';
    }
  })();
});

// A new token changes who the page speaks for: start over with it rather than mix two users' data.
const tokenForm = element('token-form', HTMLFormElement);
element('access-state', HTMLElement).textContent = accessToken() ? 'Signed in with a token' : 'Access token (none: development mode)';
tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  setAccessToken(element('access-token', HTMLInputElement).value.trim() || null);
  location.reload();
});
element('token-forget', HTMLButtonElement).addEventListener('click', () => {
  setAccessToken(null);
  location.reload();
});

void list.refresh().catch((error: unknown) => showError(error instanceof Error ? error.message : String(error)));
const linked = location.hash.slice(1);
if (linked) void openCharacter(linked);
