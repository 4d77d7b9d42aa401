"""Which arithmetic kernels this process computes with: what a weights fingerprint is reproducible across.

The same settings and seed give the same weights to the last bit wherever
the kernels are the same: any number of learners, threads or processes on
one server, or another computer with the same OpenBLAS core and NumPy SIMD
level. OpenBLAS picks its matrix kernels by CPU (Haswell, SkylakeX,
Sandybridge…), and they round differently: the lesson's run gives 107dd268
with Haswell and e854d964 with Sandybridge, 65.2% test accuracy with both.
"""

from __future__ import annotations

import functools


@functools.cache
def kernels() -> str:
    """e.g. 'OpenBLAS Haswell, NumPy X86_V3'."""
    from threadpoolctl import threadpool_info
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    blas = [f"{'OpenBLAS' if i['internal_api'] == 'openblas' else i['internal_api']} {i.get('architecture') or ''}".strip()
            for i in threadpool_info() if i.get("user_api") == "blas"]
    simd = [feature for feature in __cpu_dispatch__ if __cpu_features__.get(feature)]
    return f"{', '.join(blas) or 'unknown BLAS'}, NumPy {simd[-1] if simd else 'baseline'}"
