// nnspec run | list | report | bench — the command line. `run` runs the claims on worker processes
// (harness/run.ts) and exits non-zero when a verdict differs from the expected one; 2 on usage errors.
import { Command, InvalidArgumentError } from 'commander'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { DEFAULT_SEED, registry, type ClaimMeta } from './claim.ts'
import { BUILTIN_ENGINES } from './engines.ts'
import type { ConformanceReport } from './report/model.ts'
import { writeReports } from './report/write.ts'
import { run, type RunOpts } from './run.ts'
import { UsageError } from './run_inputs.ts'
import { loadSpecs, ROOT as root } from './runner/selection.ts'

const int = (v: string) => {
  const n = Number(v)
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${v}" is not an integer`)
  return n
}

/** Usage errors exit 2, as opposed to 1 for a failing engine. */
function usage(msg: string): never {
  console.error(`nnspec: ${msg}`)
  process.exit(2)
}

async function list(json: boolean): Promise<void> {
  await loadSpecs()
  const rows = registry.map((m) => ({
    id: m.id,
    kind: 'kind' in m ? [m.kind].flat().join('+') : 'informational',
    expect: 'expect' in m ? (m as ClaimMeta).expect : 'informational',
    source: m.source,
  }))
  if (json) return void console.log(JSON.stringify(rows, null, 1))
  const w = Math.max(...rows.map((r) => r.id.length))
  for (const r of rows) console.log(`${r.id.padEnd(w)}  ${r.kind.padEnd(24)}  ${r.expect}`)
  console.log(`\n${rows.length} claims`)
}

const program = new Command('nnspec').description('Executable specifications for neural-network engines').showHelpAfterError()

program
  .command('run')
  .description('run the claims on an engine; exits 1 when a verdict differs from the expected one, 2 on usage errors')
  .option('--engine <name|path|all>', `built-in (${BUILTIN_ENGINES.join(', ')}), "all", a comma list, or a module that default-exports an Engine`)
  .option('--report <dir>', 'where to write conformance.{json,md,junit.xml}', 'reports')
  .option('--claims <glob>', 'claim ids to run (globs, comma-separated)', '*')
  .option('--seed <n>', 'base seed of every random choice', int, DEFAULT_SEED)
  .option('--path <p>', 'fast-check path to replay one counterexample')
  .option('--quick', 'fewer fast-check runs (20 instead of 100)')
  .option('--baseline <json>', 'a saved conformance.json: new failures are regressions')
  .option('--timeout <ms>', 'per-claim time limit (default 60000; a claim that declares more keeps its own)', int)
  .option('--workers <n>', 'worker processes (default: 2, or 1 on a single core)', int)
  .option('--pairs <json>', 'run exactly these (claim, engine) pairs: [{ "claim": id, "engine": name or path }, …] (instead of --claims × --engine)')
  .option('--expectations <file|dir>', "an engine module's expectations (default: ci/expectations/<module name>.txt here)")
  .action(async (o: RunOpts) => {
    process.exitCode = await run(o)
  })

program
  .command('list')
  .description('print every claim with its id, kind and expected verdict')
  .option('--json', 'as JSON')
  .action((o: { json?: boolean }) => list(Boolean(o.json)))

program
  .command('bench')
  .description('time the kernels on every engine in one process; --gate exits 1 when a ratio in bench/gates.json fails')
  .option('--quick', 'a small subset, short rounds (for CI)')
  .option('--gate', 'check bench/gates.json')
  .option('--engine <names>', 'comma list of built-in engines', BUILTIN_ENGINES.join(','))
  .option('--report <dir>', 'where to write bench.{json,md}', 'reports')
  .option('--cases <names>', 'only cases whose name contains one of these (comma list), e.g. "MatMul,Conv"')
  .action(async (o: { quick?: boolean; gate?: boolean; engine: string; report: string; cases?: string }) => {
    const { runBench, checkGates, loadGates, writeBench } = await import('../bench/run.ts')
    const report = await runBench({ quick: Boolean(o.quick), engines: o.engine.split(','), ...(o.cases ? { cases: o.cases.split(',') } : {}) })
    if (o.gate) report.gates = checkGates(report, loadGates(root))
    mkdirSync(o.report, { recursive: true })
    console.log(writeBench(report, o.report).join('\n'))
    for (const g of report.gates ?? []) console.log(`gate ${g.pass ? 'pass' : 'FAIL'}: ${g.case} ${g.engine} ≥ ${g.min}× ${g.over} (measured ${g.ratio ?? 'n/a'}×)`)
    process.exitCode = report.gates?.some((g) => !g.pass) ? 1 : 0
  })

program
  .command('fuzz')
  .description('malformed graphs and feeds on engines (in this process): each must end in a result of the right shapes or an error naming the node, input or graph; exits 1 on a finding')
  .option('--engine <names>', 'comma list of built-in engines or modules', 'reference,reference-f64')
  .option('--count <n>', 'cases per engine', int, 10_000)
  .option('--seed <n>', 'first case seed (case k uses seed + k)', int, DEFAULT_SEED)
  .action(async (o: { engine: string; count: number; seed: number }) => {
    const { fuzz } = await import('./fuzz.ts')
    const { guard } = await import('./guard.ts')
    const { loadEngine } = await import('./engines.ts')
    const { resolveEngines } = await import('./run_inputs.ts')
    let found = 0
    for (const name of await resolveEngines(o.engine)) {
      const started = performance.now()
      const s = await fuzz(guard(await loadEngine(name)), o.count, o.seed)
      found += s.findings.length
      console.log(`${name}: ${s.cases} malformed graphs, ${s.results} results of the right shapes, ${s.errors} errors naming the node, input or graph, ${s.findings.length} findings (${((performance.now() - started) / 1000).toFixed(1)} s)`)
      for (const f of s.findings.slice(0, 10)) console.log(`  ${f.what} at case seed ${f.seed} (${f.mutation}): ${f.message}`)
    }
    process.exitCode = found > 0 ? 1 : 0
  })

program
  .command('report')
  .description('re-render conformance.md and .junit.xml from a conformance.json')
  .option('--from <json>', 'the report to render', 'reports/conformance.json')
  .action((o: { from: string }) => {
    if (!existsSync(o.from)) usage(`${o.from} not found: run \`nnspec run\` first`)
    const report = JSON.parse(readFileSync(o.from, 'utf8')) as ConformanceReport
    console.log(writeReports(report, dirname(resolve(o.from))).join('\n'))
  })

try {
  await program.parseAsync(process.argv)
} catch (e) {
  if (e instanceof UsageError) usage(e.message)
  throw e
}
