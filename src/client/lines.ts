// Splits a byte stream into lines, as watch streams arrive: one JSON event
// per line, but chunk boundaries fall anywhere, including inside a line or a
// multi-byte UTF-8 character. Blank lines are skipped; a trailing `\r` is
// dropped.
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  /** Feeds one chunk; returns the lines it completed, in order. */
  push(chunk: Buffer | string): string[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    return parts.map(trimCr).filter((line) => line !== '');
  }

  /** Ends the stream; returns the last line if it had no newline. */
  end(): string[] {
    const last = trimCr(this.partial + this.decoder.end());
    this.partial = '';
    return last === '' ? [] : [last];
  }
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
