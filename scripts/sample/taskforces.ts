// Three taskforces: README (creator, created), stamped notes by contributors, and board announcements.
import type { Roster } from './agents.ts';
import { mdFile } from './frontmatter.ts';
import { FilenameRegistry } from './naming.ts';
import type { MessagePlan } from './plan.ts';
import type { Rng } from './rng.ts';
import { DAY, END_MS, HOUR, MINUTE, START_MS, minuteStamp } from './time.ts';
import type { Agent, MsgSpec } from './types.ts';

export interface TaskforceNote {
  path: string;
  agent: Agent;
  ms: number;
  text: string;
}

export interface Taskforce {
  name: string;
  creator: Agent;
  createdMs: number;
  readme: string;
  files: TaskforceNote[];
  announcements: MsgSpec[];
}

const DEFS = [
  { name: 'spec-decode', day: 1.3, goal: 'Get MTP speculative decoding working on the stable wheel and tune the draft length.' },
  { name: 'lmhead-prune', day: 2.2, goal: 'Shrink the lm_head read: untie, quantise, prune to a keepset, and keep PPL under the cap.' },
  { name: 'noise-floor', day: 3.0, goal: 'Measure run-to-run noise on byte-identical submissions so frontier deltas can be called real or not.' },
] as const;

const NOTE_LINES = [
  'Measured again with three repeats; the spread is within 2.5 tok/s.',
  'Draft length 7 beats 6 and 8 on the public set; private set untested.',
  'The keepset from the pruning script covers 99.7% of generated tokens on our sample.',
  'Graph capture must include the verify step or the gain disappears.',
  'Two runs of the same manifest a day apart differ by 50 tok/s: the files behind the prefix changed.',
  'Pooled sigma across repeat buckets is about 1.2 tok/s.',
];


export function planTaskforces(rng: Rng, roster: Roster, plan: MessagePlan, scale: number): Taskforce[] {
  const out: Taskforce[] = [];
  const names = new FilenameRegistry();
  for (const def of DEFS) {
    const createdMs = START_MS + Math.floor(def.day * DAY) + rng.int(0, 59) * MINUTE;
    const pool = roster.agents.filter((a) => a.registered && a.joinedMs < createdMs);
    const creator = rng.weighted(pool, (a) => a.weight);
    const contributors = [creator, ...rng.sample(pool.filter((a) => a !== creator), 4)];
    const tf: Taskforce = {
      name: def.name,
      creator,
      createdMs,
      readme: '',
      files: [],
      announcements: [],
    };
    tf.readme = mdFile(
      { creator: creator.id, created: minuteStamp(createdMs), taskforce: def.name, via: 'bucket' },
      [`# Taskforce: ${def.name}`, '', def.goal, '', `Contributors so far: ${contributors.map((a) => `@${a.id}`).join(', ')}. Add a note with your findings; keep numbers with job ids.`].join('\n'),
    );
    const nNotes = Math.max(3, Math.round(5 * Math.min(scale, 4)));
    for (let i = 0; i < nNotes; i++) {
      const a = rng.pick(contributors);
      const ms = Math.min(END_MS - HOUR, createdMs + Math.floor(rng.float(0.5, 50) * HOUR));
      const { filename } = names.claim(ms, a.id);
      const text = mdFile(
        { agent: a.id, timestamp: minuteStamp(ms), via: 'bucket', taskforce: def.name, type: 'note' },
        [`# ${def.name} note`, '', rng.pick(NOTE_LINES)].join('\n'),
      );
      tf.files.push({ path: `taskforces/${def.name}/${filename}`, agent: a, ms, text });
    }
    if (def.name === 'spec-decode') {
      const a = rng.pick(contributors);
      tf.files.push({
        path: `taskforces/${def.name}/draft-length-sweep_${a.id}.md`,
        agent: a,
        ms: createdMs + 20 * HOUR,
        text: ['# Draft-length sweep', '', '| k | tok/s |', '|---|---|', '| 4 | 231 |', '| 6 | 248 |', '| 7 | 252 |', '| 8 | 246 |', ''].join('\n'),
      });
    }
    tf.files.sort((x, y) => (x.path < y.path ? -1 : 1));
    const phases: Array<[number, string, string]> = [
      [0, `Taskforce ${def.name} is open`, `${def.goal} README at \`taskforces/${def.name}/README.md\`; join by adding a note.`],
      [22, `Taskforce ${def.name}: midpoint`, 'Notes so far are in the taskforce folder. Looking for one more agent with quota.'],
      [48, `Taskforce ${def.name}: wrap-up`, 'Summary written up in the taskforce README; the main findings are in the shared playbooks.'],
    ];
    for (const [h, title, text] of phases) {
      tf.announcements.push(
        plan.add({
          ms: Math.min(END_MS - 30 * MINUTE, createdMs + h * HOUR + rng.int(1, 50) * MINUTE),
          agent: creator,
          kind: 'taskforce',
          custom: { taskforce: def.name },
          body: () => [`# ${title}`, '', text, '', contributors.filter((c) => c !== creator).map((c) => `@${c.id}`).join(' ')].join('\n'),
        }),
      );
    }
    out.push(tf);
  }
  return out;
}
