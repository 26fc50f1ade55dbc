// Keeps the open sheet current. The subscription replays what happened after the sequence number the sheet
// was read at, then follows live, so the sheet needs no status query to catch up: after a reconnect the
// server replays again and the events the sheet already has are dropped by their number. The stream ends
// with the set ('done'); the sheet subscribes again from there, so a set reopened later (by this page or any
// other client) and a delete from elsewhere show up too.
import { CharacterDocument, EmbeddingProgressDocument, type CharacterFieldsFragment } from '../../../src/generated/graphql/graphql.js';
import { request } from './api.js';
import type { LiveClient } from './liveClient.js';
import { isFinished, sheetFromCharacter, withEvent, withSnapshot, type SheetState } from './sheetState.js';
import { userMessage } from './userMessages.js';

export interface SheetListener {
  render(state: SheetState): void;
  /** The set's status changed (it finished, or reopened), so the character list can show it. */
  statusChanged(state: SheetState): void;
  /** The character is gone (deleted on this page or elsewhere). */
  deleted(state: SheetState): void;
  error(message: string): void;
}

export class SheetWatcher {
  private state: SheetState | null = null;
  /** The subscription in use; callbacks of an older one find it replaced and do nothing. */
  private following: { stop: () => void } | null = null;

  constructor(
    private readonly live: LiveClient,
    private readonly listener: SheetListener,
  ) {}

  get current(): SheetState | null {
    return this.state;
  }

  open(character: CharacterFieldsFragment): void {
    this.close();
    this.show(sheetFromCharacter(character));
  }

  /** A read of the open character newer than the sheet (a set-control mutation's answer) replaces it. */
  adopt(character: CharacterFieldsFragment): void {
    if (this.state?.characterId === character.id) this.show(withSnapshot(this.state, character));
  }

  close(): void {
    this.stopFollowing();
    this.state = null;
  }

  private show(next: SheetState): void {
    const before = this.state;
    this.state = next;
    if (next.deleted) {
      this.close();
      this.listener.deleted(next);
      return;
    }
    this.listener.render(next);
    if (before?.characterId === next.characterId && before.status !== next.status) this.listener.statusChanged(next);
    this.follow(next);
    // The end event does not carry the metadata link; the record read at that same number does.
    if (isFinished(next) && before?.characterId === next.characterId && !isFinished(before) && !next.metadataUrl) void this.reread(next.characterId);
  }

  private follow(from: SheetState): void {
    if (this.following) return;
    const { characterId } = from;
    const subscription = {
      stop: this.live.subscribe(EmbeddingProgressDocument, { characterId, after: from.sequence }, {
        next: ({ embeddingProgress }) => {
          if (this.following === subscription && this.state) this.show(withEvent(this.state, embeddingProgress));
        },
        error: (message) => {
          if (this.following !== subscription) return;
          this.following = null;
          this.listener.error(message);
        },
        complete: () => {
          if (this.following !== subscription) return;
          this.following = null;
          // The stream ended with the set: wait for what comes next from there. A stream that brought nothing
          // newer (a record from before event numbers replays its end as 0) is not opened again, or it would spin.
          if (this.state?.characterId === characterId && this.state.sequence > from.sequence) this.follow(this.state);
        },
      }),
    };
    this.following = subscription;
  }

  private stopFollowing(): void {
    const subscription = this.following;
    this.following = null;
    subscription?.stop();
  }

  private async reread(characterId: string): Promise<void> {
    try {
      const { character } = await request(CharacterDocument, { id: characterId });
      this.adopt(character);
    } catch (error) {
      this.listener.error(userMessage(error));
    }
  }
}
