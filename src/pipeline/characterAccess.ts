// Reading characters on behalf of a caller. A character the caller may not see answers exactly like one that
// does not exist, so ids reveal nothing about other users' characters.
import { isCharacterId } from '../domain/characterId.js';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import { type CharacterRecord, isVisible } from '../domain/character.js';
import type { CharacterRepository } from '../ports.js';

export interface Viewer {
  username: string;
  /** Admins see every owner's characters. */
  isAdmin: boolean;
}

export const MAX_LIST_LIMIT = 100;
/** Skipping is a scan on the database's side: deep enough for any page a person turns to, bounded for a hostile caller. */
export const MAX_LIST_OFFSET = 100_000;

/** The caller's character (any owner's for an admin) as stored, removals included; NOT_FOUND for anything else. */
async function findOwnRecord(characters: Pick<CharacterRepository, 'findById'>, viewer: Viewer, id: string): Promise<CharacterRecord> {
  if (!isCharacterId(id)) throw new InvalidInputError(`malformed character id ${JSON.stringify(id.slice(0, 40))}: expected 24 hexadecimal characters`, 'id');
  const character = await characters.findById(id);
  if (!character || (!viewer.isAdmin && character.ownerUsername !== viewer.username)) throw new NotFoundError(`no character with id ${id}`);
  return character;
}

/** Deleted characters, and ones an interrupted createCharacter never committed, do not exist for anyone. */
export async function findVisibleCharacter(characters: Pick<CharacterRepository, 'findById'>, viewer: Viewer, id: string): Promise<CharacterRecord> {
  const character = await findOwnRecord(characters, viewer, id);
  if (!isVisible(character)) throw new NotFoundError(`no character with id ${id}`);
  return character;
}

/**
 * A character the caller may change, for the requests on a set. Its owner, who may have sent a regenerate and a
 * delete at the same moment, is told the character is being deleted rather than that it does not exist; once the
 * removal has finished, the id is unknown like any other.
 */
export async function findChangeableCharacter(characters: Pick<CharacterRepository, 'findById'>, viewer: Viewer, id: string): Promise<CharacterRecord> {
  const character = await findOwnRecord(characters, viewer, id);
  if (isBeingDeleted(character)) throw new InvalidInputError(`character ${id} is being deleted`, 'characterId');
  if (!isVisible(character)) throw new NotFoundError(`no character with id ${id}`);
  return character;
}

/** For deleteCharacter: the caller's character, visible or being deleted already (a second delete is a no-op). */
export async function findDeletableCharacter(characters: Pick<CharacterRepository, 'findById'>, viewer: Viewer, id: string): Promise<CharacterRecord> {
  const character = await findOwnRecord(characters, viewer, id);
  if (!isVisible(character) && !isBeingDeleted(character)) throw new NotFoundError(`no character with id ${id}`);
  return character;
}

export function isBeingDeleted(character: Pick<CharacterRecord, 'removal'>): boolean {
  return character.removal?.reason === 'deleted';
}

export async function listVisibleCharacters(characters: CharacterRepository, viewer: Viewer, limit: number, offset = 0): Promise<CharacterRecord[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) throw new InvalidInputError(`limit must be from 1 to ${MAX_LIST_LIMIT}`, 'limit');
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_LIST_OFFSET) throw new InvalidInputError(`offset must be from 0 to ${MAX_LIST_OFFSET}`, 'offset');
  return characters.list(viewer.isAdmin ? null : viewer.username, limit, offset);
}
