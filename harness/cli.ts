// nnspec run | list | report | bench — the command line. `run` runs the claims on worker processes
// (harness/run.ts) and exits non-zero when a verdict differs from the expected one; 2 on usage errors.
import { Command, InvalidArgumentError } from 'commander'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { delimiter, dirname, resolve } from 'node:path'
import { DEFAULT_SEED, registry, type ClaimMeta } from './claim.ts'
import { BUILTIN_ENGINES } from './engines.ts'
import { caseDirs } from './onnx_cases.ts'
import { checkModel, type Check } from './check_model.ts'
import type { ConformanceReport } from './report/model.ts'
import { writeAtomic, writeReports } from './report/write.ts'
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
    ...('expect' in m ? { ops: (m as ClaimMeta).ops, needs: (m as ClaimMeta).needs ?? [] } : {}),
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
  .option('--timeout <ms>', 'per-claim time limit (default 60000; a claim that declares a longer one keeps it)', int)
  .option('--workers <n>', 'worker processes (default: 2, or 1 on a single core)', int)
  .option('--pairs <json>', 'run exactly these (claim, engine) pairs: [{ "claim": id, "engine": name or path }, …] (instead of --claims × --engine)')
  .option('--shard <i/n>', 'run the i-th of n deterministic parts of the selection (merge the reports with `nnspec report --merge`)')
  .option('--durations <json>', 'a previous conformance.json whose durations balance the shards and order the queue (default: the report directory\'s)')
  .option('--expectations <file|dir>', "an engine module's expectations (default: ci/expectations/<module name>.txt here)")
  .action(async (o: RunOpts) => {
    process.exitCode = await run(o)
  })

program
  .command('onnx')
  .argument('[dirs...]', 'case directories in the ONNX backend-test layout (model.onnx, test_data_set_*/input_*.pb, output_*.pb), or directories of them', [])
  .description("run ONNX backend-test cases on an engine, each as a claim onnx.<case> with expectations like any claim (default: the official node tests in fixtures/onnx-node); exits like run")
  .option('--engine <name|path|all>', `built-in (${BUILTIN_ENGINES.join(', ')}), "all", a comma list, or a module that default-exports an Engine`)
  .option('--report <dir>', 'where to write conformance.{json,md,junit.xml}', 'reports')
  .option('--seed <n>', 'base seed', int, DEFAULT_SEED)
  .option('--baseline <json>', 'a saved conformance.json: new failures are regressions')
  .option('--timeout <ms>', 'per-case time limit (default 60000)', int)
  .option('--workers <n>', 'worker processes (default: 2, or 1 on a single core)', int)
  .option('--expectations <file|dir>', "an engine module's expectations (default: ci/expectations/<module name>.txt here)")
  .action(async (dirs: string[], o: RunOpts) => {
    if (dirs.length > 0) {
      const abs = dirs.map((d) => resolve(d))
      try {
        if (caseDirs(abs).length === 0) usage(`no ONNX test case (a directory with model.onnx) in ${dirs.join(', ')}`)
      } catch (e) {
        usage((e as Error).message)
      }
      process.env['NNSPEC_ONNX_DIRS'] = abs.join(delimiter) // read by specs/onnx.spec.ts here and in the workers
    }
    process.exitCode = await run({ ...o, claims: 'onnx.*' })
  })

program
  .command('check-model')
  .argument('<model>', 'an .onnx file')
  .description('run a model on an engine with seeded random inputs and compare its outputs, and the gradient of their sum w.r.t. every initializer, with reference-f64; exits 1 when they disagree, 2 on a bad file')
  .requiredOption('--engine <name|path>', `built-in (${BUILTIN_ENGINES.join(', ')}) or a module that default-exports an Engine`)
  .option('--shape <name=dims>', 'the shape of an input with symbolic dims, e.g. x=1,3,32,32 (repeatable)', (v: string, acc: Record<string, number[]>) => {
    const m = /^([^=]+)=(\d+(?:,\d+)*)$/.exec(v)
    if (!m) throw new InvalidArgumentError(`"${v}" is not name=d1,d2,…`)
    return { ...acc, [m[1]!]: m[2]!.split(',').map(Number) }
  }, {})
  .option('--seed <n>', 'seed of the random inputs', int, DEFAULT_SEED)
  .option('--report <dir>', 'where to write check-model.json', 'reports')
  .action(async (model: string, o: { engine: string; shape: Record<string, number[]>; seed: number; report: string }) => {
    try {
      const r = await checkModel(model, { engine: o.engine, shapes: o.shape, seed: o.seed })
      const mark = (ok: boolean) => (ok ? '✓' : '✗')
      const err = (c: Check) => (c.maxAbsError === undefined ? '' : ` max |Δ| ${c.maxAbsError.toExponential(1)}`)
      console.log(`check-model ${model} on ${r.engine} (seed ${r.seed}), against reference-f64`)
      console.log(`  inputs (seeded uniform −1…1): ${r.inputs.map((i) => `${i.name} [${i.shape.join(',')}]`).join(', ')}`)
      for (const c of r.outputs) console.log(`  ${mark(c.ok)} ${c.what}${err(c)}${c.message ? `\n      ${c.message}` : ''}`)
      if ('skipped' in r.gradients) console.log(`  – gradients not checked: ${r.gradients.skipped}`)
      else {
        console.log(`  gradients of Σ outputs w.r.t. ${r.gradients.initializers} initializers (${r.gradients.values} values, ${r.gradients.mode}):`)
        for (const c of r.gradients.checks) console.log(`  ${mark(c.ok)} ${c.what}${err(c)}${c.message ? `\n      ${c.message}` : ''}`)
      }
      mkdirSync(o.report, { recursive: true })
      const out = resolve(o.report, 'check-model.json')
      writeAtomic(out, `${JSON.stringify(r, null, 1)}\n`)
      console.log(`verdict: ${r.verdict === 'agrees' ? 'agrees with' : 'DISAGREES with'} reference-f64 (${(r.durationMs / 1000).toFixed(1)} s); ${out}`)
      process.exitCode = r.verdict === 'agrees' ? 0 : 1
    } catch (e) {
      if (e instanceof UsageError) usage(e.message)
      throw e
    }
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
    console.log((await writeBench(report, o.report)).join('\n'))
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
  .description('re-render conformance.md and .junit.xml from a conformance.json, or merge shard reports into one (exit 1 when the merged run fails)')
  .option('--from <json>', 'the report to render', 'reports/conformance.json')
  .option('--merge <jsons...>', 'shard reports of one run (nnspec run --shard i/n) to merge')
  .option('--out <dir>', 'where to write the merged reports', 'reports')
  .option('--baseline <json>', 'a saved conformance.json: regressions are highlighted (and, with --merge, fail the exit code)')
  .option('--html', 'only conformance.html (with --from)')
  .option('--history <dir>', 'a folder of saved conformance.json files: writes history.html (pass counts over time, claims that changed) to --out')
  .action(async (o: { from: string; merge?: string[]; out: string; baseline?: string; html?: boolean; history?: string }) => {
    if (o.history) {
      const { readHistory, renderHistoryHtml } = await import('./report/html/other_pages.ts')
      if (!existsSync(o.history)) usage(`history folder ${o.history} not found`)
      const runs = readHistory(o.history)
      if (runs.length === 0) usage(`no conformance reports in ${o.history}`)
      mkdirSync(o.out, { recursive: true })
      const { writeAtomic } = await import('./report/write.ts')
      const file = resolve(o.out, 'history.html')
      writeAtomic(file, await renderHistoryHtml(runs))
      return void console.log(file)
    }
    if (o.merge) {
      const { mergeShards, MergeError } = await import('./report/merge.ts')
      const { readBaseline } = await import('./run_inputs.ts')
      const shards = o.merge.map((file) => {
        if (!existsSync(file)) usage(`shard report ${file} not found`)
        try {
          return { file, report: JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport }
        } catch (e) {
          return usage(`shard report ${file} is not valid JSON: ${(e as Error).message}`)
        }
      })
      let merged: ConformanceReport
      try {
        merged = mergeShards(shards)
      } catch (e) {
        if (e instanceof MergeError) usage(e.message)
        throw e
      }
      mkdirSync(o.out, { recursive: true })
      console.log((await writeReports(merged, resolve(o.out), o.baseline ? { baseline: readBaseline(o.baseline) } : {})).join('\n'))
      const { isFailure, regressions } = await import('./report/model.ts')
      const failures = merged.records.filter((r) => isFailure(r.status))
      for (const e of merged.engines) {
        const t = merged.totals[e] ?? {}
        console.log(`${e}: ${t.pass ?? 0} pass, ${t.fail ?? 0} fail, ${t.error ?? 0} error, ${t.skip ?? 0} skip, ${t.xfail ?? 0} xfail, ${t.stale ?? 0} stale`)
      }
      const reg = o.baseline ? regressions(readBaseline(o.baseline), merged) : []
      if (o.baseline) console.log(reg.length === 0 ? `no regressions against ${o.baseline}` : `${reg.length} regressions against ${o.baseline}: ${reg.map((r) => `${r.id} @ ${r.engine}`).join(', ')}`)
      process.exitCode = failures.length > 0 || reg.length > 0 ? 1 : 0
      return
    }
    if (!existsSync(o.from)) usage(`${o.from} not found: run \`nnspec run\` first`)
    const report = JSON.parse(readFileSync(o.from, 'utf8')) as ConformanceReport
    const baseline = o.baseline ? { baseline: (await import('./run_inputs.ts')).readBaseline(o.baseline) } : {}
    if (o.html) {
      const { renderHtml } = await import('./report/html/page.ts')
      const { benchPoints, writeAtomic } = await import('./report/write.ts')
      const file = resolve(dirname(resolve(o.from)), 'conformance.html')
      const bench = benchPoints(dirname(resolve(o.from)))
      writeAtomic(file, await renderHtml(report, { ...baseline, ...(bench ? { bench } : {}) }))
      return void console.log(file)
    }
    console.log((await writeReports(report, dirname(resolve(o.from)), baseline)).join('\n'))
  })

try {
  await program.parseAsync(process.argv)
} catch (e) {
  if (e instanceof UsageError) usage(e.message)
  throw e
}
