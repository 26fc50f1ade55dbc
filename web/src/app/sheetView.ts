// Draws a SheetState into the sheet section: avatar, status, progress bar, metadata link and the 10 slots.
// Slots are created once per character and then updated in place, so images do not flicker as events arrive.
import { element, setShown } from './dom.js';
import { ExportButtons } from './exportButtons.js';
import { consistencyText, showSlotScore } from './identityScores.js';
import { downloadWithToken, showImage } from './storedFiles.js';
import type { ConnectionState } from './liveClient.js';
import { countSlots, isFinished, statusSummary, variationLabel, type SheetState, type Slot } from './sheetState.js';

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  idle: '',
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'connection lost, reconnecting…',
  offline: 'offline, waiting for the network…',
};

const SLOT_TEXT: Record<Slot['status'], string> = {
  pending: 'Waiting to start',
  generating: 'Generating',
  completed: '',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A slot with an image, or one that ended without, may be asked for a new one (unless it is already). */
const REGENERABLE: ReadonlySet<Slot['status']> = new Set(['completed', 'failed', 'cancelled']);

/** The words a failed regeneration's error starts with in the record (the live event has them without). */
const REGENERATION_FAILED = /^regeneration failed: /i;

export class SheetView {
  private readonly section = element('sheet', HTMLElement);
  private readonly placeholder = element('sheet-placeholder', HTMLElement);
  private readonly avatar = element('sheet-avatar', HTMLImageElement);
  private readonly name = element('sheet-name', HTMLHeadingElement);
  private readonly description = element('sheet-description', HTMLParagraphElement);
  private readonly status = element('sheet-status', HTMLElement);
  private readonly connection = element('sheet-connection', HTMLSpanElement);
  private readonly progress = element('sheet-progress', HTMLProgressElement);
  private readonly count = element('sheet-count', HTMLSpanElement);
  private readonly consistency = element('sheet-consistency', HTMLParagraphElement);
  private readonly metadata = element('sheet-metadata', HTMLAnchorElement);
  private readonly playground = element('sheet-playground', HTMLAnchorElement);
  private readonly slotList = element('sheet-slots', HTMLOListElement);
  private readonly exports = new ExportButtons(this.metadata.parentElement as HTMLElement);
  private shownCharacterId: string | null = null;
  private live = true;

  constructor() {
    downloadWithToken(this.metadata);
  }

  render(state: SheetState): void {
    if (state.characterId !== this.shownCharacterId) this.reset(state);
    const summary = statusSummary(state);
    this.status.textContent = summary.text;
    this.status.dataset.status = state.status;
    this.status.dataset.tone = summary.tone;
    const { completed, failed, cancelled, total } = countSlots(state);
    this.progress.max = total;
    this.progress.value = completed + failed + cancelled;
    const regenerating = state.slots.filter((slot) => slot.regenerating).length;
    this.count.textContent = `${completed} of ${total} done${failed ? `, ${failed} failed` : ''}${cancelled ? `, ${cancelled} cancelled` : ''}${regenerating ? `, ${regenerating} regenerating` : ''}`;
    this.metadata.hidden = !state.metadataUrl;
    if (state.metadataUrl) this.metadata.href = state.metadataUrl;
    this.live = !isFinished(state);
    if (!this.live) this.connection.textContent = '';
    this.exports.show(state);
    this.consistency.textContent = consistencyText(state.consistency);
    state.slots.forEach((slot, index) => {
      const item = this.slotList.children[index] as HTMLLIElement;
      this.renderSlot(item, slot, state.name);
      showSlotScore(item.querySelector('.slot-score') as HTMLParagraphElement, slot, state.consistency);
    });
  }

  /**
   * Takes the reader to the sheet that was just opened. On a narrow screen it sits below the form and the
   * list, out of sight; beside them on a wide one it is usually in view already, and then nothing moves.
   * Focus follows, so a screen reader announces the sheet and Tab continues from it.
   */
  bringIntoView(): void {
    const top = this.section.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 2) {
      this.section.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    }
    this.name.focus({ preventScroll: true });
  }

  showConnection(state: ConnectionState): void {
    if (this.live) this.connection.textContent = CONNECTION_TEXT[state];
  }

  /** The sheet's character is gone: back to the placeholder, saying so. */
  close(notice: string): void {
    this.shownCharacterId = null;
    this.section.hidden = true;
    this.placeholder.hidden = false;
    this.slotList.replaceChildren();
    element('sheet-notice', HTMLParagraphElement).textContent = notice;
    // Focus was on a control that is gone now; the placeholder's heading is where the reader is.
    element('placeholder-heading', HTMLHeadingElement).focus();
  }

  private reset(state: SheetState): void {
    this.shownCharacterId = state.characterId;
    this.section.hidden = false;
    this.placeholder.hidden = true;
    element('sheet-notice', HTMLParagraphElement).textContent = '';
    this.name.textContent = state.name;
    this.description.textContent = state.description;
    showImage(this.avatar, state.avatarUrl);
    this.avatar.alt = `Avatar of ${state.name}`;
    this.metadata.download = `${state.slug}-metadata.json`;
    this.playground.href = `/graphql?characterId=${encodeURIComponent(state.characterId)}`;
    this.slotList.replaceChildren(...state.slots.map((slot) => emptySlot(slot)));
  }

  private renderSlot(item: HTMLLIElement, slot: Slot, characterName: string): void {
    const key = `${slot.status}|${slot.url ?? ''}|${slot.regenerating}|${slot.error ?? ''}`;
    if (item.dataset.key === key) return;
    item.dataset.key = key;
    item.dataset.status = slot.status;
    item.toggleAttribute('data-regenerating', slot.regenerating);
    item.setAttribute('aria-busy', String(slot.regenerating || slot.status === 'generating'));
    const frame = item.querySelector('.frame') as HTMLDivElement;
    const state = item.querySelector('.slot-state') as HTMLParagraphElement;
    const regenerate = item.querySelector('button.regenerate') as HTMLButtonElement;
    setShown(regenerate, !slot.regenerating && REGENERABLE.has(slot.status), state);
    if (slot.status === 'completed' && slot.url) {
      const shown = frame.querySelector('img');
      if (shown?.dataset.source !== slot.url) {
        const image = document.createElement('img');
        showImage(image, slot.url);
        image.alt = `${variationLabel(slot.type)} of ${characterName}`;
        image.loading = 'lazy';
        frame.replaceChildren(image);
      }
    } else {
      frame.replaceChildren();
    }
    state.textContent = slotText(slot);
    state.classList.toggle('error', slot.status === 'failed' || (slot.status === 'completed' && slot.error !== null && !slot.regenerating));
  }
}

function slotText(slot: Slot): string {
  if (slot.regenerating) return 'Regenerating…';
  if (slot.status === 'failed') return `Failed: ${slot.error ?? 'unknown error'}`;
  // A completed slot with an error kept its image because the new one failed.
  if (slot.status === 'completed' && slot.error) return `Regeneration failed: ${slot.error.replace(REGENERATION_FAILED, '')}`;
  return SLOT_TEXT[slot.status];
}

function emptySlot(slot: Slot): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'slot';
  item.dataset.variation = slot.type;
  const figure = document.createElement('figure');
  const frame = document.createElement('div');
  frame.className = 'frame';
  const caption = document.createElement('figcaption');
  caption.textContent = variationLabel(slot.type);
  const state = document.createElement('p');
  state.className = 'slot-state';
  const score = document.createElement('p');
  score.className = 'slot-score';
  const regenerate = document.createElement('button');
  regenerate.type = 'button';
  regenerate.className = 'regenerate secondary';
  regenerate.dataset.variation = slot.type;
  regenerate.textContent = 'Regenerate';
  regenerate.setAttribute('aria-label', `Regenerate ${variationLabel(slot.type)}`);
  regenerate.hidden = true;
  figure.append(frame, caption, state, score);
  item.append(figure, regenerate);
  return item;
}
