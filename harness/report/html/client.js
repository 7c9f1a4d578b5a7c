// conformance.html's behaviour: filters, search, and the claim dialog. Plain DOM, no network.
const data = JSON.parse(document.getElementById('data').textContent)
const $ = (s, root = document) => root.querySelector(s)
const $$ = (s, root = document) => [...root.querySelectorAll(s)]

function applyFilters() {
  const statuses = new Set($$('input[name=status]:checked').map((i) => i.value))
  const engine = $('#engine').value
  const section = $('#section').value
  const q = $('#search').value.trim().toLowerCase()
  $$('th[data-engine], td[data-engine]').forEach((c) => (c.hidden = engine !== '' && c.dataset.engine !== engine))
  $$('tbody.section').forEach((tb) => {
    let any = false
    $$('tr.claim', tb).forEach((tr) => {
      const cells = $$('td[data-engine]', tr).filter((td) => !td.hidden)
      const text = tr.dataset.search
      const show = (section === '' || tb.dataset.section === section) && (q === '' || text.includes(q)) && cells.some((td) => statuses.has(td.dataset.status))
      tr.hidden = !show
      any ||= show
    })
    tb.hidden = !any
  })
  $('#shown').textContent = String($$('tr.claim').filter((tr) => !tr.hidden).length)
}

function openClaim(k) {
  const r = data.records[k]
  const d = $('#detail')
  $('#d-title', d).textContent = `${r.id} @ ${r.engine}`
  $('#d-status', d).textContent = `${r.status}${r.verdict ? ` — verdict ${r.verdict}` : ''} (expected ${r.expected})${r.control ? ` — control failed: ${r.control}` : ''}`
  $('#d-quote', d).textContent = `${r.quote} (source ${r.source})`
  $('#d-reading', d).textContent = r.reading
  $('#d-message', d).textContent = r.message ?? r.reason ?? '—'
  $('#d-counterexample', d).textContent = r.counterexample ?? '—'
  const ev = JSON.stringify(r.evidence, null, 1)
  $('#d-evidence', d).textContent = ev.length > 20000 ? `${ev.slice(0, 20000)}…` : ev
  $('#d-replay', d).value = r.replay || '(informational: nothing to replay)'
  d.showModal()
}

document.addEventListener('click', (e) => {
  const b = e.target.closest('button.cell')
  if (b) openClaim(Number(b.dataset.k))
  if (e.target.id === 'd-close') $('#detail').close()
  if (e.target.id === 'd-copy') {
    const input = $('#d-replay')
    input.select()
    const done = () => ($('#d-copy').textContent = 'copied')
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, () => document.execCommand('copy') && done())
    else if (document.execCommand('copy')) done()
  }
})
$$('.filters input, .filters select').forEach((el) => el.addEventListener('input', applyFilters))
applyFilters()
