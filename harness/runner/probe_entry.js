// Loads one engine module in a throwaway process and says whether it even parses: the CLI turns a
// syntax error into a usage error (exit 2) before any claim runs. Anything else an adapter does at
// import (throw, exit, hang) is the business of its claims' records.
import { register } from 'tsx/esm/api'
import { register as registerCjs } from 'tsx/cjs/api'
import { pathToFileURL } from 'node:url'

register()
registerCjs()
try {
  await import(pathToFileURL(process.argv[2]).href)
  process.send({ ok: true }, () => process.exit(0))
} catch (e) {
  const syntax = e && (e.name === 'SyntaxError' || e.name === 'TransformError')
  process.send({ ok: !syntax, message: String(e && e.message).replace(/\s+/g, ' ').trim() }, () => process.exit(0))
}
