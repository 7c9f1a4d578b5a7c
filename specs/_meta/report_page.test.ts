// conformance.html in a real browser (Debian's Chromium driven by playwright-core): no console errors,
// one matrix cell per record, filters and search change what is shown, a cell opens its claim with the
// replay command, every plot has marks, nothing is fetched from the network, and a --baseline run
// shows its regressions at the top. Saves the screenshot the README shows (reports/report.png, copied to docs/). Without
// a browser the test says so in its skip reason; .ci/run installs Debian's chromium when it is missing.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync)
const dir = mkdtempSync(join(tmpdir(), 'nnspec-page-'))
const CLAIMS = 'activation.sigmoid-*,backprop.chain-rule,capacity.perceptron-and-or-not,optim.adaptive-robust-to-lr,optim.momentum-accelerates,depth.sigmoid-vanishing,ops.Relu,ops.Sigmoid,ops.conventions,scale.large-batch-history'
let browser: Browser | undefined

beforeAll(async () => {
  if (!CHROMIUM) return
  // a small real run with every status the page draws: pass, fail (a broken engine), skip, info
  spawnSync('node', ['bin/nnspec.js', 'run', '--engine', 'reference,onnxruntime', '--claims', CLAIMS, '--report', join(dir, 'base'), '--quick'], { stdio: 'ignore' })
  spawnSync('node', ['bin/nnspec.js', 'run', '--engine', 'reference,onnxruntime,specs/_meta/broken/sigmoid_grad_is_sigma.ts', '--claims', CLAIMS, '--report', join(dir, 'run'), '--quick', '--baseline', join(dir, 'base', 'conformance.json')], { stdio: 'ignore' })
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
}, 240_000)
afterAll(async () => browser?.close())

test.skipIf(!CHROMIUM)(`conformance.html: matrix, filters, search, the claim dialog, plots, no network${CHROMIUM ? '' : ' (skipped: no Chromium at /usr/bin/chromium: apt-get install chromium)'}`, async () => {
  const report = JSON.parse(readFileSync(join(dir, 'run', 'conformance.json'), 'utf8')) as { records: { id: string; engine: string; status: string }[] }
  const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } })
  const errors: string[] = []
  const requests: string[] = []
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(String(e)))
  page.on('request', (r) => !r.url().startsWith('file:') && !r.url().startsWith('data:') && requests.push(r.url()))
  await page.goto(pathToFileURL(join(dir, 'run', 'conformance.html')).href)
  expect(await page.locator('#claims button.cell').count()).toBe(report.records.length)
  const shown = async () => page.locator('#claims tr.claim:visible').count()
  const all = await shown()
  // a failure of the broken engine is a regression against the baseline, at the top of the page
  await expect.poll(() => page.locator('#regressions').textContent()).toMatch(/regressions/)
  expect(await page.locator('#regressions li').count()).toBeGreaterThan(0)
  // status filter: only failures
  for (const s of ['pass', 'skip', 'info', 'xfail', 'stale', 'error']) await page.locator(`input[name=status][value=${s}]`).uncheck()
  const failing = await shown()
  expect(failing).toBeGreaterThan(0)
  expect(failing).toBeLessThan(all)
  for (const s of ['pass', 'skip', 'info', 'xfail', 'stale', 'error']) await page.locator(`input[name=status][value=${s}]`).check()
  // search: one claim
  await page.locator('#search').fill('adaptive')
  expect(await shown()).toBe(1)
  await page.locator('#search').fill('')
  // engine filter hides the other columns
  await page.locator('#engine').selectOption({ label: 'onnxruntime' })
  expect(await page.locator('#claims td[data-engine]:visible').count()).toBe(all)
  await page.locator('#engine').selectOption({ label: 'all' })
  // a failing cell opens its claim with the replay command
  await page.locator('#claims button.cell.s-fail').first().click()
  await expect.poll(() => page.locator('#d-replay').inputValue()).toMatch(/^npx nnspec run --engine \S+ --claims \S+ --seed \d+/)
  mkdirSync('reports', { recursive: true })
  await page.screenshot({ path: 'reports/report-claim.png' })
  await page.locator('#d-close').click()
  // every plot has marks
  const plots = page.locator('figure .plot svg')
  expect(await plots.count()).toBeGreaterThanOrEqual(3)
  for (let i = 0; i < (await plots.count()); i++) expect(await plots.nth(i).locator('path, rect, line, circle').count()).toBeGreaterThan(5)
  await page.screenshot({ path: 'reports/report.png' })
  expect(errors).toEqual([])
  expect(requests).toEqual([])
  const size = readFileSync(join(dir, 'run', 'conformance.html')).length
  expect(size).toBeLessThan(3e6)
}, 120_000)
