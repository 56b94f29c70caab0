// An independent computation of ANALYTICS.md's measures, written apart from the engine so
// that the tests compare two implementations, never the engine with itself: its own normal
// distribution function (series and continued fraction for erfc), its own Black-Scholes
// (put delta and charm from put-call parity), its own day count (day by day), bucket rule
// (first Friday + 14 days) and aggregation (string-keyed maps). Plain objects, no typed arrays.

export type OracleContract = {
  line: number;
  expiry: string;
  strike: number;
  type: 'C' | 'P';
  open_interest: number;
  volume: number;
  iv: number | null;
  gamma: number | null;
  delta: number | null;
};

export type OracleConventions = {
  multiplier: number;
  move: number;
  dayCount: 'business-262' | 'act-365';
  r: number;
  q: number;
  timeZone: string;
};

export const DEFAULT_ORACLE: OracleConventions = {
  multiplier: 100,
  move: 0.01,
  dayCount: 'business-262',
  r: 0,
  q: 0,
  timeZone: 'America/New_York',
};

/** erfc by its Taylor-like series (erf = 2/√π e^{−z²} Σ 2ⁿ z^{2n+1} / (2n+1)!!) below 3, a continued fraction above. */
export function erfc(z: number): number {
  if (z < 0) return 2 - erfc(-z);
  if (z < 3) {
    let term = z;
    let sum = z;
    for (let n = 1; n < 200; n++) {
      term *= (2 * z * z) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum;
  }
  let k = z;
  for (let n = 120; n >= 1; n--) k = z + n / 2 / k;
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * k);
}

export const Phi = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);
export const phi = (x: number): number => Math.exp(-(x * x) / 2) / Math.sqrt(2 * Math.PI);

function dayNumber(date: string): number {
  return Math.round(
    Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / 86_400_000,
  );
}

/** T in years: weekdays from the snapshot date (inclusive) to expiry (exclusive) ÷ 262, or calendar days ÷ 365; at least one day. */
export function years(
  snapshotDate: string,
  expiry: string,
  dayCount: OracleConventions['dayCount'],
): number {
  const from = dayNumber(snapshotDate);
  const to = dayNumber(expiry);
  if (dayCount === 'act-365') return Math.max(1, to - from) / 365;
  let n = 0;
  for (let d = from; d < to; d++) {
    const weekday = new Date(d * 86_400_000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) n++;
  }
  return Math.max(1, n) / 262;
}

export type OracleGreeks = { gamma: number; delta: number; vanna: number; charmPerYear: number };

export function greeks(
  type: 'C' | 'P',
  S: number,
  K: number,
  sigma: number,
  T: number,
  r: number,
  q: number,
): OracleGreeks {
  const sd = sigma * Math.sqrt(T);
  const d1 = (Math.log(S / K) + (r - q + (sigma * sigma) / 2) * T) / sd;
  const d2 = d1 - sd;
  const dq = Math.exp(-q * T);
  const callDelta = dq * Phi(d1);
  const callCharm = q * dq * Phi(d1) - (dq * phi(d1) * (2 * (r - q) * T - d2 * sd)) / (2 * T * sd);
  return {
    gamma: (dq * phi(d1)) / (S * sd),
    // Put-call parity: Δp = Δc − e^{−qT}, and its change in time.
    delta: type === 'C' ? callDelta : callDelta - dq,
    vanna: (-dq * phi(d1) * d2) / sigma,
    charmPerYear: type === 'C' ? callCharm : callCharm - q * dq,
  };
}

/** The exchange's calendar date of an instant. */
export function exchangeDate(asOf: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(new Date(asOf));
  const get = (t: string): string => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month').padStart(2, '0')}-${get('day').padStart(2, '0')}`;
}

export function thirdFriday(year: number, month: number): string {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const firstFriday = 1 + ((5 - first + 7) % 7);
  return `${year}-${String(month).padStart(2, '0')}-${String(firstFriday + 14).padStart(2, '0')}`;
}

export function bucketOf(expiry: string, today: string): '0dte' | 'weekly' | 'monthly' {
  if (expiry === today) return '0dte';
  return thirdFriday(+expiry.slice(0, 4), +expiry.slice(5, 7)) === expiry ? 'monthly' : 'weekly';
}

export type OracleStrike = {
  strike: number;
  call_gex: number;
  put_gex: number;
  net_gex: number;
  dex: number;
  vex: number;
  cex: number;
  call_open_interest: number;
  put_open_interest: number;
  call_volume: number;
  put_volume: number;
};

export type OracleResult = {
  exposures: { gex: number; dex: number; vex: number; cex: number };
  strikes: OracleStrike[];
  expiries: (Omit<OracleStrike, 'strike'> & {
    expiry: string;
    bucket: string;
    call_wall: number | null;
    put_wall: number | null;
  })[];
  buckets: { bucket: string; net_gex: number; call_wall: number | null; put_wall: number | null }[];
  absolute_gamma_strike: number | null;
  call_wall: number | null;
  put_wall: number | null;
  /** Rows used with σ 0 or missing. */
  no_vol_rows: number;
  used_rows: number;
};

/** The strike with the largest value (first on a tie); null when no value is above 0. */
function argmax(entries: [number, number][]): number | null {
  let best: number | null = null;
  let bestValue = 0;
  for (const [strike, value] of [...entries].sort((a, b) => a[0] - b[0])) {
    if (value > bestValue) {
      best = strike;
      bestValue = value;
    }
  }
  return best;
}

const emptyStrike = (strike: number): OracleStrike => ({
  strike,
  call_gex: 0,
  put_gex: 0,
  net_gex: 0,
  dex: 0,
  vex: 0,
  cex: 0,
  call_open_interest: 0,
  put_open_interest: 0,
  call_volume: 0,
  put_volume: 0,
});

function add(
  into: OracleStrike,
  type: 'C' | 'P',
  c: OracleContract,
  m: { gex: number; dex: number; vex: number; cex: number },
): void {
  if (type === 'C') {
    into.call_gex += m.gex;
    into.call_open_interest += c.open_interest;
    into.call_volume += c.volume;
  } else {
    into.put_gex += m.gex;
    into.put_open_interest += c.open_interest;
    into.put_volume += c.volume;
  }
  into.net_gex += m.gex;
  into.dex += m.dex;
  into.vex += m.vex;
  into.cex += m.cex;
}

export function oracle(
  contracts: OracleContract[],
  spot: number,
  asOf: string,
  conv: OracleConventions = DEFAULT_ORACLE,
): OracleResult {
  // One date for expired rows, day counts and buckets: as_of's in the exchange's zone.
  const today = exchangeDate(asOf, conv.timeZone);
  const snapshotDate = today;
  const perDay = conv.dayCount === 'act-365' ? 365 : 262;
  const byStrike = new Map<string, OracleStrike>();
  const byExpiry = new Map<string, OracleStrike>();
  const byExpiryStrike = new Map<string, Map<number, OracleStrike>>();
  const byBucketStrike = new Map<string, Map<number, OracleStrike>>();
  const exposures = { gex: 0, dex: 0, vex: 0, cex: 0 };
  let noVol = 0;
  let used = 0;
  for (const c of contracts) {
    if (c.expiry < snapshotDate) continue;
    if (c.gamma === null && c.iv === null) continue;
    used++;
    const T = years(snapshotDate, c.expiry, conv.dayCount);
    const sign = c.type === 'C' ? 1 : -1;
    const hasVol = c.iv !== null && c.iv > 0;
    const g = hasVol ? greeks(c.type, spot, c.strike, c.iv!, T, conv.r, conv.q) : null;
    if (!hasVol) noVol++;
    const gamma = c.gamma ?? g?.gamma ?? 0;
    let delta = c.delta ?? g?.delta;
    if (delta === undefined) {
      const forward = spot * Math.exp((conv.r - conv.q) * T);
      const dq = Math.exp(-conv.q * T);
      const call = forward > c.strike ? dq : forward < c.strike ? 0 : dq / 2;
      delta = c.type === 'C' ? call : call - dq;
    }
    const m = {
      gex: sign * gamma * c.open_interest * conv.multiplier * spot * spot * conv.move,
      dex: delta * c.open_interest * conv.multiplier * spot,
      vex: g ? sign * g.vanna * c.open_interest * conv.multiplier * spot * 0.01 : 0,
      cex: g ? ((sign * g.charmPerYear) / perDay) * c.open_interest * conv.multiplier * spot : 0,
    };
    exposures.gex += m.gex;
    exposures.dex += m.dex;
    exposures.vex += m.vex;
    exposures.cex += m.cex;
    const k = String(c.strike);
    if (!byStrike.has(k)) byStrike.set(k, emptyStrike(c.strike));
    add(byStrike.get(k)!, c.type, c, m);
    if (!byExpiry.has(c.expiry)) byExpiry.set(c.expiry, emptyStrike(0));
    add(byExpiry.get(c.expiry)!, c.type, c, m);
    for (const [map, key] of [
      [byExpiryStrike, c.expiry],
      [byBucketStrike, bucketOf(c.expiry, today)],
    ] as const) {
      if (!map.has(key)) map.set(key, new Map());
      const inner = map.get(key)!;
      if (!inner.has(c.strike)) inner.set(c.strike, emptyStrike(c.strike));
      add(inner.get(c.strike)!, c.type, c, m);
    }
  }
  const strikes = [...byStrike.values()].sort((a, b) => a.strike - b.strike);
  const walls = (rows: Iterable<OracleStrike>) => {
    const list = [...rows];
    return {
      call_wall: argmax(list.map((s) => [s.strike, s.call_gex])),
      put_wall: argmax(list.map((s) => [s.strike, -s.put_gex])),
    };
  };
  const expiries = [...byExpiry.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([expiry, sums]) => {
      const { strike: _unused, ...rest } = sums;
      return {
        expiry,
        bucket: bucketOf(expiry, today),
        ...rest,
        ...walls(byExpiryStrike.get(expiry)!.values()),
      };
    });
  const buckets = ['0dte', 'weekly', 'monthly']
    .filter((b) => byBucketStrike.has(b))
    .map((bucket) => {
      const rows = [...byBucketStrike.get(bucket)!.values()];
      return { bucket, net_gex: rows.reduce((n, s) => n + s.net_gex, 0), ...walls(rows) };
    });
  return {
    exposures,
    strikes,
    expiries,
    buckets,
    absolute_gamma_strike: argmax(strikes.map((s) => [s.strike, s.call_gex + Math.abs(s.put_gex)])),
    ...walls(strikes),
    no_vol_rows: noVol,
    used_rows: used,
  };
}
