# SPDX-License-Identifier: MIT
"""concur_work - what one unit of compute is, in the five kinds lesson 18
("when Python threads do run in parallel") compares.

The harness chooses the kind (the protocol's "compute_kind" option;
models/README.md); every py-* model computes through compute_function:

    python   the kernel in pure Python: the thread holds the GIL all along
    hashlib  sha256 over a 1 MiB buffer a unit: hashlib lets go of the GIL
             while it hashes a buffer larger than 2 KiB
    zlib     zlib.compress of a 1 MiB buffer a unit: zlib lets go of it
             while deflate runs
    cdll     the kernel in C (models/python/spin.c) through ctypes.CDLL,
             which lets go of the GIL for the call
    pydll    the same C through ctypes.PyDLL, which holds it

python, cdll and pydll give the kernel's checksum (the harness checks it);
hashlib and zlib give a checksum of their own, which lesson 18 checks
against the same kind computed by py-sequential.

The library is found by path: the one the harness names (the protocol's
"spin_library", beside the concur program it runs), else libspin.so beside
this file (where `make install` puts it).
"""
import ctypes
import hashlib
import os
import sys
import threading
import zlib

KINDS = ("python", "hashlib", "zlib", "cdll", "pydll")
BUFFER_BYTES = 1 << 20  # what one hashlib or zlib unit works on
ZLIB_LEVEL = 6  # zlib's default
MASK64 = (1 << 64) - 1

_lock = threading.Lock()  # two threads may ask for the first time at once
_chosen = {}  # kind -> function(seed, units)


def _buffer():
    """1 MiB of hex text, the same on every machine: it compresses about
    in half, like ordinary data, unlike random bytes or one repeated
    byte."""
    lines = (hashlib.sha256(i.to_bytes(4, "big")).hexdigest().encode()
             for i in range(BUFFER_BYTES // 64))
    return b"".join(lines)


def _hashlib_function():
    buf = _buffer()

    def run(seed, units):
        h = hashlib.sha256(seed.to_bytes(8, "big"))
        for _ in range(units):
            h.update(buf)  # the GIL is let go while it hashes
        return int.from_bytes(h.digest()[:8], "big")
    return run


def _zlib_function():
    buf = _buffer()

    def run(seed, units):
        crc, size = seed & 0xFFFFFFFF, 0
        for _ in range(units):
            packed = zlib.compress(buf, ZLIB_LEVEL)  # GIL let go here
            crc = zlib.crc32(packed, crc)
            size += len(packed)
        return (size << 32 | crc) & MASK64
    return run


def _spin_path(options):
    here = os.path.dirname(os.path.abspath(__file__))
    return options.get("spin_library") or os.path.join(here, "libspin.so")


def _ctypes_function(options, loader):
    """concur_spin from libspin.so, loaded with loader (ctypes.CDLL or
    ctypes.PyDLL): the same C either way."""
    path = _spin_path(options)
    try:
        spin = loader(path).concur_spin
    except (OSError, AttributeError) as exc:  # one line, exit status 1
        raise SystemExit(f"concur_work: cannot load concur_spin from "
                         f"{path}: {exc} (`make` builds it)") from exc
    spin.argtypes = (ctypes.c_uint64,) * 3
    spin.restype = ctypes.c_uint64
    iters = options["kernel_iters_per_unit"]
    return lambda seed, units: spin(seed, units, iters)


def _build(kind, options, kernel_run):
    if kind == "python":
        iters = options["kernel_iters_per_unit"]
        return lambda seed, units: kernel_run(seed, units, iters)
    if kind == "hashlib":
        return _hashlib_function()
    if kind == "zlib":
        return _zlib_function()
    if kind in ("cdll", "pydll"):
        loader = ctypes.CDLL if kind == "cdll" else ctypes.PyDLL
        return _ctypes_function(options, loader)
    # One line on stderr and exit status 1: the harness reports the run.
    raise SystemExit(f"concur_work: compute_kind {kind!r} is not one of "
                     f"{', '.join(KINDS)}")


def compute_function(options, kernel_run):
    """function(seed, units) -> checksum for the batch's kind, made once
    per process: read_batch asks first, so the buffer is built and the
    library loaded before the run is timed."""
    kind = options.get("compute_kind", "python")
    with _lock:
        if kind not in _chosen:
            _chosen[kind] = _build(kind, options, kernel_run)
        return _chosen[kind]


def interpreter_figures():
    """What py-threads reports about its interpreter: the switch interval
    (how long a thread may hold the GIL while another waits for it) and
    whether there is a GIL at all (False on a free-threaded build)."""
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    return {"switch_interval_ms": sys.getswitchinterval() * 1e3,
            "gil_enabled": 1 if gil else 0}
