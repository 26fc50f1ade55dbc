// Keeps the open sheet current: embeddingProgress events move it forward; embeddingStatus catches it up on
// every (re)connection and once the set is done. The server may publish an event between our status read and
// the moment our subscription is registered; the catch-up on 'done' repairs any such gap, so the final sheet
// always matches the server.
import { EmbeddingProgressDocument, EmbeddingStatusDocument, type CharacterFieldsFragment } from '../../../src/generated/graphql/graphql.js';
import { request } from './api.js';
import type { LiveClient } from './liveClient.js';
import { isFinished, sheetFromCharacter, withEvent, withStatus, type SheetState } from './sheetState.js';
import { userMessage } from './userMessages.js';

export class SheetWatcher {
  private state: SheetState | null = null;
  private stopWatching: (() => void) | null = null;

  constructor(
    private readonly live: LiveClient,
    private readonly render: (state: SheetState) => void,
    /** Told when a set finishes, so the character list can show the new status. */
    private readonly onFinished: (state: SheetState) => void,
    private readonly onError: (message: string) => void,
  ) {}

  open(character: CharacterFieldsFragment): void {
    this.stop();
    this.show(sheetFromCharacter(character));
    if (this.state && isFinished(this.state)) return;

    const characterId = character.id;
    const stopCatchUp = this.live.onConnected(() => void this.catchUp(characterId));
    const unsubscribe = this.live.subscribe(EmbeddingProgressDocument, { characterId }, {
      next: ({ embeddingProgress }) => {
        if (!this.state || this.state.characterId !== characterId) return;
        this.show(withEvent(this.state, embeddingProgress));
        if (embeddingProgress.kind === 'done') void this.catchUp(characterId);
      },
      error: (message) => this.onError(message),
      complete: () => void this.catchUp(characterId),
    });
    this.stopWatching = () => {
      stopCatchUp();
      unsubscribe();
    };
  }

  stop(): void {
    this.stopWatching?.();
    this.stopWatching = null;
  }

  private async catchUp(characterId: string): Promise<void> {
    try {
      const { embeddingStatus } = await request(EmbeddingStatusDocument, { characterId });
      if (!this.state || this.state.characterId !== characterId) return;
      this.show(withStatus(this.state, embeddingStatus));
    } catch (error) {
      // The next connection or the 'done' event tries again; say why the sheet may be behind meanwhile.
      this.onError(userMessage(error));
    }
  }

  private show(next: SheetState): void {
    const wasFinished = this.state !== null && this.state.characterId === next.characterId && isFinished(this.state);
    this.state = next;
    this.render(next);
    if (isFinished(next)) {
      if (!wasFinished) this.onFinished(next);
      this.stop();
    }
  }
}
