// The node classes the ComfyUI simulators know, with the inputs, types, limits and outputs their INPUT_TYPES
// and RETURN_TYPES declare, read from the sources:
//   core: comfyanonymous/ComfyUI nodes.py (e60e19b), sampler/scheduler names from comfy/samplers.py
//   ipadapter: cubiq/ComfyUI_IPAdapter_plus IPAdapterPlus.py (9d076a3)
//   instantid: cubiq/ComfyUI_InstantID InstantID.py (1ef34ef)
//   pulid: cubiq/PuLID_ComfyUI pulid.py (4e1fd40)
// Only the classes a charsheet template, or a workflow built around one, plausibly uses; a class missing here
// is refused as the real server refuses a node pack that is not installed.

export type InputSpec =
  | { type: 'INT' | 'FLOAT'; min?: number; max?: number }
  | { type: 'STRING' | 'BOOLEAN' }
  /** A combo: one of these values. */
  | { choices: readonly string[] }
  /** A combo of the files in a model folder (checkpoints, loras, …). */
  | { files: string }
  /** A link to another node's output of this type. */
  | { link: string };

export type NodePack = 'core' | 'ipadapter' | 'instantid' | 'pulid';

export interface NodeSpec {
  pack: NodePack;
  required: Record<string, InputSpec>;
  optional?: Record<string, InputSpec>;
  returns: readonly string[];
  /** OUTPUT_NODE: where validation and execution start. */
  output?: boolean;
  /** The class has VALIDATE_INPUTS for these inputs, which replaces the combo check (LoadImage's image). */
  validatesItself?: readonly string[];
}

const int = (min?: number, max?: number): InputSpec => ({ type: 'INT', min, max });
const float = (min?: number, max?: number): InputSpec => ({ type: 'FLOAT', min, max });
const STRING: InputSpec = { type: 'STRING' };
const link = (type: string): InputSpec => ({ link: type });
const oneOf = (...choices: string[]): InputSpec => ({ choices });
const files = (folder: string): InputSpec => ({ files: folder });
const UNIT = float(0, 1);
const MAX_RESOLUTION = 16384;

const KSAMPLER_NAMES = [
  'euler', 'euler_cfg_pp', 'euler_ancestral', 'euler_ancestral_cfg_pp', 'heun', 'heunpp2', 'dpm_2', 'dpm_2_ancestral', 'lms', 'dpm_fast', 'dpm_adaptive',
  'dpmpp_2s_ancestral', 'dpmpp_2s_ancestral_cfg_pp', 'dpmpp_sde', 'dpmpp_sde_gpu', 'dpmpp_2m', 'dpmpp_2m_cfg_pp', 'dpmpp_2m_sde', 'dpmpp_2m_sde_gpu',
  'dpmpp_3m_sde', 'dpmpp_3m_sde_gpu', 'ddpm', 'lcm', 'ipndm', 'ipndm_v', 'deis', 'res_multistep', 'res_multistep_cfg_pp', 'res_multistep_ancestral',
  'res_multistep_ancestral_cfg_pp', 'gradient_estimation', 'er_sde', 'seeds_2', 'seeds_3',
];
const SAMPLERS = oneOf(...KSAMPLER_NAMES, 'ddim', 'uni_pc', 'uni_pc_bh2');
const SCHEDULERS = oneOf('simple', 'sgm_uniform', 'karras', 'exponential', 'ddim_uniform', 'beta', 'normal', 'linear_quadratic', 'kl_optimal');
const SEED = int(0, 0xffffffffffffffff);

const IPADAPTER_WEIGHT_TYPES = oneOf('linear', 'ease in', 'ease out', 'ease in-out', 'reverse in-out', 'weak input', 'weak output', 'weak middle', 'strong middle', 'style transfer', 'composition', 'strong style transfer', 'style and composition', 'style transfer precise', 'composition precise');
const IPADAPTER_APPLY = {
  model: link('MODEL'),
  ipadapter: link('IPADAPTER'),
  image: link('IMAGE'),
};
const IPADAPTER_TAIL = {
  weight_type: IPADAPTER_WEIGHT_TYPES,
  combine_embeds: oneOf('concat', 'add', 'subtract', 'average', 'norm average'),
  start_at: UNIT,
  end_at: UNIT,
  embeds_scaling: oneOf('V only', 'K+V', 'K+V w/ C penalty', 'K+mean(V) w/ C penalty'),
};
const IPADAPTER_OPTIONAL = { image_negative: link('IMAGE'), attn_mask: link('MASK'), clip_vision: link('CLIP_VISION') };
const INSTANTID_INPUTS = {
  instantid: link('INSTANTID'),
  insightface: link('FACEANALYSIS'),
  control_net: link('CONTROL_NET'),
  image: link('IMAGE'),
  model: link('MODEL'),
  positive: link('CONDITIONING'),
  negative: link('CONDITIONING'),
};
const INSTANTID_RETURNS = ['MODEL', 'CONDITIONING', 'CONDITIONING'];

export const NODES: Readonly<Record<string, NodeSpec>> = {
  KSampler: {
    pack: 'core',
    required: { model: link('MODEL'), seed: SEED, steps: int(1, 10000), cfg: float(0, 100), sampler_name: SAMPLERS, scheduler: SCHEDULERS, positive: link('CONDITIONING'), negative: link('CONDITIONING'), latent_image: link('LATENT'), denoise: UNIT },
    returns: ['LATENT'],
  },
  KSamplerAdvanced: {
    pack: 'core',
    required: {
      model: link('MODEL'), add_noise: oneOf('enable', 'disable'), noise_seed: SEED, steps: int(1, 10000), cfg: float(0, 100), sampler_name: SAMPLERS, scheduler: SCHEDULERS,
      positive: link('CONDITIONING'), negative: link('CONDITIONING'), latent_image: link('LATENT'), start_at_step: int(0, 10000), end_at_step: int(0, 10000), return_with_leftover_noise: oneOf('disable', 'enable'),
    },
    returns: ['LATENT'],
  },
  CheckpointLoaderSimple: { pack: 'core', required: { ckpt_name: files('checkpoints') }, returns: ['MODEL', 'CLIP', 'VAE'] },
  CLIPTextEncode: { pack: 'core', required: { text: STRING, clip: link('CLIP') }, returns: ['CONDITIONING'] },
  CLIPSetLastLayer: { pack: 'core', required: { clip: link('CLIP'), stop_at_clip_layer: int(-24, -1) }, returns: ['CLIP'] },
  ConditioningCombine: { pack: 'core', required: { conditioning_1: link('CONDITIONING'), conditioning_2: link('CONDITIONING') }, returns: ['CONDITIONING'] },
  EmptyLatentImage: { pack: 'core', required: { width: int(16, MAX_RESOLUTION), height: int(16, MAX_RESOLUTION), batch_size: int(1, 4096) }, returns: ['LATENT'] },
  VAEDecode: { pack: 'core', required: { samples: link('LATENT'), vae: link('VAE') }, returns: ['IMAGE'] },
  VAEEncode: { pack: 'core', required: { pixels: link('IMAGE'), vae: link('VAE') }, returns: ['LATENT'] },
  VAELoader: { pack: 'core', required: { vae_name: files('vae') }, returns: ['VAE'] },
  LoraLoader: { pack: 'core', required: { model: link('MODEL'), clip: link('CLIP'), lora_name: files('loras'), strength_model: float(-100, 100), strength_clip: float(-100, 100) }, returns: ['MODEL', 'CLIP'] },
  LoraLoaderModelOnly: { pack: 'core', required: { model: link('MODEL'), lora_name: files('loras'), strength_model: float(-100, 100) }, returns: ['MODEL'] },
  CLIPVisionLoader: { pack: 'core', required: { clip_name: files('clip_vision') }, returns: ['CLIP_VISION'] },
  ControlNetLoader: { pack: 'core', required: { control_net_name: files('controlnet') }, returns: ['CONTROL_NET'] },
  ControlNetApplyAdvanced: {
    pack: 'core',
    required: { positive: link('CONDITIONING'), negative: link('CONDITIONING'), control_net: link('CONTROL_NET'), image: link('IMAGE'), strength: float(0, 10), start_percent: UNIT, end_percent: UNIT },
    optional: { vae: link('VAE') },
    returns: ['CONDITIONING', 'CONDITIONING'],
  },
  ImageScale: {
    pack: 'core',
    required: { image: link('IMAGE'), upscale_method: oneOf('nearest-exact', 'bilinear', 'area', 'bicubic', 'lanczos'), width: int(0, MAX_RESOLUTION), height: int(0, MAX_RESOLUTION), crop: oneOf('disabled', 'center') },
    returns: ['IMAGE'],
  },
  LoadImage: { pack: 'core', required: { image: files('input') }, returns: ['IMAGE', 'MASK'], validatesItself: ['image'] },
  SaveImage: { pack: 'core', required: { images: link('IMAGE'), filename_prefix: STRING }, returns: [], output: true },
  PreviewImage: { pack: 'core', required: { images: link('IMAGE') }, returns: [], output: true },

  IPAdapterUnifiedLoader: {
    pack: 'ipadapter',
    required: { model: link('MODEL'), preset: oneOf('LIGHT - SD1.5 only (low strength)', 'STANDARD (medium strength)', 'VIT-G (medium strength)', 'PLUS (high strength)', 'PLUS FACE (portraits)', 'FULL FACE - SD1.5 only (portraits stronger)') },
    optional: { ipadapter: link('IPADAPTER') },
    returns: ['MODEL', 'IPADAPTER'],
  },
  IPAdapterUnifiedLoaderFaceID: {
    pack: 'ipadapter',
    required: {
      model: link('MODEL'),
      preset: oneOf('FACEID', 'FACEID PLUS - SD1.5 only', 'FACEID PLUS V2', 'FACEID PORTRAIT (style transfer)', 'FACEID PORTRAIT UNNORM - SDXL only (strong)'),
      lora_strength: UNIT,
      provider: oneOf('CPU', 'CUDA', 'ROCM', 'DirectML', 'OpenVINO', 'CoreML'),
    },
    optional: { ipadapter: link('IPADAPTER') },
    returns: ['MODEL', 'IPADAPTER'],
  },
  IPAdapterModelLoader: { pack: 'ipadapter', required: { ipadapter_file: files('ipadapter') }, returns: ['IPADAPTER'] },
  IPAdapterInsightFaceLoader: { pack: 'ipadapter', required: { provider: oneOf('CPU', 'CUDA', 'ROCM'), model_name: oneOf('buffalo_l', 'antelopev2') }, returns: ['INSIGHTFACE'] },
  IPAdapterAdvanced: {
    pack: 'ipadapter',
    required: { ...IPADAPTER_APPLY, weight: float(-1, 5), ...IPADAPTER_TAIL },
    optional: IPADAPTER_OPTIONAL,
    returns: ['MODEL'],
  },
  IPAdapterFaceID: {
    pack: 'ipadapter',
    required: { ...IPADAPTER_APPLY, weight: float(-1, 3), weight_faceidv2: float(-1, 5), ...IPADAPTER_TAIL },
    optional: { ...IPADAPTER_OPTIONAL, insightface: link('INSIGHTFACE') },
    returns: ['MODEL', 'IMAGE'],
  },

  InstantIDModelLoader: { pack: 'instantid', required: { instantid_file: files('instantid') }, returns: ['INSTANTID'] },
  InstantIDFaceAnalysis: { pack: 'instantid', required: { provider: oneOf('CPU', 'CUDA', 'ROCM', 'CoreML') }, returns: ['FACEANALYSIS'] },
  FaceKeypointsPreprocessor: { pack: 'instantid', required: { faceanalysis: link('FACEANALYSIS'), image: link('IMAGE') }, returns: ['IMAGE'] },
  ApplyInstantID: {
    pack: 'instantid',
    required: { ...INSTANTID_INPUTS, weight: float(0, 5), start_at: UNIT, end_at: UNIT },
    optional: { image_kps: link('IMAGE'), mask: link('MASK') },
    returns: INSTANTID_RETURNS,
  },
  ApplyInstantIDAdvanced: {
    pack: 'instantid',
    required: { ...INSTANTID_INPUTS, ip_weight: float(0, 3), cn_strength: float(0, 10), start_at: UNIT, end_at: UNIT, noise: UNIT, combine_embeds: oneOf('average', 'norm average', 'concat') },
    optional: { image_kps: link('IMAGE'), mask: link('MASK') },
    returns: INSTANTID_RETURNS,
  },

  PulidModelLoader: { pack: 'pulid', required: { pulid_file: files('pulid') }, returns: ['PULID'] },
  PulidInsightFaceLoader: { pack: 'pulid', required: { provider: oneOf('CPU', 'CUDA', 'ROCM', 'CoreML') }, returns: ['FACEANALYSIS'] },
  PulidEvaClipLoader: { pack: 'pulid', required: {}, returns: ['EVA_CLIP'] },
  ApplyPulid: {
    pack: 'pulid',
    required: { model: link('MODEL'), pulid: link('PULID'), eva_clip: link('EVA_CLIP'), face_analysis: link('FACEANALYSIS'), image: link('IMAGE'), method: oneOf('fidelity', 'style', 'neutral'), weight: float(-1, 5), start_at: UNIT, end_at: UNIT },
    optional: { attn_mask: link('MASK') },
    returns: ['MODEL'],
  },
};
