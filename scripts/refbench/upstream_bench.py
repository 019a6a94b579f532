#!/usr/bin/env python3
"""Reference CPU benchmark: one VQGAN+CLIP optimizer iteration, run with the upstream PyTorch code.

What is timed is described in docs/benchmarks.md, "What one iteration is":
zero_grad(set_to_none) -> synth(z) -> MakeCutoutsOrig(cutn) -> CLIP normalisation -> encode_image().float()
-> Prompt (spherical distance) loss -> backward -> Adam(lr 0.1).step() -> clamp z to the codebook's min/max.

Nothing upstream is copied here. The upstream checkouts live outside this repository, under $REFSRC
(or --refsrc), laid out as scripts/refbench/setup_refsrc.sh says:
  $REFSRC/taming-transformers/taming/...   (CompVis/taming-transformers)
  $REFSRC/CLIP/clip/...                    (openai/CLIP)
  $REFSRC/VQGAN-CLIP/generate.py           (nerdyrodent/VQGAN-CLIP)
and are used unchanged:
  * taming Encoder / Decoder / VectorQuantizer2 and CLIP's clip/model.py are imported as modules;
  * generate.py cannot be imported (it parses argv, loads checkpoints and needs kornia, torchvision,
    omegaconf, ... at import), so the definitions the loop needs (vector_quantize, ReplaceGrad,
    ClampWithGrad, resample/lanczos/ramp/sinc, MakeCutoutsOrig, Prompt, split_prompt, synth) are taken from
    its text with `ast` and executed unchanged; likewise VQModel.decode from taming/models/vqgan.py (that
    module needs pytorch_lightning) and tokenize from clip/clip.py (that module needs torchvision).
The only code written here is glue: the model container (VQModel without its loss module, which needs
LPIPS weights and which generate.py deletes anyway), the setup that mirrors generate.py's top-level code, the
loop body of generate.py's train()/ascend_txt() with timers between the phases, and the fallbacks listed
below for packages Debian bookworm lacks.

Output: one JSON line on stdout; diagnostics (torch.__config__.show(), BLAS, per-iteration times) on stderr.
"""
import argparse
import ast
import contextlib
import ctypes
import hashlib
import json
import math
import os
import platform
import re
import resource
import statistics
import sys
import time
import types

# ---------------------------------------------------------------------------------------------------------
# arguments


def parse_size(text):
    """'256' -> (256, 256); '256x256' or '256,256' -> (w, h), as generate.py's --size W H."""
    parts = text.lower().replace(',', 'x').split('x')
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f'size must be N or WxH, got {text!r}')
    return int(parts[0]), int(parts[1])


ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
ap.add_argument('--size', type=parse_size, default=(128, 128), help='output size: 128, 256 or WxH (default 128)')
ap.add_argument('--cutn', type=int, default=16, help='cutouts per iteration (default 16)')
ap.add_argument('--warmup', type=int, default=2, help='unmeasured warm-up iterations (default 2)')
ap.add_argument('--iters', '--iterations', dest='iters', type=int, default=5,
                help='measured iterations (default 5)')
ap.add_argument('--threads', type=int, default=2, help='torch.set_num_threads (default 2)')
ap.add_argument('--seed', type=int, default=0, help='seed for the random weights, z and the cutouts (default 0)')
ap.add_argument('--prompt', default='a photo of a lighthouse',
                help='text prompt (with random weights its content does not matter; the Java bench uses this one)')
ap.add_argument('--refsrc', default=os.environ.get('REFSRC'),
                help='folder holding the upstream checkouts (default: $REFSRC)')
args = ap.parse_args()
if not args.refsrc:
    ap.error('give --refsrc or set REFSRC to the folder holding the upstream checkouts (see scripts/bench-vs-upstream.sh --help)')
REFSRC = os.path.abspath(args.refsrc)
TAMING_DIR = os.path.join(REFSRC, 'taming-transformers')
CLIP_DIR = os.path.join(REFSRC, 'CLIP')
GENERATE_PY = os.path.join(REFSRC, 'VQGAN-CLIP', 'generate.py')
for p in (os.path.join(TAMING_DIR, 'taming'), os.path.join(CLIP_DIR, 'clip'), GENERATE_PY):
    if not os.path.exists(p):
        sys.exit(f'missing upstream checkout: {p} (lay it out with scripts/refbench/setup_refsrc.sh)')


def log(*a):
    print(*a, file=sys.stderr, flush=True)


T_START = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn, optim  # noqa: E402
from torch.nn import functional as F  # noqa: E402

torch.set_num_threads(args.threads)

# ---------------------------------------------------------------------------------------------------------
# loading upstream code unchanged


def upstream_defs(path, names, namespace):
    """Execute, unchanged, the top-level definitions `names` (functions, classes and `name = ...`
    assignments) of the upstream file `path` in `namespace`. The code objects keep the file's name and line
    numbers, so tracebacks point into the upstream file."""
    tree = ast.parse(open(path, encoding='utf-8').read(), filename=path)
    picked, found = [], set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in names:
            picked.append(node)
            found.add(node.name)
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
              and node.targets[0].id in names):
            picked.append(node)
            found.add(node.targets[0].id)
    missing = set(names) - found
    if missing:
        sys.exit(f'{path}: upstream definitions not found: {sorted(missing)}')
    exec(compile(ast.Module(body=picked, type_ignores=[]), path, 'exec'), namespace)
    return namespace


def upstream_method(path, class_name, method_name, namespace):
    """The function `class_name.method_name` of the upstream file `path`, executed unchanged in `namespace`."""
    tree = ast.parse(open(path, encoding='utf-8').read(), filename=path)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == method_name:
                    exec(compile(ast.Module(body=[item], type_ignores=[]), path, 'exec'), namespace)
                    return namespace[method_name]
    sys.exit(f'{path}: {class_name}.{method_name} not found')


def package_from(name, directory):
    """Register `directory` as package `name` without running its __init__.py (CLIP's __init__ imports
    clip.py, which needs torchvision), and so that no installed package of that name can shadow it."""
    pkg = types.ModuleType(name)
    pkg.__path__ = [directory]
    sys.modules[name] = pkg
    return pkg


fallbacks = {}

# taming/modules/vqvae/quantize.py imports einops at the top, for VectorQuantizer2.forward and friends; the loop
# never calls those (generate.py quantises with its own vector_quantize on quantize.embedding.weight). Debian
# bookworm has no einops package, so a stub that refuses to run stands in for it if it is missing.
try:
    import einops  # noqa: F401
    fallbacks['einops'] = 'installed ' + getattr(einops, '__version__', '?')
except ImportError:
    _einops = types.ModuleType('einops')

    def _no_rearrange(*a, **k):
        raise RuntimeError('einops stub: rearrange is not used by the benchmarked loop')
    _einops.rearrange = _no_rearrange
    sys.modules['einops'] = _einops
    fallbacks['einops'] = 'stub (only imported, never called in the loop)'

package_from('taming', os.path.join(TAMING_DIR, 'taming'))
from taming.modules.diffusionmodules.model import Encoder, Decoder  # noqa: E402
from taming.modules.vqvae.quantize import VectorQuantizer2  # noqa: E402

package_from('clip', os.path.join(CLIP_DIR, 'clip'))
import clip.model as clip_model  # noqa: E402

# generate.py, unchanged, for the pieces of its loop (namespace = the globals they refer to).
gen = {'__name__': 'vqgan_clip_generate', 'math': math, 'torch': torch, 'nn': nn, 'F': F, 'optim': optim}
upstream_defs(GENERATE_PY, ['sinc', 'lanczos', 'ramp', 'resample', 'ReplaceGrad', 'replace_grad', 'ClampWithGrad',
                            'clamp_with_grad', 'vector_quantize', 'Prompt', 'split_prompt', 'MakeCutoutsOrig',
                            'synth'], gen)

# ---------------------------------------------------------------------------------------------------------
# models: real architecture sizes, random weights


class VQGANNoLoss(nn.Module):
    """taming.models.vqgan.VQModel as generate.py's load_vqgan_model leaves it (eval, requires_grad False,
    `del model.loss`), built without the loss module (LPIPS needs downloaded weights) and without
    pytorch_lightning. The submodules are the upstream classes built as VQModel.__init__ builds them (remap None,
    sane_index_shape False); decode() is VQModel.decode from the upstream file."""

    def __init__(self, ddconfig, n_embed, embed_dim):
        super().__init__()
        self.encoder = Encoder(**ddconfig)
        self.decoder = Decoder(**ddconfig)
        self.quantize = VectorQuantizer2(n_embed, embed_dim, beta=0.25, remap=None, sane_index_shape=False)
        self.quant_conv = torch.nn.Conv2d(ddconfig['z_channels'], embed_dim, 1)
        self.post_quant_conv = torch.nn.Conv2d(embed_dim, ddconfig['z_channels'], 1)


VQGANNoLoss.decode = upstream_method(os.path.join(TAMING_DIR, 'taming', 'models', 'vqgan.py'), 'VQModel', 'decode',
                                     {'torch': torch, 'F': F})

# vqgan_imagenet_f16_16384.yaml, model.params
DDCONFIG = dict(double_z=False, z_channels=256, resolution=256, in_channels=3, out_ch=3, ch=128,
                ch_mult=[1, 1, 2, 2, 4], num_res_blocks=2, attn_resolutions=[16], dropout=0.0)

torch.manual_seed(args.seed)
t_build = time.perf_counter()
with contextlib.redirect_stdout(sys.stderr):  # taming's Decoder prints "Working with z of shape ..."; stdout is the JSON
    model = VQGANNoLoss(DDCONFIG, n_embed=16384, embed_dim=256)
model.eval().requires_grad_(False)
# ViT-B/32, as clip.model.build_model reads it from the released state dict; float32 (clip.load on CPU calls
# model.float()).
perceptor = clip_model.CLIP(embed_dim=512, image_resolution=224, vision_layers=12, vision_width=768,
                            vision_patch_size=32, context_length=77, vocab_size=49408, transformer_width=512,
                            transformer_heads=8, transformer_layers=12)
perceptor = perceptor.float().eval().requires_grad_(False)
build_s = time.perf_counter() - t_build
gen['model'] = model
gen['gumbel'] = False  # load_vqgan_model's global for a VQModel config


def rss_mib(field='VmRSS'):
    with open('/proc/self/status') as fh:
        for line in fh:
            if line.startswith(field + ':'):
                return int(line.split()[1]) // 1024
    return None


rss_after_build_mib = rss_mib()

# ---------------------------------------------------------------------------------------------------------
# CLIP normalisation and tokenizer: upstream where the packages exist, else a faithful stand-in


try:
    from torchvision import transforms
    normalize = transforms.Normalize(mean=[0.48145466, 0.4578275, 0.40821073],
                                     std=[0.26862954, 0.26130258, 0.27577711])
    fallbacks['normalize'] = 'torchvision.transforms.Normalize'
except ImportError:
    class Normalize:
        """torchvision.transforms.Normalize (torchvision 0.14 functional_tensor.normalize, inplace=False) for a
        float tensor: clone, then sub_(mean).div_(std) with per-channel mean/std. torchvision is not needed
        otherwise, so it is not required."""

        def __init__(self, mean, std):
            self.mean, self.std = mean, std

        def __call__(self, tensor):
            tensor = tensor.clone()
            mean = torch.as_tensor(self.mean, dtype=tensor.dtype, device=tensor.device)
            std = torch.as_tensor(self.std, dtype=tensor.dtype, device=tensor.device)
            if (std == 0).any():
                raise ValueError('std evaluated to zero')
            return tensor.sub_(mean.view(-1, 1, 1)).div_(std.view(-1, 1, 1))
    normalize = Normalize(mean=[0.48145466, 0.4578275, 0.40821073], std=[0.26862954, 0.26130258, 0.27577711])
    fallbacks['normalize'] = 'reimplemented torchvision.transforms.Normalize (torchvision not installed)'

# Token ids of the default prompt "a photo of a lighthouse" as the upstream tokenizer gives them (SOT ... EOT); used
# only when that tokenizer cannot run (then --prompt is ignored). With random weights the ids do not change the
# timing; the Java bench's fixed sequence has the same length.
FALLBACK_IDS = [49406, 320, 1125, 539, 320, 13717, 49407]


def make_tokenize():
    try:
        import regex  # noqa: F401  (Debian: python3-regex)
    except ImportError:
        return None, 'fixed ids of "a photo of a lighthouse" (python3-regex not installed)'
    note = 'clip.simple_tokenizer + clip.clip.tokenize (upstream)'
    try:
        import ftfy  # noqa: F401
    except ImportError:
        # ftfy is not packaged for Debian bookworm. The tokenizer calls ftfy.fix_text only to repair mojibake;
        # for a plain ASCII prompt it returns its input unchanged.
        sys.modules['ftfy'] = types.SimpleNamespace(fix_text=lambda text: text)
        note += ', ftfy.fix_text = identity (ASCII prompt)'
    from clip.simple_tokenizer import SimpleTokenizer
    try:
        from packaging import version
    except ImportError:
        # tokenize() only compares torch.__version__ with "1.8.0" to pick int32 vs int64 ids.
        def _parse(text):
            return tuple(int(m.group()) if m else 0 for m in (re.match(r'\d+', part) for part in text.split('.')[:3]))
        version = types.SimpleNamespace(parse=_parse)
    from typing import List, Union
    ns = {'torch': torch, 'version': version, 'Union': Union, 'List': List, '_tokenizer': SimpleTokenizer()}
    upstream_defs(os.path.join(CLIP_DIR, 'clip', 'clip.py'), ['tokenize'], ns)
    return ns['tokenize'], note


tokenize, fallbacks['tokenizer'] = make_tokenize()

# ---------------------------------------------------------------------------------------------------------
# setup, as generate.py's top-level code does it (defaults: cut_method 'original' here, init_noise None,
# init_weight 0, Adam lr 0.1, one text prompt)

MakeCutoutsOrig, Prompt, split_prompt, synth = gen['MakeCutoutsOrig'], gen['Prompt'], gen['split_prompt'], gen['synth']

cut_size = perceptor.visual.input_resolution
f = 2**(model.decoder.num_resolutions - 1)
make_cutouts = MakeCutoutsOrig(cut_size, args.cutn, cut_pow=1.)
toksX, toksY = args.size[0] // f, args.size[1] // f
sideX, sideY = toksX * f, toksY * f
e_dim = model.quantize.e_dim
n_toks = model.quantize.n_e
z_min = model.quantize.embedding.weight.min(dim=0).values[None, :, None, None]
z_max = model.quantize.embedding.weight.max(dim=0).values[None, :, None, None]

one_hot = F.one_hot(torch.randint(n_toks, [toksY * toksX]), n_toks).float()
z = one_hot @ model.quantize.embedding.weight
z = z.view([-1, toksY, toksX, e_dim]).permute(0, 3, 1, 2)
z.requires_grad_(True)

txt, weight, stop = split_prompt(args.prompt)
if tokenize is not None:
    tokens = tokenize(txt)
else:
    tokens = torch.zeros(1, 77, dtype=torch.int)
    tokens[0, :len(FALLBACK_IDS)] = torch.tensor(FALLBACK_IDS)
embed = perceptor.encode_text(tokens).float()
pMs = [Prompt(embed, weight, stop)]

opt = optim.Adam([z], lr=0.1)
torch.manual_seed(args.seed)

# ---------------------------------------------------------------------------------------------------------
# the loop: generate.py train() + ascend_txt() (display_freq output, video frames and init_weight term off),
# with a timer between the phases

PHASES = ['synth', 'cutouts', 'clip', 'backward', 'step']


def iteration():
    clock = time.perf_counter
    t0 = clock()
    opt.zero_grad(set_to_none=True)
    out = synth(z)
    t1 = clock()
    cutouts = make_cutouts(out)
    t2 = clock()
    iii = perceptor.encode_image(normalize(cutouts)).float()
    t3 = clock()
    result = []
    for prompt in pMs:
        result.append(prompt(iii))
    loss = sum(result)
    loss.backward()
    t4 = clock()
    opt.step()
    with torch.inference_mode():
        z.copy_(z.maximum(z_min).minimum(z_max))
    t5 = clock()
    return t5 - t0, [t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4], loss.item()


# ---------------------------------------------------------------------------------------------------------
# environment report (stderr) and BLAS facts (JSON)

config = torch.__config__.show()
log(config.rstrip())
blas_info = (re.search(r'BLAS_INFO=([^,\s]+)', config) or [None, None])[1]


def mapped_blas():
    libs = set()
    with open('/proc/self/maps') as fh:
        for line in fh:
            path = line.split()[-1] if len(line.split()) >= 6 else ''
            if any(k in os.path.basename(path) for k in ('blas', 'lapack', 'mkl', 'dnnl', 'gomp', 'omp')):
                libs.add(path)
    return sorted(libs)


def openblas_facts():
    try:
        lib = ctypes.CDLL('libopenblas.so.0')
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        return {'corename': lib.openblas_get_corename().decode(), 'config': lib.openblas_get_config().decode().strip(),
                'num_threads': lib.openblas_get_num_threads()}
    except (OSError, AttributeError) as e:
        return {'error': str(e)}


def sha(path):
    with open(path, 'rb') as fh:
        return hashlib.sha256(fh.read()).hexdigest()[:16]


upstream_files = {os.path.relpath(p, REFSRC): sha(p) for p in [
    GENERATE_PY,
    os.path.join(TAMING_DIR, 'taming', 'modules', 'diffusionmodules', 'model.py'),
    os.path.join(TAMING_DIR, 'taming', 'modules', 'vqvae', 'quantize.py'),
    os.path.join(TAMING_DIR, 'taming', 'models', 'vqgan.py'),
    os.path.join(CLIP_DIR, 'clip', 'model.py'),
    os.path.join(CLIP_DIR, 'clip', 'clip.py'),
]}
upstream_commits = {}
for name in ('taming-transformers', 'CLIP', 'VQGAN-CLIP'):
    marker = os.path.join(REFSRC, name, 'COMMIT')  # written by setup_refsrc.sh
    upstream_commits[name] = open(marker).read().strip() if os.path.exists(marker) else None
for mod in (sys.modules['taming.modules.diffusionmodules.model'], clip_model):
    assert os.path.abspath(mod.__file__).startswith(REFSRC + os.sep), mod.__file__

# ---------------------------------------------------------------------------------------------------------
# run

log(f'size {sideX}x{sideY} (latent {toksX}x{toksY}), cutn {args.cutn}, threads {torch.get_num_threads()}, '
    f'build {build_s:.1f} s, RSS after build {rss_after_build_mib} MiB')
totals, phases, losses = [], [], []
for i in range(args.warmup + args.iters):
    total, ph, loss = iteration()
    measured = i >= args.warmup
    if measured:
        totals.append(total)
        phases.append(ph)
        losses.append(loss)
    log(f"{'iter' if measured else 'warmup'} {i}: {total:.3f} s  " +
        '  '.join(f'{n} {v:.3f}' for n, v in zip(PHASES, ph)) + f'  loss {loss:.6g}')

ob = openblas_facts()
result = {
    'impl': 'upstream-pytorch',
    'size': f'{sideX}x{sideY}', 'latent': f'{toksX}x{toksY}', 'cutn': args.cutn, 'cut_method': 'original',
    'warmup': args.warmup, 'iterations': args.iters, 'seed': args.seed,
    'median_s_per_iter': round(statistics.median(totals), 4),
    'min_s_per_iter': round(min(totals), 4),
    'max_s_per_iter': round(max(totals), 4),
    'per_iter_s': [round(t, 4) for t in totals],
    'phase_medians_s': {n: round(statistics.median(p[k] for p in phases), 4) for k, n in enumerate(PHASES)},
    'build_s': round(build_s, 2),
    'rss_after_build_mib': rss_after_build_mib,
    'peak_rss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    'loss_last': losses[-1] if losses else None,
    'vqgan_params_m': round(sum(p.numel() for p in model.parameters()) / 1e6, 2),
    'clip_params_m': round(sum(p.numel() for p in perceptor.parameters()) / 1e6, 2),
    'torch': torch.__version__, 'numpy': np.__version__, 'python': platform.python_version(),
    'python_executable': sys.executable,
    'threads': torch.get_num_threads(), 'interop_threads': torch.get_num_interop_threads(),
    'mkldnn': torch.backends.mkldnn.is_available(),
    'blas_info': blas_info,
    'blas_libs_mapped': mapped_blas(),
    'openblas_corename': ob.get('corename'), 'openblas_config': ob.get('config'),
    'openblas_threads': ob.get('num_threads'),
    'env': {k: v for k, v in sorted(os.environ.items())
            if k.startswith(('OPENBLAS_', 'OMP_', 'GOMP_', 'MKL_', 'KMP_', 'LD_PRELOAD', 'MALLOC_'))},
    'cpu': next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo') if line.startswith('model name')),
                platform.processor()),
    'nproc': os.cpu_count(),
    'fallbacks': fallbacks,
    'upstream_commits': upstream_commits,
    'upstream_files_sha256_16': upstream_files,
    'wall_s': round(time.perf_counter() - T_START, 1),
}
print(json.dumps(result), flush=True)
