// CLAIMS.md §10 — recurrent networks.
import fc from 'fast-check'
import { expectClose, expectThat, tolerance } from '../harness/assert.ts'
import { opCase } from '../harness/arbitraries/op_case.ts'
import { claim, control } from '../harness/claim.ts'
import { agreeWithOracle } from '../harness/agreement.ts'
import { checkGradient } from '../harness/gradcheck.ts'
import { property } from '../harness/property.ts'
import { judgeRate, trials } from '../harness/stats.ts'
import { weightedOn } from '../harness/arbitraries/op_case.ts'
import { firstStepGradients, gradDecay } from './support/rnn.ts'

claim(
  {
    id: 'rnn.recurrence', kind: 'exact', expect: 'confirmed', source: '004', ops: ['RNN'], needs: ['grad'],
    quote: '循环神经网络…具有循环连接,能够在网络内部建立记忆,从而处理不定长的输入序列',
    reading: 'One set of RNN parameters (W, R, B) processes sequences of every length 1–12, and the final state depends on every earlier input: the gradient of Σ r ⊙ Y_h w.r.t. the first time step’s input is nonzero for each length.',
  },
  async (ctx) => {
    await property(ctx, fc.record({ seed: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }), async (p) => {
      const g = await firstStepGradients(ctx, p.seed, p.len)
      expectThat(g.some((v) => v !== 0), `∂Y_h/∂x₁ is zero for a sequence of length ${p.len}`, ctx.replay)
    }, 30)
    return 'confirmed'
  },
)

claim(
  {
    id: 'rnn.gated-cells-match-onnx', kind: ['exact', 'gradient'], expect: 'confirmed', source: '004', ops: ['LSTM', 'GRU'],
    quote: '长短期记忆网络(LSTM)和门控循环单元(GRU)',
    reading: 'On random configurations (directions forward/reverse/bidirectional, initial states, GRU linear_before_reset, ONNX gate orders i-o-f-c and z-r-h), the engine’s LSTM and GRU outputs match ONNX Runtime’s operators (ONNX Runtime itself is compared with reference-f64), and where the engine has gradients they pass the gradient check of the tolerance policy.',
  },
  async (ctx) => {
    let [compared, declined] = [0, 0]
    await property(ctx, opCase({ dtype: ctx.dtype, ops: ['LSTM', 'GRU'] }), async (c) => {
      if (ctx.engine.supports(c.graph.nodes[0]!) !== true) return void declined++ // attributes the engine declines (stated by supports)
      if (await agreeWithOracle(ctx, c, c.op, 16, 'onnxruntime')) compared++
      else declined++
      if ((await ctx.engine.compile(c.graph)).valueAndGrad) {
        const w = await weightedOn(c, ctx.dtype, ctx.engine, 1)
        if ('reason' in w) return void (ctx.evidence['gradientsNotChecked'] = w.reason) // the outputs cannot be summed with the engine's ops
        await checkGradient(ctx, { graph: w.graph, feeds: w.feeds, of: w.loss, wrt: w.wrt, what: c.op })
      }
    }, 16)
    ctx.evidence['casesCompared'] = compared
    if (declined > 0) ctx.evidence['casesDeclined (engine or oracle)'] = declined
    control(ctx, compared >= 8, `only ${compared} of ${compared + declined} cases could be compared with the oracle`)
    return 'confirmed'
  },
)

claim(
  {
    id: 'rnn.long-term-dependency', kind: 'statistical', expect: 'confirmed', source: '004', ops: ['RNN', 'LSTM'], needs: ['grad'], timeoutMs: 120_000,
    quote: '为了解决长期依赖性(long-term dependency)的问题,循环神经网络引入了门控机制',
    reading: 'With standard initialization (weights U(±1/√h), h = 8; LSTM forget-gate bias 1), ‖∂h_T/∂x₁‖ falls with sequence length T ∈ {4, 8, 16, 32}; its log-linear decay rate is steeper for a vanilla tanh RNN than for an LSTM in more than half of 100 seeds (interval above 0.5); the rates are reported.',
  },
  async (ctx) => {
    const rates = { rnn: [] as number[], lstm: [] as number[] }
    const t = await trials(ctx, 100, async (rng) => {
      const [r, l] = [await gradDecay(ctx, 'RNN', rng.fork('rnn')), await gradDecay(ctx, 'LSTM', rng.fork('lstm'))]
      rates.rnn.push(r)
      rates.lstm.push(l)
      return r < l
    })
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!
    ctx.evidence['medianLogDecayPerStep'] = { rnn: Number(median(rates.rnn).toPrecision(3)), lstm: Number(median(rates.lstm).toPrecision(3)) }
    return judgeRate(ctx, 'rnnDecaysFaster', t, 0.5)
  },
)
