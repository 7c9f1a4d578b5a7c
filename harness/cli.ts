// nnspec run | list | report — the command line. `run` drives vitest over specs/*.spec.ts with the
// chosen engines and exits non-zero when a verdict differs from the expected one.
import { Command, InvalidArgumentError } from 'commander'
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DEFAULT_SEED, registry, type ClaimMeta } from './claim.ts'
import { BUILTIN_ENGINES, isBuiltin, resolveEnginePath } from './engines.ts'
import { recordLine } from './report/markdown.ts'
import { isFailure, regressions, type ConformanceReport } from './report/model.ts'
import { writeReports } from './report/write.ts'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const specFiles = () =>
  readdirSync(join(root, 'specs'))
    .filter((f) => f.endsWith('.spec.ts'))
    .map((f) => join(root, 'specs', f))

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

interface RunOpts {
  engine: string
  report: string
  claims: string
  seed: number
  path?: string
  quick?: boolean
  baseline?: string
  timeout?: number
}

async function run(o: RunOpts): Promise<number> {
  const engines = (o.engine === 'all' ? [...BUILTIN_ENGINES] : o.engine.split(',')).map((e) => {
    if (isBuiltin(e)) return e
    try {
      return resolveEnginePath(e)
    } catch (err) {
      return usage((err as Error).message)
    }
  })
  const reportDir = resolve(o.report)
  Object.assign(process.env, {
    NNSPEC_ENGINES: engines.join(','),
    NNSPEC_CLAIMS: o.claims,
    NNSPEC_SEED: String(o.seed),
    NNSPEC_REPORT_DIR: reportDir,
    ...(o.path ? { NNSPEC_PATH: o.path } : {}),
    ...(o.quick ? { NNSPEC_RUNS: '20' } : {}),
    ...(o.timeout ? { NNSPEC_TIMEOUT: String(o.timeout) } : {}),
  })
  const jsonPath = join(reportDir, 'conformance.json')
  const before = existsSync(jsonPath) ? readFileSync(jsonPath, 'utf8') : undefined
  console.log(`nnspec: ${engines.map((e) => (isBuiltin(e) ? e : relative(process.cwd(), e))).join(', ')} · claims ${o.claims} · seed ${o.seed}`)
  const { startVitest } = await import('vitest/node')
  const { default: ConformanceReporter } = await import('./report/reporter.ts')
  const { default: ProgressReporter } = await import('./report/progress.ts')
  const vitest = await startVitest('test', specFiles(), {
    watch: false,
    root,
    config: join(root, 'vitest.config.ts'),
    reporters: [new ProgressReporter(), new ConformanceReporter()],
  })
  await vitest.close()
  process.exitCode = 0 // our verdict, not vitest's, decides the exit code
  if (!existsSync(jsonPath) || readFileSync(jsonPath, 'utf8') === before) {
    console.error(`nnspec: no claim matched "${o.claims}" (or the run crashed before reporting); see \`nnspec list\``)
    return 1
  }
  const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as ConformanceReport
  const failures = report.records.filter((r) => isFailure(r.status))
  for (const f of failures) console.log(`\n${recordLine(f)}\n  ${f.message}`)
  console.log('')
  for (const e of report.engines) {
    const t = report.totals[e] ?? {}
    console.log(`${e}: ${t.pass ?? 0} pass, ${t.fail ?? 0} fail, ${t.error ?? 0} error, ${t.skip ?? 0} skip, ${t.xfail ?? 0} xfail, ${t.stale ?? 0} stale`)
  }
  console.log(`reports: ${['conformance.json', 'conformance.md', 'conformance.junit.xml'].map((f) => relative(process.cwd(), join(reportDir, f))).join(', ')}`)
  let code = failures.length > 0 ? 1 : 0
  if (o.baseline) {
    const base = JSON.parse(readFileSync(resolve(o.baseline), 'utf8')) as ConformanceReport
    const reg = regressions(base, report)
    console.log(reg.length === 0 ? `no regressions against ${o.baseline}` : `${reg.length} regressions against ${o.baseline}:`)
    for (const r of reg) console.log(`  ${recordLine(r)}`)
    if (reg.length > 0) code = 1
  }
  return code
}

async function list(json: boolean): Promise<void> {
  for (const f of specFiles()) await import(pathToFileURL(f).href)
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
  .requiredOption('--engine <name|path|all>', `built-in (${BUILTIN_ENGINES.join(', ')}), "all", a comma list, or a module that default-exports an Engine`)
  .option('--report <dir>', 'where to write conformance.{json,md,junit.xml}', 'reports')
  .option('--claims <glob>', 'claim ids to run (globs, comma-separated)', '*')
  .option('--seed <n>', 'base seed of every random choice', int, DEFAULT_SEED)
  .option('--path <p>', 'fast-check path to replay one counterexample')
  .option('--quick', 'fewer fast-check runs (20 instead of 100)')
  .option('--baseline <json>', 'a saved conformance.json: new failures are regressions')
  .option('--timeout <ms>', 'per-claim time limit (default 60000)', int)
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
  .command('report')
  .description('re-render conformance.md and .junit.xml from a conformance.json')
  .option('--from <json>', 'the report to render', 'reports/conformance.json')
  .action((o: { from: string }) => {
    if (!existsSync(o.from)) usage(`${o.from} not found: run \`nnspec run\` first`)
    const report = JSON.parse(readFileSync(o.from, 'utf8')) as ConformanceReport
    console.log(writeReports(report, dirname(resolve(o.from))).join('\n'))
  })

await program.parseAsync(process.argv)
