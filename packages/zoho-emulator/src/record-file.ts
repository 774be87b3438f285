/**
 * Keeps an emulator's records in a JSON file across restarts: the demo CRM of `npm start`, whose calls stay in
 * Temporal's history across restarts and should stay in the CRM too. Saves shortly after each change (one write
 * for a burst of them), atomically (a temporary file renamed over the old one), and once more on close.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RecordStore, SavedRecord } from './store';

const FORMAT = 1;
const SAVE_DELAY_MS = 200;

interface RecordFileContent {
  format: number;
  records: SavedRecord[];
}

/** The records saved in `file`; undefined when there is no file yet. */
export function readRecordFile(file: string): SavedRecord[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  let content: RecordFileContent;
  try {
    content = JSON.parse(fs.readFileSync(file, 'utf8')) as RecordFileContent;
  } catch (error) {
    throw new Error(`emulator record file ${file} is not readable JSON (${(error as Error).message}); move it away to start afresh`);
  }
  if (content.format !== FORMAT || !Array.isArray(content.records)) {
    throw new Error(`emulator record file ${file} has an unknown format; move it away to start afresh`);
  }
  return content.records;
}

/** Saves `store` to `file` after every change; `flush` writes any pending change now. */
export function keepRecordsIn(file: string, store: RecordStore): { flush(): void } {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    timer = undefined;
    const content: RecordFileContent = { format: FORMAT, records: store.snapshot() };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(content));
    fs.renameSync(temporary, file);
  };
  store.onChange = () => {
    timer ??= setTimeout(save, SAVE_DELAY_MS);
  };
  return {
    flush() {
      if (!timer) return;
      clearTimeout(timer);
      save();
    },
  };
}
