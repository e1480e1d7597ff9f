// The one file persister of the local emulators: a JSON document read at start and rewritten whole after a
// change, write-then-rename so a run stopped mid-write (Ctrl-C) leaves the previous file intact.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface JsonFile {
  readonly path: string;
  /** The parsed document; undefined when the file does not exist yet. */
  read(): unknown;
  /** Synchronous on purpose: the data is small and the caller answers only once it is on disk. */
  write(value: unknown): void;
}

export function jsonFile(path: string): JsonFile {
  return {
    path,
    read: () => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      return JSON.parse(text);
    },
    write: (value) => {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}
