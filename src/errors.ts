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

/** Every error the library throws on purpose. */
export class KillallError extends Error {
  /** What went wrong, stable across versions. */
  readonly code: KillallErrorCode;
  /** The errno code behind it (`ENOENT`, `EMFILE`), or the offending text for BAD_REGEX and BAD_OPTION. */
  readonly detail: string;
  /** What it is about: the path of BAD_PATH, the pattern of BAD_REGEX, the user or signal of BAD_OPTION. */
  readonly subject: string;
  constructor(
    code: KillallErrorCode,
    message: string,
    detail = '',
    options?: { cause?: unknown; subject?: string },
  ) {
    super(message, options);
    this.name = 'KillallError';
    this.code = code;
    this.detail = detail;
    this.subject = options?.subject ?? detail;
  }
}
