// Errors about a data file's contents or layout, always naming the file (and line when one applies).

export class DataFileError extends Error {
  constructor(readonly file: string, detail: string, readonly line?: number) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${detail}`);
    this.name = 'DataFileError';
  }
}
