"""Cross-check of the fast GOST 34.10-2015 path against gostcrypto (R-X-2, issue 12).

`qamqor.accounts.esign.gost.verify_digest` (Jacobian coordinates, a few ms) must answer exactly
what `gost.verify_digest_reference` (gostcrypto itself, ~0.4 s) answers. This runs N generated
vectors (default 1,000): half valid, half corrupted (one bit of the signature, the digest or the
public key flipped, or r/s out of range); half of the keys and signatures come from gostcrypto and
half from the fast path, so both directions are covered. Any disagreement, or a valid vector
refused or a corrupted one accepted, fails the run (exit 1).

    .venv/bin/python bench/gost_crosscheck.py [--vectors 1000] [--processes 2]

Takes ~0.5 s of gostcrypto per vector per core.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def check(index: int) -> dict[str, object]:
    from qamqor.accounts.esign import gost

    rng = random.Random(index)
    engine = gost._engine()
    d = rng.randrange(1, gost._Q)
    digest = gost.streebog512(index.to_bytes(4, "big") + rng.randbytes(32))
    by_gostcrypto = index % 2 == 1
    public = gost.public_key_of(d)
    if by_gostcrypto:
        reference_key = bytes(engine.public_key_generate(bytearray(d.to_bytes(64, "big"))))
        if bytes(gost._halves_reversed(reference_key)) != public:
            return {"index": index, "error": "public keys differ"}
        raw = engine.sign(bytearray(d.to_bytes(64, "big")), bytearray(digest[::-1]))
        signature = bytes(gost._halves_reversed(bytes(raw)))
    else:
        signature = gost.sign_digest(d, digest)
    corruption = "none"
    if index % 4 >= 2:  # half of the vectors corrupted
        corruption = rng.choice(["signature", "digest", "key", "r_range", "s_range"])
        if corruption == "signature":
            signature = _flip(signature, rng)
        elif corruption == "digest":
            digest = _flip(digest, rng)
        elif corruption == "key":
            public = _flip(public, rng)
        elif corruption == "r_range":
            signature = (gost._Q + 1).to_bytes(64, "little") + signature[64:]
        else:
            signature = signature[:64] + gost._Q.to_bytes(64, "little")
    fast = gost.verify_digest(public, digest, signature)
    reference = gost.verify_digest_reference(public, digest, signature)
    expected = corruption == "none"
    return {
        "index": index,
        "corruption": corruption,
        "by": "gostcrypto" if by_gostcrypto else "fast",
        "fast": fast,
        "reference": reference,
        "ok": fast == reference == expected,
    }


def _flip(value: bytes, rng: random.Random) -> bytes:
    changed = bytearray(value)
    bit = rng.randrange(len(changed) * 8)
    changed[bit // 8] ^= 1 << (bit % 8)
    return bytes(changed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/gost_crosscheck.py", description=__doc__)
    parser.add_argument("--vectors", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with mp.get_context("spawn").Pool(args.processes) as pool:
        results = pool.map(check, range(args.vectors), chunksize=8)
    bad = [r for r in results if not r.get("ok")]
    summary = {
        "vectors": len(results),
        "valid": sum(1 for r in results if r.get("corruption") == "none"),
        "corrupted": sum(1 for r in results if r.get("corruption") not in (None, "none")),
        "disagreements_or_wrong": len(bad),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(summary))
    for row in bad[:20]:
        print(json.dumps(row))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
