// The technique catalogue: method tokens, their throughput/PPL effects, invention windows and relay stories.
import { DAY } from './time.ts';

export interface EnvSpec {
  key: string;
  /** Path inside the owning agent's bucket (bucket-path lineage when the owner is someone else). */
  path?: string;
  value?: string;
}

export interface RelayStory {
  /** What the builder stages: "an int4 untied lm_head checkpoint". */
  checkpoint: string;
  slug: string;
  /** Manifest env key that points at the staged checkpoint. */
  envKey: string;
  error: string;
  cause: string;
  /** The cause in a few words, for credit lines. */
  causeShort: string;
  fix: string;
}

export interface Technique {
  token: string;
  kind: 'root' | 'lever' | 'loophole' | 'dead-end' | 'repro';
  label: string;
  /** Credit noun: "credit: <agent> <noun>". */
  noun: string;
  lift: number;
  dppl: number;
  /** Invention window in days from the start (levers and the loophole). */
  window?: [number, number];
  /** Tokens a method must already have before this one makes sense (k7 needs mtp). */
  requires?: string[];
  env: EnvSpec[];
  relay?: RelayStory;
}

const lever = (
  token: string,
  label: string,
  noun: string,
  lift: number,
  dppl: number,
  window: [number, number],
  env: EnvSpec[],
  relay?: RelayStory,
  requires?: string[],
): Technique => ({ token, kind: 'lever', label, noun, lift, dppl, window, env, ...(relay ? { relay } : {}), ...(requires ? { requires } : {}) });

export const ROOT: Technique = { token: 'vllm', kind: 'root', label: 'vLLM bf16 baseline', noun: 'baseline', lift: 0, dppl: 0, env: [] };
export const ROOT_HF: Technique = { token: 'hf', kind: 'root', label: 'transformers eager baseline', noun: 'baseline', lift: 0, dppl: 0, env: [] };
export const REPRO: Technique = { token: 'repro', kind: 'repro', label: 'byte-identical reproduction', noun: 'reproduction', lift: 0, dppl: 0, env: [] };

/** Levers in invention order; lifts sum to ~400 tok/s so the frontier climbs from ~100 to ~500. */
export const LEVERS: Technique[] = [
  lever('int4', 'int4 W4A16 body (QAT checkpoint, Marlin)', 'int4 weights', 28, -0.27, [0.3, 0.75],
    [{ key: 'WEIGHTS_BUCKET', path: 'weights/int4-w4a16-g32' }, { key: 'QUANTIZATION', value: 'compressed-tensors' }],
    { checkpoint: 'int4 W4A16 body checkpoint', slug: 'int4-w4a16-g32', envKey: 'WEIGHTS_BUCKET', error: "KeyError: 'quantization_config'", cause: 'the checkpoint was saved with compressed-tensors 0.11 and vLLM ships 0.10.2', causeShort: 'the compressed-tensors version mismatch', fix: 're-save with compressed_tensors==0.10.2 so the config parses' }),
  lever('lmhead', 'untied int4 lm_head', 'lm_head untie', 22, 0.006, [0.55, 0.95],
    [{ key: 'LM_HEAD_BUCKET', path: 'weights/int4-untied-head' }],
    { checkpoint: 'int4 untied lm_head checkpoint', slug: 'int4-untied-head', envKey: 'LM_HEAD_BUCKET', error: "KeyError: 'lm_head.weight'", cause: 'tie_word_embeddings is still true in config.json, so vLLM never loads the separate head', causeShort: 'the tie_word_embeddings config bug', fix: 'set tie_word_embeddings=false at the top level AND in text_config' }),
  lever('g128', 'group-size 128 full-body quantisation', 'g128 regroup', 10, -0.004, [0.8, 1.1],
    [{ key: 'GROUP_SIZE', value: '128' }],
    { checkpoint: 'g128 regrouped body', slug: 'int4-g128-body', envKey: 'WEIGHTS_BUCKET', error: "KeyError: 'model.layers.0.per_layer_projection.weight_scale'", cause: 'the regroup skipped the per_layer_projection modules (258 of 343 quantised)', causeShort: 'the skipped per_layer_projection modules', fix: 'derive the module list from the official safetensors header so all 343 modules are regrouped' }),
  lever('mtp', 'MTP speculative decoding', 'MTP drafter wiring', 62, 0, [1.3, 1.6],
    [{ key: 'SPECULATIVE_CONFIG', value: '{"method":"mtp","num_speculative_tokens":4}' }],
    { checkpoint: 'MTP assistant drafter export', slug: 'mtp-assistant', envKey: 'DRAFTER_BUCKET', error: 'NotImplementedError: MTP draft layers with shared KV are not supported', cause: 'the stable wheel predates KV-shared draft layers', causeShort: 'the missing KV-shared draft support', fix: 'pin the nightly wheel that carries the KV-shared draft fix' }),
  lever('k7', 'seven speculative tokens', 'k7 sweep', 16, 0, [1.55, 1.8],
    [{ key: 'SPECULATIVE_CONFIG', value: '{"method":"mtp","num_speculative_tokens":7}' }], undefined, ['mtp']),
  lever('onegraph', 'single-graph decode capture', 'onegraph capture', 26, 0, [1.7, 1.95], [{ key: 'ONEGRAPH', value: '1' }]),
  lever('ftdraft', 'fine-tuned MTP drafter', 'drafter', 36, 0, [2.45, 2.7],
    [{ key: 'DRAFTER_BUCKET', path: 'weights/drafter-ft/ft-v1-epoch_001' }],
    { checkpoint: 'fine-tuned MTP drafter (epoch 1)', slug: 'drafter-ft', envKey: 'DRAFTER_BUCKET', error: 'RuntimeError: size mismatch for model.embed_tokens.weight: copying a param with shape [262144, 2560]', cause: "the drafter was exported with the tied embedding instead of the target's pruned head", causeShort: 'the tied drafter embedding', fix: 're-export the drafter untied and point SPECULATIVE_CONFIG at the exported dir' },
    ['mtp']),
  lever('lmhead12k', '12k-row pruned lm_head (logits scatter)', 'lm_head keepset', 28, 0.06, [2.6, 2.9],
    [{ key: 'LM_HEAD_KEEPSET_BUCKET', path: 'weights/keepset-12k' }],
    { checkpoint: '12k-row lm_head keepset', slug: 'keepset-12k', envKey: 'LM_HEAD_KEEPSET_BUCKET', error: 'IndexError: index 12288 is out of bounds for dimension 0 with size 12288', cause: 'the keepset json is 1-indexed', causeShort: 'the 1-indexed keepset', fix: 'subtract one from every keepset id (or regenerate with the 0-indexed script)' },
    ['lmhead']),
  lever('fa2sw', 'FlashAttention-2 sliding-window layers', 'fa2sw kernels', 18, 0.002, [2.8, 3.1], [{ key: 'FA_SLIDING', value: '1' }]),
  lever('splitkv', 'split-KV verify kernel', 'split-KV verify', 32, 0, [3.35, 3.6], [{ key: 'SPLITKV_VERIFY', value: '1' }], undefined, ['mtp']),
  lever('fsam', 'fused sparse argmax', 'fused argmax', 16, 0, [3.5, 3.8], [{ key: 'FUSED_SPARSE_ARGMAX', value: '1' }]),
  lever('osoi5', 'osoi5 baked int4 substrate', 'osoi5 substrate', 30, 0.12, [4.35, 4.6],
    [{ key: 'WEIGHTS_BUCKET', path: 'weights/osoi5-baked' }],
    { checkpoint: 'osoi5 baked int4 substrate', slug: 'osoi5-baked', envKey: 'WEIGHTS_BUCKET', error: 'ValueError: Marlin does not support group size 96', cause: 'the bake used g96 for the MatFormer gates', causeShort: 'the g96 gate groups', fix: 're-bake with g128 everywhere' },
    ['int4']),
  lever('w192', '192-token sliding window', 'w192 window', 18, 0.05, [4.5, 4.75], [{ key: 'SLIDING_WINDOW', value: '192' }], undefined, ['fa2sw']),
  lever('ctk48', 'centroid top-k 48', 'ctk48 centroids', 22, 0.06, [4.65, 4.9], [{ key: 'CENTROID_TOP_K', value: '48' }], undefined, ['lmhead12k']),
  lever('pck04', 'pck04 packed keepset', 'pck04 keepset', 14, 0.03, [5.2, 5.45],
    [{ key: 'PCK04_KEEPSET_BUCKET', path: 'weights/pck04-keepset' }],
    { checkpoint: 'pck04 packed keepset', slug: 'pck04-keepset', envKey: 'PCK04_KEEPSET_BUCKET', error: 'AssertionError: keepset size 12000 is not a multiple of 64', cause: 'the packer dropped the 288 padding rows', causeShort: 'the dropped padding rows', fix: 'pad the keepset to 12288 rows before packing' },
    ['lmhead12k']),
  lever('w160', '160-token sliding window', 'w160 window', 8, 0.018, [5.35, 5.6], [{ key: 'SLIDING_WINDOW', value: '160' }], undefined, ['w192']),
  lever('loopgraph', 'loop-graph ping-pong capture', 'loopgraph capture', 10, 0, [5.5, 5.75], [{ key: 'LOOPGRAPH_PINGPONG_SLOTS', value: '3' }], undefined, ['onegraph']),
];

/** Caches outputs across prompts: fast on the public set, no gain on the private one. */
export const LOOPHOLE: Technique = {
  token: 'promptcache',
  kind: 'loophole',
  label: 'cross-prompt output cache',
  noun: 'prompt cache',
  lift: 55,
  dppl: 0,
  window: [3.7, 3.85],
  env: [{ key: 'PRECACHE_BENCH', value: '1' }],
};

/** Negative results: slower, or PPL over the cap. */
export const DEAD_ENDS: Technique[] = [
  { token: 'g256', kind: 'dead-end', label: 'g256 coarse regroup', noun: 'g256 regroup', lift: -30, dppl: 0.17, env: [{ key: 'GROUP_SIZE', value: '256' }] },
  { token: 'int3', kind: 'dead-end', label: 'int3 body', noun: 'int3 body', lift: 12, dppl: 0.36, env: [{ key: 'WEIGHT_BITS', value: '3' }] },
  { token: 'ngram', kind: 'dead-end', label: 'n-gram speculation', noun: 'n-gram drafter', lift: -22, dppl: 0, env: [{ key: 'SPECULATIVE_CONFIG', value: '{"method":"ngram","num_speculative_tokens":4}' }] },
  { token: 'eager', kind: 'dead-end', label: 'eager mode (no CUDA graphs)', noun: 'eager mode', lift: -45, dppl: 0, env: [{ key: 'ENFORCE_EAGER', value: '1' }] },
  { token: 'tql3b', kind: 'dead-end', label: '3-bit TurboQuant KV', noun: 'tql-3b KV', lift: 4, dppl: 0.22, env: [{ key: 'KV_QUANT', value: 'tql-3b' }] },
  { token: 'sdpa', kind: 'dead-end', label: 'SDPA attention backend', noun: 'SDPA backend', lift: -12, dppl: 0, env: [{ key: 'ATTENTION_BACKEND', value: 'SDPA' }] },
  { token: 'chunked', kind: 'dead-end', label: 'chunked prefill', noun: 'chunked prefill', lift: -8, dppl: 0, env: [{ key: 'ENABLE_CHUNKED_PREFILL', value: '1' }] },
];

export const ALL_TECHNIQUES: Technique[] = [ROOT, ROOT_HF, REPRO, ...LEVERS, LOOPHOLE, ...DEAD_ENDS];
export const TECHNIQUE = new Map(ALL_TECHNIQUES.map((t) => [t.token, t]));

export function technique(token: string): Technique {
  const t = TECHNIQUE.get(token);
  if (!t) throw new Error(`unknown technique token ${token}`);
  return t;
}

export const BASE_TPS = 100;
export const BASE_PPL = 2.3;
export const PPL_CAP = 2.42;
/** Prompt-to-output ratio of the harness: total_tps / output_tps (prompt tokens count in total_tps). */
export const TOTAL_TPS_RATIO = 1.5316;

export const windowMs = (w: [number, number]): [number, number] => [w[0] * DAY, w[1] * DAY];
