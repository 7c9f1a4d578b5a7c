// Loads engine modules, one after the other, in a throwaway process and says for each whether it even
// parses: the CLI turns a syntax error into a usage error (exit 2) before any claim runs. Anything
// else an adapter does at import (throw, exit, hang) is the business of its claims' records.
import { register } from 'tsx/esm/api'
import { register as registerCjs } from 'tsx/cjs/api'
import { pathToFileURL } from 'node:url'

register()
registerCjs()
const answer = (m) => new Promise((sent) => process.send(m, sent))
for (const path of process.argv.slice(2)) {
  try {
    await import(pathToFileURL(path).href)
    await answer({ ok: true })
  } catch (e) {
    const syntax = e && (e.name === 'SyntaxError' || e.name === 'TransformError')
    await answer({ ok: !syntax, message: String(e && e.message).replace(/\s+/g, ' ').trim() })
  }
}
process.exit(0)
