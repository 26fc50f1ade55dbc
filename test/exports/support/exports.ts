// Creating characters and exporting them over the public API, as a client would, then downloading the zip.
import { expect } from 'vitest';
import { CreateCharacterDocument, EmbeddingStatusDocument, ExportTrainingSetDocument, type CreateCharacterInput, type TrainingSetFormat } from '../../../src/generated/graphql/graphql.js';
import type { GraphQLTestClient } from '../../support/graphqlClient.js';
import { waitFor } from '../../support/waitFor.js';
import { unzip } from './unzip.js';

/** Creates the character and waits until its set has finished (completed or failed). */
export async function createFinishedCharacter(client: GraphQLTestClient, input: CreateCharacterInput): Promise<string> {
  const { createCharacter } = await client.request(CreateCharacterDocument, { input });
  await waitFor(async () => {
    const { embeddingStatus } = await client.request(EmbeddingStatusDocument, { characterId: createCharacter.id });
    return embeddingStatus.status === 'completed' || embeddingStatus.status === 'failed';
  }, `reference set of ${input.name}`);
  return createCharacter.id;
}

export async function download(url: string, headers: Record<string, string> = {}): Promise<Uint8Array> {
  const response = await fetch(url, { headers });
  expect(response.status, `GET ${url}`).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

/** Exports, downloads the zip from the returned URL and reads it back. */
export async function exportAndUnzip(client: GraphQLTestClient, characterId: string, format: TrainingSetFormat, triggerWord?: string) {
  const { exportTrainingSet } = await client.request(ExportTrainingSetDocument, { characterId, format, triggerWord });
  const zip = await download(exportTrainingSet.url);
  expect(zip.byteLength).toBe(exportTrainingSet.bytes);
  return { result: exportTrainingSet, zip, files: await unzip(zip) };
}
