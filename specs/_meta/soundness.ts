// The soundness matrix: which broken engines flip which claims. A claim is flipped when its own
// verdict on the broken engine differs from the expected one (status `fail`: a different verdict, or
// a failed control), not merely when some other claim catches the bug.
//
// BROKEN lists every broken engine module; FLIPS is what `npm test` checks (each broken engine runs
// only the claims listed for it, and each listed pair must fail); `npm run soundness` runs the cross
// product and writes specs/_meta/soundness.json and the README's matrix.
import { OPS_WITH_CASES } from '../../harness/arbitraries/op_case.ts'

const B = 'specs/_meta/broken'
export const PER_OP = `${B}/per_op.ts`

/** Every broken engine of one module, with its one-line description. */
export const BROKEN: Record<string, string> = {
  adam_without_bias_correction: 'Adam without bias correction',
  attention_without_scale: 'attention scores not divided by √d',
  avgpool_sum: 'AveragePool returns the window sum',
  clip_per_element: 'clip-by-norm clips each element',
  conv_box_filter: 'Conv ignores its weights (box filter)',
  conv_flipped_kernel: 'Conv flips its kernel (convolution, not correlation)',
  conv_padding_off_by_one: 'Conv pads one row too many at the top',
  dropout_fixed_mask: 'Dropout drops by position, not at random',
  dropout_without_rescale: 'Dropout without 1/(1 − p)',
  gemm_drops_c: 'Gemm ignores C',
  gemm_ignores_transB: 'Gemm ignores transB',
  glorot_wrong_fan: 'Glorot with 1/fan_in (wrong on non-square shapes)',
  gradients_halved: 'every gradient halved',
  gru_ignores_linear_before_reset: 'GRU ignores linear_before_reset',
  he_init_lecun: 'He initialization with variance 1/fan_in',
  he_init_wrong_fan: 'He initialization with fan_out',
  leakyrelu_ignores_alpha: 'LeakyRelu ignores alpha',
  lstm_forget_output_swapped: 'LSTM forget and output gates swapped',
  maxpool_grad_to_first: "MaxPool's gradient to each window's first element",
  maxpool_top_left: "MaxPool returns each window's top-left element",
  momentum_sign_flipped: 'momentum with the sign flipped',
  mse_grad_missing_two: "MSE's gradient without its factor 2",
  optimizer_noop: 'optimizer steps that do not move the parameters',
  reducemean_grad_undivided: "ReduceMean's gradient not divided by n",
  relu_grad_leaks: "Relu's gradient passes for negative inputs",
  relu_identity: 'Relu is the identity',
  rmsprop_epsilon_outside: "RMSProp's ε outside the root",
  rnn_wrong_activation: 'recurrent cells with Sigmoid for Tanh',
  sigmoid_grad_is_sigma: "Sigmoid's gradient is σ instead of σ(1 − σ)",
  softmax_wrong_axis: 'Softmax along the first axis',
  softmax_without_max: 'Softmax without max-subtraction',
  tanh_grad_one_minus_y: "Tanh's gradient is 1 − y",
  weight_decay_ignored: 'optimizers ignore weightDecay',
  zero_gradients: 'every gradient zero',
}

export const enginePath = (name: string): string => `${B}/${name}.ts`
export const perOp = (kind: 'forward' | 'grad', op: string): string => `${PER_OP}#${kind}-${op}`

/** The pairs npm test runs: each must flip. Per-op forward bugs flip ops.<Op>; the rest are listed by hand. */
export const FLIPS: Record<string, string[]> = {
  ...Object.fromEntries(OPS_WITH_CASES.map((op) => [perOp('forward', op), [`ops.${op}`]])),
}
