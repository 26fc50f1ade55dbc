// A character repository on a fresh test database for one test file, connected before its tests and dropped
// after them, as the service connects it (mongoose's default connection, the model's indexes built).
import mongoose from 'mongoose';
import { afterAll, beforeAll } from 'vitest';
import { VARIATIONS } from '../../src/domain/variations.js';
import { CharacterModel } from '../../src/models/character.js';
import { MongooseCharacterRepository } from '../../src/models/character.repository.js';
import { startTestDatabase, type TestDatabase } from './mongo.js';

/** Call at the top of a describe block; the returned function gives the repository inside its tests. */
export function useCharacterRepository(): () => MongooseCharacterRepository {
  let database: TestDatabase | undefined;
  let repository: MongooseCharacterRepository | undefined;
  beforeAll(async () => {
    database = await startTestDatabase();
    await mongoose.connect(database.dbUri);
    await CharacterModel.init();
    repository = new MongooseCharacterRepository();
  });
  afterAll(async () => {
    await mongoose.disconnect();
    await database?.close();
  });
  return () => {
    if (!repository) throw new Error('the repository is connected in beforeAll');
    return repository;
  };
}

/**
 * Inserts an uncommitted character of `owner` with the catalog's ten slots (slot n has seed n), removable as
 * uncommitted from `commitBy`; returns its id.
 */
export async function insertCharacter(repository: MongooseCharacterRepository, owner: string, name: string, commitBy: Date): Promise<string> {
  const id = repository.newId();
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id.slice(-8)}`;
  await repository.create({
    id,
    ownerUsername: owner,
    ownerSlug: owner,
    name,
    slug,
    description: '',
    traits: [],
    style: 'ink',
    baseSeed: 1,
    avatarKey: `characters/${owner}/${slug}/avatar/avatar.png`,
    variations: VARIATIONS.map((spec, index) => ({ type: spec.type, seed: index, prompt: spec.type })),
    commitBy,
  });
  return id;
}
