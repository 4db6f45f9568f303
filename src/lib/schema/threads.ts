// Tables written by the threads derivation (scripts/derive/threads.ts): board threads rebuilt from refs.
import { col, key, table, type Row } from './types.ts';

export const threads = table({
  name: 'threads',
  description:
    'Board threads rebuilt from refs: one row per message and per result, with the thread it belongs to and what it hangs under.',
  orderBy: ['thread_id', 'depth', 'filename'],
  columns: [
    key('filename', 'VARCHAR', 'Message or result filename (the two share one namespace).'),
    key('part', 'VARCHAR', 'messages or results.'),
    key('thread_id', 'VARCHAR', 'Filename of the thread root (a message, or a result nothing earlier anchors).'),
    col('parent', 'VARCHAR', 'The ref it hangs under: first earlier message it refs, else first earlier result; null for a root.'),
    col('parent_part', 'VARCHAR', 'messages or results (null for a root).'),
    key('depth', 'INTEGER', 'Steps from the root (0 for the root).'),
    key('replies', 'INTEGER', 'Messages and results hanging directly under this one.'),
    key('thread_size', 'INTEGER', 'Messages and results in the whole thread, this one included.'),
    key('thread_messages', 'INTEGER', 'Messages in the whole thread (results not counted).'),
  ],
});

export const THREADS_TABLES = [threads] as const;

export type ThreadRow = Row<typeof threads>;
