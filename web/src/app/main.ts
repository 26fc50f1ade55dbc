// The page's wiring: the create form, the character list and the live sheet.
import './styles.css';
import { CharacterDocument, type CharacterFieldsFragment, CreateCharacterDocument } from '../../../src/generated/graphql/graphql.js';
import { request } from './api.js';
import { CharacterImagesPanel } from './characterImages.js';
import { CharacterList } from './characterList.js';
import { FormProblem, readCharacterForm } from './characterForm.js';
import { accessToken, setAccessToken } from './credentials.js';
import { element } from './dom.js';
import { LiveClient } from './liveClient.js';
import { SheetControls } from './sheetControls.js';
import type { SheetState } from './sheetState.js';
import { SheetView } from './sheetView.js';
import { SheetWatcher } from './sheetWatcher.js';
import { userMessage } from './userMessages.js';

const form = element('create-form', HTMLFormElement);
const formError = element('form-error', HTMLParagraphElement);
const createButton = element('create-button', HTMLButtonElement);

const live = new LiveClient();
const view = new SheetView();
const images = new CharacterImagesPanel(element('sheet-slots', HTMLOListElement), live);
live.onStateChange((state) => view.showConnection(state));

function showError(message: string): void {
  formError.textContent = message;
}

/** A failure said in words for people; the technical detail goes to the console for whoever debugs. */
function reportFailure(error: unknown): void {
  console.warn(error);
  showError(userMessage(error));
}

const list = new CharacterList((characterId) => void openCharacter(characterId), reportFailure);

/** The sheet closes whichever way the character went (this page's delete, or another tab's). */
function closeDeleted(state: SheetState): void {
  watcher.close();
  view.close(`${state.name} was deleted.`);
  if (location.hash === `#${state.characterId}`) history.replaceState(null, '', location.pathname + location.search);
  void list.refresh().catch(reportFailure);
}

const watcher = new SheetWatcher(live, {
  render: (state) => {
    view.render(state);
    controls.show(state);
  },
  statusChanged: () => void list.refresh().catch(reportFailure),
  deleted: closeDeleted,
  error: (message) => showError(message),
});
const controls = new SheetControls(element('sheet-slots', HTMLOListElement), {
  changed: (character) => watcher.adopt(character),
  // Its 'deleted' event may have closed the sheet already.
  deleted: (state) => {
    if (watcher.current?.characterId === state.characterId) closeDeleted(state);
  },
});

function showSheet(character: CharacterFieldsFragment): void {
  list.select(character.id);
  watcher.open(character);
  images.open(character);
  history.replaceState(null, '', `#${character.id}`);
  view.bringIntoView();
}

async function openCharacter(characterId: string): Promise<void> {
  try {
    const { character } = await request(CharacterDocument, { id: characterId });
    showSheet(character);
  } catch (error) {
    reportFailure(error);
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
      // The form keeps what was typed: the next character is often a variation of this one.
      showSheet(createCharacter);
      await list.showNewest();
    } catch (error) {
      reportFailure(error);
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

void list.refresh().catch(reportFailure);
const linked = location.hash.slice(1);
if (linked) void openCharacter(linked);
