"""The numpy reference of `npm run bench -- cold`: what an analyst's script does with a
CBOE SPX "Download CSV" file, with the public tool's conventions (docs: the samples'
README): pandas reads the table, total GEX from the file's own gammas, call and put
walls, and the zero-gamma level from a Black-Scholes gamma profile at 60 spot levels
over [0.8, 1.2] x spot (T = business days / 262, 1/262 when 0; IV 0 contributes
nothing). Written for this bench, vectorised (no per-row Python), so the baseline is a
fair one. Prints one JSON line. Usage: python3 gex_reference.py FILE
"""
import json
import re
import sys
from datetime import datetime

import numpy as np
import pandas as pd

try:  # the public tool takes the normal density from scipy; so do we when it is there
    from scipy.stats import norm

    pdf = norm.pdf
    density = "scipy"
except ImportError:  # pragma: no cover - depends on the machine
    pdf = lambda x: np.exp(-0.5 * x * x) / np.sqrt(2 * np.pi)  # noqa: E731
    density = "numpy"

COLUMNS = [
    "expiry", "call", "call_last", "call_net", "call_bid", "call_ask", "call_volume", "call_iv",
    "call_delta", "call_gamma", "call_oi", "strike", "put", "put_last", "put_net", "put_bid",
    "put_ask", "put_volume", "put_iv", "put_delta", "put_gamma", "put_oi",
]


def main(path: str) -> None:
    with open(path) as f:
        head = [f.readline() for _ in range(3)]
    spot = float(head[1].split("Last:")[1].split(",")[0])
    when = re.search(r"Date: ([A-Za-z]+ \d+,? \d{4})", head[2]).group(1).replace(",", "")
    today = datetime.strptime(when, "%B %d %Y").date()

    df = pd.read_csv(path, header=None, skiprows=4, names=COLUMNS)
    df["expiry"] = pd.to_datetime(df["expiry"], format="%a %b %d %Y")
    df = df[df["expiry"].dt.date >= today]

    unit = 100 * spot * spot * 0.01
    call_gex = df["call_gamma"].to_numpy(float) * df["call_oi"].to_numpy(float) * unit
    put_gex = -df["put_gamma"].to_numpy(float) * df["put_oi"].to_numpy(float) * unit
    strikes = df["strike"].to_numpy(float)
    by_strike = pd.DataFrame({"strike": strikes, "call": call_gex, "put": put_gex}).groupby("strike").sum()
    total = float(call_gex.sum() + put_gex.sum())

    days = np.busday_count(np.datetime64(today), df["expiry"].to_numpy().astype("datetime64[D]"))
    t = np.where(days == 0, 1 / 262, days / 262)
    levels = np.linspace(0.8 * spot, 1.2 * spot, 60)

    def gamma_exposure(iv: np.ndarray, oi: np.ndarray) -> np.ndarray:
        # One row per level, one column per contract; IV 0 contributes nothing.
        s = levels[:, None]
        vol = np.where(iv > 0, iv, np.nan)
        d1 = (np.log(s / strikes) + 0.5 * vol**2 * t) / (vol * np.sqrt(t))
        g = pdf(d1) / (s * vol * np.sqrt(t))
        return np.nansum(oi * 100 * s * s * 0.01 * g, axis=1)

    profile = gamma_exposure(df["call_iv"].to_numpy(float), df["call_oi"].to_numpy(float)) - gamma_exposure(
        df["put_iv"].to_numpy(float), df["put_oi"].to_numpy(float)
    )
    cross = np.where(np.diff(np.sign(profile)))[0]
    zero_gamma = None
    if len(cross) > 0:
        i = cross[0]
        lo, hi, glo, ghi = levels[i], levels[i + 1], profile[i], profile[i + 1]
        zero_gamma = float(hi - (hi - lo) * ghi / (ghi - glo))

    print(json.dumps({
        "spot": spot,
        "contracts": int(len(df)) * 2,
        "total_gex_bn": round(total / 1e9, 4),
        "zero_gamma": zero_gamma,
        "call_wall": float(by_strike["call"].idxmax()),
        "put_wall": float(by_strike["put"].idxmin()),
        "density": density,
    }))


if __name__ == "__main__":
    main(sys.argv[1])
