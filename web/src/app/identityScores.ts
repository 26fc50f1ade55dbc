// How the sheet shows identity: a score under each judged image (outliers marked), why an image was not
// judged, and one line for the set's consistency. Plain text and data attributes; the styles mark them.
import type { SheetConsistency, Slot } from './sheetState.js';

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** Fills the slot's score line; empty while the slot has no image or no score. */
export function showSlotScore(line: HTMLElement, slot: Slot, consistency: SheetConsistency | null): void {
  const score = slot.status === 'completed' ? slot.identity : null;
  const outlier = Boolean(score?.judged && (score.consistent === false || consistency?.outliers.includes(slot.type)));
  line.dataset.identity = !score ? '' : !score.judged ? 'unjudged' : outlier ? 'outlier' : 'consistent';
  line.title = score?.reason ?? '';
  if (!score) line.textContent = '';
  else if (!score.judged) line.textContent = 'Identity not judged';
  else line.textContent = `Identity ${percent(score.similarity ?? 0)}${outlier ? ' · outlier' : ''}${score.regenerations > 0 ? ` · regenerated ${score.regenerations}×` : ''}`;
}

/** "Identity: median 84%, lowest 71% over 6 judged images; no outliers (threshold 68%)". */
export function consistencyText(consistency: SheetConsistency | null): string {
  if (!consistency) return '';
  if (consistency.judged === 0) return `Identity: no image judged${consistency.reason ? ` (${consistency.reason})` : ''}`;
  const outliers = consistency.outliers.length === 0 ? 'no outliers' : `${consistency.outliers.length} outlier${consistency.outliers.length > 1 ? 's' : ''}`;
  return `Identity: median ${percent(consistency.median ?? 0)}, lowest ${percent(consistency.min ?? 0)} over ${consistency.judged} judged images; ${outliers} (threshold ${percent(consistency.threshold)})`;
}
