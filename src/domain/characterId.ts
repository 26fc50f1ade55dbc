/** Character ids are MongoDB ObjectIds written as 24 hexadecimal characters; anything else is malformed. */
export function isCharacterId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}
