/**
 * Raw bytes as text for JavaScript callers: UTF-8, invalid sequences as U+FFFD, control characters kept. Process
 * names are attacker-controlled: this is for comparing and storing, never for printing (see `escapeName`).
 */
export function utf8Text(bytes: Uint8Array): string {
  // Process names are short and mostly ASCII: built here without a call into Buffer's native decoder.
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
    s += String.fromCharCode(c);
  }
  return s;
}
