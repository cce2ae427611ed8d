#!/usr/bin/env python3
"""Lists the GPU architectures a CUDA library ships kernels for, by walking its fatbin headers.

Usage: scripts/cuda-archs.py libnd4jcuda.so   (extract it from nd4j-cuda-11.6-*-linux-x86_64.jar first)
Prints (kind, sm) counts: ELF = SASS for that exact arch; PTX = JIT-able code for newer arches.
"""
import struct, mmap, collections, sys
f = open(sys.argv[1], 'rb'); m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
magic = struct.pack('<I', 0xBA55ED50)
kinds = collections.Counter(); pos = 0; n = 0
while True:
    i = m.find(magic, pos)
    if i < 0: break
    ver, hsize, fsize = struct.unpack_from('<HHQ', m, i+4)
    if hsize != 16: pos = i+4; continue
    n += 1; p = i + hsize; end = p + fsize
    while p < end:
        kind, _, ehdr, size = struct.unpack_from('<HHII', m, p)
        arch = struct.unpack_from('<I', m, p+28)[0]
        kinds[('PTX' if kind == 1 else 'ELF' if kind == 2 else str(kind), arch)] += 1
        if ehdr == 0: break
        p += ehdr + size
    pos = max(end, i+4)
print('fatbins', n); print(sorted(kinds.items()))
