// The tests of the tests drive nnspec (and npm) as a user does, in a child process: one helper for all
// of them. It never rejects: a non-zero exit is what many tests are about.
import { execFile } from 'node:child_process'
import { ROOT } from '../../harness/runner/selection.ts'

export interface Ran {
  code: number
  stdout: string
  stderr: string
  /** stdout then stderr, for messages and regexes */
  out: string
  /** the child's pid (to look for its workers) */
  pid: number
}

export interface RunOptions {
  timeout: number
  cwd?: string
  env?: NodeJS.ProcessEnv
}

export function runCommand(cmd: string, args: string[], o: RunOptions): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd: o.cwd ?? ROOT, timeout: o.timeout, maxBuffer: 64 << 20, ...(o.env ? { env: o.env } : {}) }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr, out: `${stdout}\n${stderr}`, pid: child.pid! }),
    )
  })
}

/** `nnspec <args>` from this checkout. */
export const nnspec = (args: string[], timeout: number): Promise<Ran> => runCommand('node', ['bin/nnspec.js', ...args], { timeout })
