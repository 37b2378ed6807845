// Configuration errors: stable codes, messages that name the flag at fault.

export const configErrorCodes = {
  'bad-flag': 'a flag has a value tsk8s cannot use',
  'data-dir': 'the data directory cannot be created or written',
  'bad-file': 'a configuration file cannot be read or parsed',
} as const;

export type ConfigErrorCode = keyof typeof configErrorCodes;

export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  constructor(code: ConfigErrorCode, message: string) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
  }
}
