import type { VariationType } from '../domain/variations.js';
import type { Viewer } from '../pipeline/characterAccess.js';
import type { CharacterInput } from '../pipeline/characterInput.js';
import type { IdentityComparison } from '../pipeline/compareToCharacter.js';
import type { CreationOutcome } from '../pipeline/createCharacters.js';
import type { ObjectUrls } from '../pipeline/characterView.js';
import type { TrainingSetExport, TrainingSetRequest } from '../pipeline/exportTrainingSet.js';
import type { CharacterImageRequest } from '../pipeline/generateCharacterImage.js';
import type { CharacterImageState, CharacterRecord, CharacterRepository, ProgressBus } from '../ports.js';

/** What resolvers may use: the use cases and read ports, never adapters. */
export interface Services {
  characters: CharacterRepository;
  progress: ProgressBus;
  /** Turns stored keys into URLs when a record is read. */
  urls: ObjectUrls;
  createCharacter(ownerUsername: string, input: CharacterInput): Promise<CharacterRecord>;
  createCharacters(ownerUsername: string, inputs: readonly CharacterInput[]): Promise<CreationOutcome[]>;
  regenerateVariation(viewer: Viewer, characterId: string, variation: VariationType, seed?: number | null): Promise<CharacterRecord>;
  retryFailedVariations(viewer: Viewer, characterId: string): Promise<CharacterRecord>;
  cancelReferenceSet(viewer: Viewer, characterId: string): Promise<CharacterRecord>;
  deleteCharacter(viewer: Viewer, characterId: string): Promise<boolean>;
  exportTrainingSet(viewer: Viewer, request: TrainingSetRequest): Promise<TrainingSetExport>;
  compareToCharacter(viewer: Viewer, characterId: string, imageBase64: string): Promise<IdentityComparison>;
  generateCharacterImage(viewer: Viewer, request: CharacterImageRequest): Promise<CharacterImageState>;
}

export interface GraphQLContext {
  viewer: Viewer;
  services: Services;
}
