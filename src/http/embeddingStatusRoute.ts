// GET /api/characters/:id/embedding-status — the seed system's REST route, kept for existing clients.
import type { ServerResponse } from 'node:http';
import { InvalidInputError, NotFoundError } from '../domain/errors.js';
import type { Services } from '../graphql/context.js';
import { findVisibleCharacter, type Viewer } from '../pipeline/characterAccess.js';
import { characterView } from '../pipeline/characterView.js';
import { embeddingStatusOf, seedEmbeddingStatusJson } from '../pipeline/embeddingStatus.js';
import { HttpError } from './body.js';
import { sendJson } from './respond.js';

export const EMBEDDING_STATUS_ROUTE = /^\/api\/characters\/([^/]+)\/embedding-status$/;

export async function handleEmbeddingStatusRoute(response: ServerResponse, services: Services, viewer: Viewer, id: string): Promise<void> {
  try {
    const character = await findVisibleCharacter(services.characters, viewer, id);
    sendJson(response, 200, seedEmbeddingStatusJson(embeddingStatusOf(characterView(character, services.urls))));
  } catch (error) {
    if (error instanceof InvalidInputError) throw new HttpError(400, error.message, 'BAD_USER_INPUT');
    if (error instanceof NotFoundError) throw new HttpError(404, error.message, 'NOT_FOUND');
    throw error;
  }
}
