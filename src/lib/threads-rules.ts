// The threads derivation's rules in plain words (scripts/derive/threads.ts has the same list at its top), for the board page.
export const THREAD_RULES: readonly { topic: string; rule: string }[] = [
  { topic: 'Only refs thread', rule: 'The board has no thread id: a message or result hangs under a file its refs name. Mentions and quoted filenames are shown as links but do not thread.' },
  { topic: 'Earlier files only', rule: 'A ref counts only when its target is earlier (time, then filename), so a reply never points forward and threads cannot loop.' },
  { topic: 'Parent of a message', rule: 'Its first ref to an earlier message; else its first ref to an earlier result. A verifier message without refs hangs under the result its verdict is about.' },
  { topic: 'Parent of a result', rule: 'Its first ref to an earlier message (the plan it follows up). Result-to-result refs are lineage, not conversation.' },
  { topic: 'Messages about a result', rule: 'A message that refs a result joins the thread of that result\'s other messages: the plan\'s thread when the result follows one up, else a thread rooted at the result itself.' },
];
