/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "fragment VariationFields on VariationRecord {\n  type\n  status\n  seed\n  prompt\n  attempts\n  url\n  bytes\n  width\n  height\n  error\n  generationMs\n  startedAt\n  completedAt\n}\n\nfragment CharacterFields on Character {\n  id\n  name\n  slug\n  ownerUsername\n  description\n  style\n  baseSeed\n  avatarUrl\n  createdAt\n  traits {\n    key\n    value\n  }\n  embeddings {\n    imageEmbeddings {\n      status\n      totalImages\n      cloudinaryUrls\n      metadataUrl\n      version\n      generationStartedAt\n      generationCompletedAt\n    }\n  }\n  variations {\n    ...VariationFields\n  }\n}\n\nmutation CreateCharacter($input: CreateCharacterInput!) {\n  createCharacter(input: $input) {\n    ...CharacterFields\n  }\n}\n\nquery Character($id: ID!) {\n  character(id: $id) {\n    ...CharacterFields\n  }\n}\n\nquery Characters($limit: Int! = 50) {\n  characters(limit: $limit) {\n    id\n    name\n    avatarUrl\n    createdAt\n    embeddings {\n      imageEmbeddings {\n        status\n        totalImages\n      }\n    }\n  }\n}\n\nquery EmbeddingStatus($characterId: ID!) {\n  embeddingStatus(characterId: $characterId) {\n    characterId\n    success\n    status\n    totalImages\n    generationStartedAt\n    generationCompletedAt\n    cloudinaryUrls\n    metadataUrl\n    message\n    images {\n      ...VariationFields\n    }\n  }\n}\n\nsubscription EmbeddingProgress($characterId: ID!) {\n  embeddingProgress(characterId: $characterId) {\n    characterId\n    kind\n    variation\n    status\n    url\n    error\n    completed\n    failed\n    total\n  }\n}": typeof types.VariationFieldsFragmentDoc,
};
const documents: Documents = {
    "fragment VariationFields on VariationRecord {\n  type\n  status\n  seed\n  prompt\n  attempts\n  url\n  bytes\n  width\n  height\n  error\n  generationMs\n  startedAt\n  completedAt\n}\n\nfragment CharacterFields on Character {\n  id\n  name\n  slug\n  ownerUsername\n  description\n  style\n  baseSeed\n  avatarUrl\n  createdAt\n  traits {\n    key\n    value\n  }\n  embeddings {\n    imageEmbeddings {\n      status\n      totalImages\n      cloudinaryUrls\n      metadataUrl\n      version\n      generationStartedAt\n      generationCompletedAt\n    }\n  }\n  variations {\n    ...VariationFields\n  }\n}\n\nmutation CreateCharacter($input: CreateCharacterInput!) {\n  createCharacter(input: $input) {\n    ...CharacterFields\n  }\n}\n\nquery Character($id: ID!) {\n  character(id: $id) {\n    ...CharacterFields\n  }\n}\n\nquery Characters($limit: Int! = 50) {\n  characters(limit: $limit) {\n    id\n    name\n    avatarUrl\n    createdAt\n    embeddings {\n      imageEmbeddings {\n        status\n        totalImages\n      }\n    }\n  }\n}\n\nquery EmbeddingStatus($characterId: ID!) {\n  embeddingStatus(characterId: $characterId) {\n    characterId\n    success\n    status\n    totalImages\n    generationStartedAt\n    generationCompletedAt\n    cloudinaryUrls\n    metadataUrl\n    message\n    images {\n      ...VariationFields\n    }\n  }\n}\n\nsubscription EmbeddingProgress($characterId: ID!) {\n  embeddingProgress(characterId: $characterId) {\n    characterId\n    kind\n    variation\n    status\n    url\n    error\n    completed\n    failed\n    total\n  }\n}": types.VariationFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment VariationFields on VariationRecord {\n  type\n  status\n  seed\n  prompt\n  attempts\n  url\n  bytes\n  width\n  height\n  error\n  generationMs\n  startedAt\n  completedAt\n}\n\nfragment CharacterFields on Character {\n  id\n  name\n  slug\n  ownerUsername\n  description\n  style\n  baseSeed\n  avatarUrl\n  createdAt\n  traits {\n    key\n    value\n  }\n  embeddings {\n    imageEmbeddings {\n      status\n      totalImages\n      cloudinaryUrls\n      metadataUrl\n      version\n      generationStartedAt\n      generationCompletedAt\n    }\n  }\n  variations {\n    ...VariationFields\n  }\n}\n\nmutation CreateCharacter($input: CreateCharacterInput!) {\n  createCharacter(input: $input) {\n    ...CharacterFields\n  }\n}\n\nquery Character($id: ID!) {\n  character(id: $id) {\n    ...CharacterFields\n  }\n}\n\nquery Characters($limit: Int! = 50) {\n  characters(limit: $limit) {\n    id\n    name\n    avatarUrl\n    createdAt\n    embeddings {\n      imageEmbeddings {\n        status\n        totalImages\n      }\n    }\n  }\n}\n\nquery EmbeddingStatus($characterId: ID!) {\n  embeddingStatus(characterId: $characterId) {\n    characterId\n    success\n    status\n    totalImages\n    generationStartedAt\n    generationCompletedAt\n    cloudinaryUrls\n    metadataUrl\n    message\n    images {\n      ...VariationFields\n    }\n  }\n}\n\nsubscription EmbeddingProgress($characterId: ID!) {\n  embeddingProgress(characterId: $characterId) {\n    characterId\n    kind\n    variation\n    status\n    url\n    error\n    completed\n    failed\n    total\n  }\n}"): (typeof documents)["fragment VariationFields on VariationRecord {\n  type\n  status\n  seed\n  prompt\n  attempts\n  url\n  bytes\n  width\n  height\n  error\n  generationMs\n  startedAt\n  completedAt\n}\n\nfragment CharacterFields on Character {\n  id\n  name\n  slug\n  ownerUsername\n  description\n  style\n  baseSeed\n  avatarUrl\n  createdAt\n  traits {\n    key\n    value\n  }\n  embeddings {\n    imageEmbeddings {\n      status\n      totalImages\n      cloudinaryUrls\n      metadataUrl\n      version\n      generationStartedAt\n      generationCompletedAt\n    }\n  }\n  variations {\n    ...VariationFields\n  }\n}\n\nmutation CreateCharacter($input: CreateCharacterInput!) {\n  createCharacter(input: $input) {\n    ...CharacterFields\n  }\n}\n\nquery Character($id: ID!) {\n  character(id: $id) {\n    ...CharacterFields\n  }\n}\n\nquery Characters($limit: Int! = 50) {\n  characters(limit: $limit) {\n    id\n    name\n    avatarUrl\n    createdAt\n    embeddings {\n      imageEmbeddings {\n        status\n        totalImages\n      }\n    }\n  }\n}\n\nquery EmbeddingStatus($characterId: ID!) {\n  embeddingStatus(characterId: $characterId) {\n    characterId\n    success\n    status\n    totalImages\n    generationStartedAt\n    generationCompletedAt\n    cloudinaryUrls\n    metadataUrl\n    message\n    images {\n      ...VariationFields\n    }\n  }\n}\n\nsubscription EmbeddingProgress($characterId: ID!) {\n  embeddingProgress(characterId: $characterId) {\n    characterId\n    kind\n    variation\n    status\n    url\n    error\n    completed\n    failed\n    total\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;