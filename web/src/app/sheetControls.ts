// The sheet's set controls: regenerate one slot, retry the failed ones, cancel a running set, delete the
// character (after a confirmation dialog). Each sends its mutation and hands the answer to the watcher; the
// live events that follow (a slot regenerating, the set reopening and ending) arrive over the subscription.
// Failures are said in words for people, next to the controls.
import {
  CancelReferenceSetDocument,
  DeleteCharacterDocument,
  RegenerateVariationDocument,
  RetryFailedVariationsDocument,
  type CharacterFieldsFragment,
  type VariationType,
} from '../../../src/generated/graphql/graphql.js';
import { GraphQLRequestError, request } from './api.js';
import { element, setShown } from './dom.js';
import { countSlots, isFinished, type SheetState } from './sheetState.js';
import { userMessage } from './userMessages.js';

export interface SheetControlsListener {
  /** A mutation's answer: the character as it stands after the request. */
  changed(character: CharacterFieldsFragment): void;
  deleted(state: SheetState): void;
}

export class SheetControls {
  private readonly retry = element('sheet-retry', HTMLButtonElement);
  private readonly cancel = element('sheet-cancel', HTMLButtonElement);
  private readonly remove = element('sheet-delete', HTMLButtonElement);
  private readonly message = element('sheet-message', HTMLParagraphElement);
  private readonly status = element('sheet-status', HTMLElement);
  private readonly dialog = element('delete-dialog', HTMLDialogElement);
  private readonly dialogName = element('delete-name', HTMLSpanElement);
  private shown: SheetState | null = null;

  constructor(
    slots: HTMLElement,
    private readonly listener: SheetControlsListener,
  ) {
    this.retry.addEventListener('click', () => void this.run(this.retry, 'Retrying…', (characterId) => request(RetryFailedVariationsDocument, { characterId }).then((r) => r.retryFailedVariations)));
    this.cancel.addEventListener('click', () => void this.run(this.cancel, 'Cancelling…', (characterId) => request(CancelReferenceSetDocument, { characterId }).then((r) => r.cancelReferenceSet)));
    // One listener for the ten slots' buttons, which the view redraws.
    slots.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.regenerate') : null;
      const variation = button?.dataset.variation as VariationType | undefined;
      if (button && variation) void this.run(button, 'Asking…', (characterId) => request(RegenerateVariationDocument, { characterId, variation }).then((r) => r.regenerateVariation));
    });
    this.remove.addEventListener('click', () => this.confirmDelete());
    this.dialog.addEventListener('close', () => {
      if (this.dialog.returnValue === 'delete') void this.delete();
    });
  }

  show(state: SheetState): void {
    if (state.characterId !== this.shown?.characterId) this.say('');
    this.shown = state;
    const { failed, cancelled } = countSlots(state);
    setShown(this.retry, failed + cancelled > 0, this.status);
    this.retry.textContent = `Retry failed (${failed + cancelled})`;
    setShown(this.cancel, !isFinished(state), this.status);
  }

  private async run(button: HTMLButtonElement, busyText: string, send: (characterId: string) => Promise<CharacterFieldsFragment>): Promise<void> {
    const state = this.shown;
    if (!state || isBusy(button)) return;
    const text = button.textContent;
    setBusy(button, true);
    button.textContent = busyText;
    this.say('');
    try {
      this.listener.changed(await send(state.characterId));
    } catch (error) {
      this.say(userMessage(error));
    } finally {
      setBusy(button, false);
      // The view may have redrawn the button meanwhile (its label then is already current).
      if (button.textContent === busyText) button.textContent = text;
    }
  }

  private confirmDelete(): void {
    if (!this.shown) return;
    this.dialogName.textContent = this.shown.name;
    this.dialog.returnValue = '';
    // Modal: focus moves into the dialog (to "Keep"), Escape closes it, and focus returns to this button.
    this.dialog.showModal();
  }

  private async delete(): Promise<void> {
    const state = this.shown;
    if (!state) return;
    if (isBusy(this.remove)) return;
    setBusy(this.remove, true);
    this.say('');
    try {
      await request(DeleteCharacterDocument, { id: state.characterId });
      this.listener.deleted(state);
    } catch (error) {
      // Already gone (deleted in another tab): what the user asked for holds.
      if (error instanceof GraphQLRequestError && error.code === 'NOT_FOUND') this.listener.deleted(state);
      else this.say(userMessage(error));
    } finally {
      setBusy(this.remove, false);
    }
  }

  private say(text: string): void {
    this.message.textContent = text;
  }
}

/**
 * A control waiting for its answer. Not `disabled`: a disabled button loses focus, and keyboard users would
 * land at the top of the page; aria-disabled says the same to assistive technology and keeps focus there.
 */
function setBusy(button: HTMLButtonElement, busy: boolean): void {
  if (busy) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
}

function isBusy(button: HTMLButtonElement): boolean {
  return button.getAttribute('aria-disabled') === 'true';
}
