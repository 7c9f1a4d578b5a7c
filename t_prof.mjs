import { register } from 'tsx/esm/api'
import { register as registerCjs } from 'tsx/cjs/api'
register(); registerCjs()
const { loadSpecs } = await import('/work/main/harness/runner/selection.ts'); await loadSpecs()
const { bodies, registry, runClaim } = await import('/work/main/harness/claim.ts')
const [id, engine] = process.argv.slice(2)
const meta = registry.find((r) => r.id === id)
const t = performance.now()
const rec = await runClaim(meta, bodies.get(id), engine, 1)
console.log(rec.status, rec.verdict, (performance.now() - t).toFixed(0), 'ms')
