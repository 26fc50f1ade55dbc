// Which characters a caller can read, change and delete, and what every refusal says. The repository is a
// map: what is tested is the rule, the answers a GraphQL client receives as NOT_FOUND or BAD_USER_INPUT.
import { describe, expect, it } from 'vitest';
import type { CharacterRecord, Removal } from '../../src/domain/character.js';
import { InvalidInputError, NotFoundError } from '../../src/domain/errors.js';
import { findChangeableCharacter, findDeletableCharacter, findVisibleCharacter, listVisibleCharacters, MAX_LIST_LIMIT, MAX_LIST_OFFSET, type Viewer } from '../../src/pipeline/characterAccess.js';
import type { CharacterRepository } from '../../src/ports.js';

const ALICE: Viewer = { username: 'alice', isAdmin: false };
const BOB: Viewer = { username: 'bob', isAdmin: false };
const ADMIN: Viewer = { username: 'root', isAdmin: true };

const ids = { visible: 'a'.repeat(24), deleting: 'b'.repeat(24), uncommitted: 'c'.repeat(24), unknown: 'd'.repeat(24) };
const removal = (reason: Removal['reason']): Removal => ({ reason, requestedAt: new Date(0), notBefore: new Date(0) });
const records = new Map<string, Pick<CharacterRecord, 'id' | 'ownerUsername' | 'removal'>>([
  [ids.visible, { id: ids.visible, ownerUsername: 'alice' }],
  [ids.deleting, { id: ids.deleting, ownerUsername: 'alice', removal: removal('deleted') }],
  [ids.uncommitted, { id: ids.uncommitted, ownerUsername: 'alice', removal: removal('uncommitted') }],
]);
const characters = { findById: async (id: string) => (records.get(id) as CharacterRecord | undefined) ?? null };

async function refusal(promise: Promise<unknown>): Promise<{ kind: string; message: string; field?: string }> {
  const error: unknown = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error instanceof InvalidInputError) return { kind: 'BAD_USER_INPUT', message: error.message, field: error.field };
  if (error instanceof NotFoundError) return { kind: 'NOT_FOUND', message: error.message };
  throw new Error(`expected a refusal, got ${String(error)}`);
}

const notFound = (id: string) => ({ kind: 'NOT_FOUND', message: `no character with id ${id}` });

describe('reading a character', () => {
  it("answers its owner and an admin, and another user exactly as for an id that does not exist", async () => {
    expect((await findVisibleCharacter(characters, ALICE, ids.visible)).id).toBe(ids.visible);
    expect((await findVisibleCharacter(characters, ADMIN, ids.visible)).id).toBe(ids.visible);
    expect(await refusal(findVisibleCharacter(characters, BOB, ids.visible))).toEqual(notFound(ids.visible));
    expect(await refusal(findVisibleCharacter(characters, ALICE, ids.unknown))).toEqual(notFound(ids.unknown));
  });

  it('hides a character being deleted and one whose createCharacter never finished, even from its owner', async () => {
    expect(await refusal(findVisibleCharacter(characters, ALICE, ids.deleting))).toEqual(notFound(ids.deleting));
    expect(await refusal(findVisibleCharacter(characters, ALICE, ids.uncommitted))).toEqual(notFound(ids.uncommitted));
  });

  it('refuses a malformed id by name, quoting at most 40 characters of it', async () => {
    const long = `x${'y'.repeat(60)}`;
    expect(await refusal(findVisibleCharacter(characters, ALICE, long))).toEqual({
      kind: 'BAD_USER_INPUT',
      field: 'id',
      message: `malformed character id ${JSON.stringify(long.slice(0, 40))}: expected 24 hexadecimal characters`,
    });
  });
});

describe('changing and deleting a character', () => {
  it('tells the owner a character is being deleted rather than that it does not exist', async () => {
    expect(await refusal(findChangeableCharacter(characters, ALICE, ids.deleting))).toEqual({ kind: 'BAD_USER_INPUT', field: 'characterId', message: `character ${ids.deleting} is being deleted` });
    expect(await refusal(findChangeableCharacter(characters, BOB, ids.deleting))).toEqual(notFound(ids.deleting));
    expect(await refusal(findChangeableCharacter(characters, ALICE, ids.uncommitted))).toEqual(notFound(ids.uncommitted));
    expect((await findChangeableCharacter(characters, ALICE, ids.visible)).id).toBe(ids.visible);
  });

  it('lets a second delete find the character being deleted, never an uncommitted one', async () => {
    expect((await findDeletableCharacter(characters, ALICE, ids.deleting)).id).toBe(ids.deleting);
    expect((await findDeletableCharacter(characters, ALICE, ids.visible)).id).toBe(ids.visible);
    expect(await refusal(findDeletableCharacter(characters, ALICE, ids.uncommitted))).toEqual(notFound(ids.uncommitted));
    expect(await refusal(findDeletableCharacter(characters, BOB, ids.visible))).toEqual(notFound(ids.visible));
  });
});

describe('listing characters', () => {
  const asked: { owner: string | null; limit: number; offset: number }[] = [];
  const repository = {
    list: async (owner: string | null, limit: number, offset: number) => {
      asked.push({ owner, limit, offset });
      return [];
    },
  } as unknown as CharacterRepository;

  it('lists the caller’s own characters, every owner’s for an admin, within the page bounds', async () => {
    await listVisibleCharacters(repository, ALICE, 1);
    await listVisibleCharacters(repository, ADMIN, MAX_LIST_LIMIT, MAX_LIST_OFFSET);
    expect(asked).toEqual([
      { owner: 'alice', limit: 1, offset: 0 },
      { owner: null, limit: MAX_LIST_LIMIT, offset: MAX_LIST_OFFSET },
    ]);
  });

  it.each([
    [0, 0, 'limit'],
    [MAX_LIST_LIMIT + 1, 0, 'limit'],
    [1.5, 0, 'limit'],
    [10, -1, 'offset'],
    [10, MAX_LIST_OFFSET + 1, 'offset'],
    [10, 0.5, 'offset'],
  ])('refuses limit %s with offset %s, naming %s', async (limit, offset, field) => {
    const message = field === 'limit' ? `limit must be from 1 to ${MAX_LIST_LIMIT}` : `offset must be from 0 to ${MAX_LIST_OFFSET}`;
    expect(await refusal(listVisibleCharacters(repository, ALICE, limit, offset))).toEqual({ kind: 'BAD_USER_INPUT', field, message });
  });
});
