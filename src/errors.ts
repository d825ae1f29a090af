/** Stable codes of the errors the library throws; the CLI turns each into psmisc's message. */
export type KillallErrorCode =
  | 'PROC_UNAVAILABLE'
  | 'PROC_UNREADABLE'
  | 'BAD_REGEX'
  | 'BAD_PATH'
  | 'NO_UID'
  | 'NO_UPTIME'
  | 'RESOURCE'
  | 'BAD_OPTION';

/** Every error the library throws on purpose. `detail` carries what the message needs (a name, an errno). */
export class KillallError extends Error {
  readonly code: KillallErrorCode;
  readonly detail: string;
  constructor(code: KillallErrorCode, message: string, detail = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KillallError';
    this.code = code;
    this.detail = detail;
  }
}
