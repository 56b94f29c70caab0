// `npm run bench`: every benchmark of the project in one run, each next to the
// baseline it is judged against, measured in the same run (these machines are noisy,
// so only ratios measured together mean anything). `npm run bench -- rules` runs one.
export interface Measure {
  name: string;
  value: number;
  unit: string;
}

const suites: Record<string, () => Promise<Measure[]>> = {
  pipeline: async () => (await import('./pipeline.bench.ts')).benchPipeline(),
  rules: async () => (await import('./rules.bench.ts')).benchRules(),
  scheduler: async () => (await import('./scheduler.bench.ts')).benchScheduler(),
  load: async () => (await import('./load.bench.ts')).benchLoad(),
};

const only = process.argv.slice(2);
const format = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

for (const [name, run] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stdout.write(`\n== ${name}\n`);
  const started = performance.now();
  try {
    for (const m of await run()) process.stdout.write(`  ${m.name.padEnd(64)} ${format(m.value).padStart(12)} ${m.unit}\n`);
  } catch (e) {
    process.stdout.write(`  FAILED: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  }
  process.stdout.write(`  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
