// Looks up the page's fixed elements by id, failing loudly when index.html and the code disagree.
export function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html has no <${type.name}> #${id}`);
  return found;
}

/**
 * Shows or hides a control. Hiding the one that has focus would drop keyboard users at the top of the page,
 * so focus moves to `fallback` (something that says what happened) instead.
 */
export function setShown(control: HTMLElement, shown: boolean, fallback: HTMLElement): void {
  if (!shown && !control.hidden && control.contains(document.activeElement)) {
    if (fallback.tabIndex < 0 && !fallback.hasAttribute('tabindex')) fallback.tabIndex = -1;
    fallback.focus();
  }
  control.hidden = !shown;
}
