// Word lists for fictional handles, users, models and harnesses (no real participant's handle).
export const ADJECTIVES = [
  'amber', 'azure', 'bold', 'brave', 'brisk', 'bright', 'calm', 'candid', 'cheery', 'clever', 'cobalt', 'cosmic',
  'crimson', 'curious', 'dapper', 'daring', 'deft', 'eager', 'earnest', 'electric', 'ember', 'epic', 'fabled',
  'fearless', 'fervent', 'fleet', 'fluent', 'frosty', 'gallant', 'gentle', 'gilded', 'glad', 'golden', 'graceful',
  'hardy', 'hasty', 'hidden', 'humble', 'icy', 'indigo', 'jade', 'jolly', 'jovial', 'keen', 'kind', 'lively', 'lucid',
  'lucky', 'lunar', 'merry', 'mighty', 'misty', 'modest', 'nimble', 'noble', 'opal', 'patient', 'plucky', 'polar',
  'proud', 'quiet', 'quick', 'quirky', 'rapid', 'rustic', 'sable', 'sage', 'scarlet', 'serene', 'sharp', 'shy',
  'silent', 'silver', 'sleek', 'sly', 'snowy', 'solar', 'spry', 'steady', 'stellar', 'stoic', 'stormy', 'sunny',
  'swift', 'tawny', 'tidy', 'tireless', 'topaz', 'tranquil', 'trusty', 'valiant', 'velvet', 'vivid', 'wandering',
  'wary', 'whimsical', 'wild', 'windy', 'wise', 'witty', 'zany', 'zealous', 'zesty', 'agile', 'astral', 'balmy',
  'breezy', 'cozy', 'crafty', 'dusky', 'feral', 'hazel', 'jubilant', 'mellow', 'nomadic', 'obsidian', 'radiant',
  'rowdy',
] as const;

export const ANIMALS = [
  'albatross', 'antelope', 'badger', 'beaver', 'bison', 'bobcat', 'buffalo', 'camel', 'caribou', 'cheetah',
  'chinchilla', 'condor', 'cougar', 'coyote', 'crane', 'crow', 'dingo', 'dolphin', 'dormouse', 'eagle', 'egret',
  'elk', 'ferret', 'finch', 'fox', 'gazelle', 'gecko', 'gibbon', 'gopher', 'grouse', 'hamster', 'hare', 'hawk',
  'hedgehog', 'heron', 'hippo', 'hornet', 'ibex', 'ibis', 'iguana', 'impala', 'jackal', 'jaguar', 'jay', 'kestrel',
  'kiwi', 'koala', 'lemur', 'leopard', 'llama', 'lobster', 'lynx', 'macaw', 'magpie', 'manatee', 'marmot', 'marten',
  'meerkat', 'mink', 'mole', 'moose', 'moth', 'narwhal', 'newt', 'ocelot', 'octopus', 'orca', 'osprey', 'otter',
  'owl', 'panda', 'pangolin', 'panther', 'parrot', 'pelican', 'petrel', 'pika', 'plover', 'puffin', 'quail',
  'quokka', 'rabbit', 'raccoon', 'raven', 'robin', 'salamander', 'seal', 'shrew', 'skunk', 'sloth', 'snail',
  'sparrow', 'squid', 'stoat', 'stork', 'swan', 'tapir', 'tern', 'tiger', 'toad', 'tortoise', 'toucan', 'turtle',
  'viper', 'vole', 'walrus', 'weasel', 'whale', 'wolf', 'wombat', 'wren', 'yak', 'zebra', 'bittern', 'civet',
  'dunlin', 'gannet', 'harrier', 'kinkajou', 'loris', 'numbat',
] as const;

export const HUMAN_NAMES = [
  'ada', 'bruno', 'chiara', 'dmitri', 'elif', 'farid', 'greta', 'hugo', 'ines', 'jonas', 'kaia', 'lior', 'mira',
  'nils', 'oona', 'pavel', 'quinn', 'rosa', 'sami', 'tove', 'ugo', 'vera', 'wren', 'xena', 'yusuf', 'zora',
] as const;

export const USER_STEMS = [
  'lumen', 'tarn', 'oskar', 'mirel', 'quill', 'bryn', 'cato', 'dara', 'ezra', 'fenn', 'galen', 'hollis', 'isak',
  'jory', 'kael', 'lark', 'maren', 'nico', 'orla', 'perrin', 'rhea', 'soren', 'tamsin', 'ulla', 'vesna', 'wilder',
  'xavi', 'yara', 'zeno', 'anouk', 'basil', 'corin', 'delphine', 'emrys', 'fiora', 'gideon',
] as const;

export const USER_SUFFIXES = ['dev', 'labs', 'ml', 'byte', 'ai', 'bench', 'ops', 'hq', 'works', 'lab'] as const;

export const MODELS = [
  'opus-4.7', 'opus-4.6', 'sonnet-4.6', 'gpt-5.1-codex', 'gpt-5-mini', 'gemini-3-pro', 'gemini-2.5-pro',
  'qwen3-coder-480b', 'glm-4.6', 'kimi-k2', 'deepseek-v3.2', 'grok-4',
] as const;

export const HARNESSES = ['claude-code', 'codex-cli', 'gemini-cli', 'opencode', 'aider', 'ml-intern', 'openhands', 'custom'] as const;

export const TOOLS = ['bash', 'hf', 'python', 'git', 'web', 'cuda', 'jupyter'] as const;

export const BIO_FOCUS = [
  'quantization and weight formats', 'speculative decoding', 'attention kernels', 'CUDA graph capture',
  'profiling and bandwidth accounting', 'reproducibility and noise', 'lm_head pruning', 'serving-engine internals',
  'drafter fine-tuning', 'benchmark hygiene',
] as const;

/** Title-case a handle for agent_name: swift-otter -> Swift Otter. */
export function displayName(handle: string): string {
  return handle
    .split('-')
    .map((w) => (w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}
