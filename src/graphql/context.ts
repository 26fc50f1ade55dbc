import type { Character } from '../models/character.js';
import type { Viewer } from '../pipeline/characterAccess.js';
import type { CharacterInput } from '../pipeline/characterInput.js';
import type { TrainingSetExport, TrainingSetRequest } from '../pipeline/exportTrainingSet.js';
import type { CharacterRepository, ProgressBus } from '../ports.js';

/** What resolvers may use: the use cases and read ports, never adapters. */
export interface Services {
  characters: CharacterRepository;
  progress: ProgressBus;
  createCharacter(ownerUsername: string, input: CharacterInput): Promise<Character>;
  exportTrainingSet(viewer: Viewer, request: TrainingSetRequest): Promise<TrainingSetExport>;
}

export interface GraphQLContext {
  viewer: Viewer;
  services: Services;
}
