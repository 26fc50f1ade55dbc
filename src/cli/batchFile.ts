// Reads a batch file of characters: JSON Lines (one object per line) or CSV (a header row; name, description,
// style and seed columns, every other column a trait). A broken line does not stop the batch: it becomes a
// problem with its line number and the good lines go on. Only shapes are checked here; the service validates
// what a character may be (lengths, characters, seed range) and answers per input.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { CreateCharacterInput } from '../generated/graphql/graphql.js';
import { CliError, EXIT } from './exitCodes.js';

export interface BatchEntry {
  /** 1-based line in the file, for messages. */
  line: number;
  input: CreateCharacterInput;
}

export interface BatchProblem {
  line: number;
  message: string;
}

export interface BatchFile {
  entries: BatchEntry[];
  problems: BatchProblem[];
}

const FIELDS = new Set(['name', 'description', 'style', 'seed', 'traits']);

function seedOf(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const seed = typeof value === 'string' ? Number(value) : value;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) throw new Error(`seed must be a whole number (got ${JSON.stringify(value)})`);
  return seed;
}

function optionalText(field: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new Error(`${field} must be a string`);
  return value;
}

/** `{"hair": "red"}` or `[{"key": "hair", "value": "red"}]`: both are how people write traits. */
function traitsOf(value: unknown): { key: string; value: string }[] | null {
  if (value === undefined || value === null) return null;
  const pairs = Array.isArray(value) ? value.map((item: { key?: unknown; value?: unknown }) => [item?.key, item?.value]) : typeof value === 'object' ? Object.entries(value) : null;
  if (!pairs || pairs.some(([key, text]) => typeof key !== 'string' || typeof text !== 'string')) {
    throw new Error('traits must be an object of strings ({"hair": "red"}) or a list of {"key", "value"} strings');
  }
  return pairs.map(([key, text]) => ({ key: key as string, value: text as string }));
}

/** A flag-style character ({name, description, style, seed, traits}) as the API's input. */
export function characterInput(record: Record<string, unknown>): CreateCharacterInput {
  const unknown = Object.keys(record).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) throw new Error(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${[...FIELDS].join(', ')})`);
  const name = record.name;
  if (typeof name !== 'string' || name.trim() === '') throw new Error('name is missing');
  return { name, description: optionalText('description', record.description), style: optionalText('style', record.style), seed: seedOf(record.seed), traits: traitsOf(record.traits) };
}

export function parseJsonLines(text: string): BatchFile {
  const file: BatchFile = { entries: [], problems: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    try {
      let record: unknown;
      try {
        record = JSON.parse(raw);
      } catch {
        throw new Error('not valid JSON');
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new Error('not a JSON object');
      file.entries.push({ line, input: characterInput(record as Record<string, unknown>) });
    } catch (error) {
      file.problems.push({ line, message: (error as Error).message });
    }
  });
  return file;
}

const CSV_COLUMNS = new Set(['name', 'description', 'style', 'seed']);

export function parseCsvFile(text: string): BatchFile {
  const file: BatchFile = { entries: [], problems: [] };
  const rows = parseCsv(text, {
    columns: (header: string[]) => header.map((column) => column.trim()),
    info: true,
    bom: true,
    skip_empty_lines: true,
    trim: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) file.problems.push({ line: Number(error.lines), message: error.message.replace(/ (at|on) line \d+$/, '') });
    },
  }) as { info: { lines: number }; record: Record<string, string> }[];
  for (const { info, record } of rows) {
    const traits = Object.entries(record)
      .filter(([column, value]) => !CSV_COLUMNS.has(column) && value !== '')
      .map(([key, value]) => ({ key, value }));
    const fields = Object.fromEntries(Object.entries(record).filter(([column, value]) => CSV_COLUMNS.has(column) && value !== ''));
    try {
      file.entries.push({ line: info.lines, input: characterInput({ ...fields, ...(traits.length > 0 ? { traits } : {}) }) });
    } catch (error) {
      file.problems.push({ line: info.lines, message: (error as Error).message });
    }
  }
  return file;
}

export async function readBatchFile(file: string): Promise<BatchFile> {
  const extension = path.extname(file).toLowerCase();
  if (extension !== '.jsonl' && extension !== '.ndjson' && extension !== '.csv') throw new CliError(`--file must end in .jsonl or .csv (got ${JSON.stringify(file)})`, EXIT.usage);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.usage);
  }
  try {
    return extension === '.csv' ? parseCsvFile(text) : parseJsonLines(text);
  } catch (error) {
    // Only a CSV whose header itself cannot be read gets here.
    throw new CliError(`cannot read ${file} as CSV: ${(error as Error).message}`, EXIT.usage);
  }
}
