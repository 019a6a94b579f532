#!/usr/bin/env python3
"""Per-stage timings of the upstream taming VQGAN decoder (f16-16384 sizes, random weights), measured as
`./vqclip bench --profile-decoder` measures its own: each stage alone on its real input (the previous stage's
output), forward with the graph recorded, then backward of the sum of its output into its input; median of the
repeats after one warm-up. Stages: post_quant_conv, conv_in + mid, each up.i.block.b (+ attn.b), each up.i.upsample,
norm_out + swish + conv_out. The modules are taming's own (taming/modules/diffusionmodules/model.py), imported from
$REFSRC unchanged; only the timing glue is written here. Prints one JSON line."""
import argparse
import contextlib
import json
import os
import statistics
import sys
import time
import types

ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
ap.add_argument('--size', default='256x256', help='output WxH (default 256x256)')
ap.add_argument('--repeats', type=int, default=5, help='measured repeats per stage (default 5)')
ap.add_argument('--threads', type=int, default=2, help='torch.set_num_threads (default 2)')
ap.add_argument('--seed', type=int, default=0)
ap.add_argument('--refsrc', default=os.environ.get('REFSRC'), help='folder holding the upstream checkouts')
args = ap.parse_args()
if not args.refsrc:
    ap.error('give --refsrc or set REFSRC (see scripts/bench-vs-upstream.sh --help)')
width, height = (int(v) for v in args.size.split('x'))

import torch  # noqa: E402
from torch.nn import functional as F  # noqa: E402

torch.set_num_threads(args.threads)
# quantize.py is not needed; model.py needs nothing beyond torch. Register taming as a package without its __init__.
pkg = types.ModuleType('taming')
pkg.__path__ = [os.path.join(os.path.abspath(args.refsrc), 'taming-transformers', 'taming')]
sys.modules['taming'] = pkg
from taming.modules.diffusionmodules.model import Decoder, nonlinearity  # noqa: E402

DDCONFIG = dict(double_z=False, z_channels=256, resolution=256, in_channels=3, out_ch=3, ch=128,
                ch_mult=[1, 1, 2, 2, 4], num_res_blocks=2, attn_resolutions=[16], dropout=0.0)
torch.manual_seed(args.seed)
with contextlib.redirect_stdout(sys.stderr):  # the Decoder prints "Working with z of shape ..."
    dec = Decoder(**DDCONFIG)
post_quant_conv = torch.nn.Conv2d(256, DDCONFIG['z_channels'], 1)
dec.eval().requires_grad_(False)
post_quant_conv.eval().requires_grad_(False)

# The stages of Decoder.forward (temb None), in its order.
stages = [('post_quant_conv', post_quant_conv),
          ('conv_in+mid', lambda h: dec.mid.block_2(dec.mid.attn_1(dec.mid.block_1(dec.conv_in(h), None)), None))]
for i_level in reversed(range(dec.num_resolutions)):
    up = dec.up[i_level]
    for i_block in range(dec.num_res_blocks + 1):
        if len(up.attn) > 0:
            stages.append((f'up.{i_level}.block.{i_block}+attn',
                           lambda h, b=up.block[i_block], a=up.attn[i_block]: a(b(h, None))))
        else:
            stages.append((f'up.{i_level}.block.{i_block}', lambda h, b=up.block[i_block]: b(h, None)))
    if i_level != 0:
        stages.append((f'up.{i_level}.upsample', up.upsample))
stages.append(('norm_out+conv_out', lambda h: dec.conv_out(nonlinearity(dec.norm_out(h)))))

f = 2 ** (dec.num_resolutions - 1)
x = torch.randn(1, 256, height // f, width // f)
rows, fwd_total, bwd_total = [], 0.0, 0.0
for name, stage in stages:
    fwd, bwd = [], []
    for r in range(args.repeats + 1):
        inp = x.clone().requires_grad_(True)
        t0 = time.perf_counter()
        y = stage(inp)
        t1 = time.perf_counter()
        y.sum().backward()
        t2 = time.perf_counter()
        if r > 0:
            fwd.append((t1 - t0) * 1e3)
            bwd.append((t2 - t1) * 1e3)
        del y, inp
    with torch.no_grad():
        x = stage(x)
    rows.append({'stage': name, 'shape': str(tuple(x.shape)), 'forward_ms': round(statistics.median(fwd), 3),
                 'backward_ms': round(statistics.median(bwd), 3)})
    fwd_total += statistics.median(fwd)
    bwd_total += statistics.median(bwd)


def rss_mib(field):
    with open('/proc/self/status') as fh:
        for line in fh:
            if line.startswith(field + ':'):
                return int(line.split()[1]) // 1024
    return None


print(json.dumps({'impl': 'upstream-pytorch', 'torch': torch.__version__, 'size': f'{width}x{height}',
                  'threads': args.threads, 'repeats': args.repeats, 'stages': rows,
                  'forward_ms': round(fwd_total, 3), 'backward_ms': round(bwd_total, 3),
                  'peak_rss_mib': rss_mib('VmHWM')}))
