// A new character is inserted through the driver, not through a mongoose document: the stored document must be
// exactly what the model's schema describes (every default present, every value valid, nothing cast
// differently), and read back as the record create() returned.
import { describe, expect, it } from 'vitest';
import { VARIATIONS } from '../../src/domain/variations.js';
import { CharacterModel } from '../../src/models/character.js';
import { characterCollection, knownId } from '../../src/models/characterDocuments.js';
import { useCharacterRepository } from '../support/repository.js';

describe('a new character document', () => {
  const repositoryOf = useCharacterRepository();

  it('is what the schema describes, uncommitted, and reads back as the record create() returned', async () => {
    const id = repositoryOf().newId();
    const commitBy = new Date(Date.now() + 60_000);
    const created = await repositoryOf().create({
      id,
      ownerUsername: 'ada',
      ownerSlug: 'ada',
      name: 'Mira Vale',
      slug: `mira-vale-${id.slice(-8)}`,
      description: 'a pilot',
      traits: [{ key: 'hair', value: 'red' }],
      style: 'ink',
      baseSeed: 7,
      avatarKey: `characters/ada/mira-vale-${id.slice(-8)}/avatar/avatar.png`,
      variations: VARIATIONS.map((spec, index) => ({ type: spec.type, seed: 8 + index, prompt: `prompt ${spec.type}` })),
      commitBy,
    });

    const stored = await characterCollection().findOne({ _id: knownId(id) });
    expect(stored).not.toBeNull();
    // The schema's own view of it: no validation error, and no default or cast it would have added or changed.
    const modelled = new CharacterModel(stored);
    await expect(modelled.validate()).resolves.toBeUndefined();
    const { __v: _version, ...asMongooseWouldStore } = modelled.toObject({ versionKey: false }) as Record<string, unknown>;
    expect(asMongooseWouldStore).toEqual(stored);

    expect(stored!.removal).toEqual({ reason: 'uncommitted', requestedAt: stored!.createdAt, notBefore: commitBy });
    expect(stored!.variations.map((slot) => [slot.status, slot.attempts, slot.failures])).toEqual(VARIATIONS.map(() => ['pending', 0, 0]));
    expect(stored!.embeddings.imageEmbeddings).toMatchObject({ status: 'pending', totalImages: 0, sequence: 0 });
    expect(await repositoryOf().findById(id)).toEqual(created);
    expect(created).toMatchObject({ id, name: 'Mira Vale', traits: [{ key: 'hair', value: 'red' }], baseSeed: 7 });

    const committed = await repositoryOf().commit(id, 'v1');
    const { removal: _removal, updatedAt: _createdUpdatedAt, ...createdFields } = created;
    expect(committed).toMatchObject({ ...createdFields, avatarVersion: 'v1' });
  });
});
