;; Float32 Sigmoid and Relu, four lanes at a time with WebAssembly SIMD: the fast path of the
;; loops in engine/ops/activation.ts and float_bits.ts, which stay the reference and the fallback.
;; Both read n floats at byte address $x and write them at $y; the caller pads n to a multiple of 4.
(module
  (memory (export "memory") 1)

  ;; The constants live in globals that each function reads into locals before its loop. Written as
  ;; splats of literals, V8 folds them into their uses and rebuilds every one inside the loop
  ;; (3 instructions each, per iteration: Sigmoid ran 2.0 ms per million elements instead of 1.3).
  ;; A mutable global it cannot fold, and a local stays in a register. Nothing ever writes them.
  (global $g_sign (mut v128) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
  (global $g_abs (mut v128) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
  (global $g_inf_bits (mut v128) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
  (global $g_exp_low (mut v128) (v128.const i32x4 0x00800000 0x00800000 0x00800000 0x00800000))
  (global $g_min_a (mut v128) (v128.const f32x4 -104 -104 -104 -104))
  (global $g_log2e (mut v128) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))
  (global $g_round_magic (mut v128) (v128.const f32x4 12582912 12582912 12582912 12582912))
  (global $g_ln2_hi (mut v128) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))
  (global $g_ln2_lo (mut v128) (v128.const f32x4 2.12194440e-4 2.12194440e-4 2.12194440e-4 2.12194440e-4))
  (global $g_p6 (mut v128) (v128.const f32x4 0.00138888889 0.00138888889 0.00138888889 0.00138888889))
  (global $g_p5 (mut v128) (v128.const f32x4 0.00833333333 0.00833333333 0.00833333333 0.00833333333))
  (global $g_p4 (mut v128) (v128.const f32x4 0.0416666667 0.0416666667 0.0416666667 0.0416666667))
  (global $g_p3 (mut v128) (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667))
  (global $g_p2 (mut v128) (v128.const f32x4 0.5 0.5 0.5 0.5))
  (global $g_one (mut v128) (v128.const f32x4 1 1 1 1))
  ;; 191 − bits(1.5·2²³): added to t's bits, leaves k + 64 + 127, the biased exponent of 2ᵏ⁺⁶⁴
  (global $g_exp_bias (mut v128) (v128.const i32x4 -1262485313 -1262485313 -1262485313 -1262485313))
  (global $g_two_m64 (mut v128) (v128.const f32x4 0x1p-64 0x1p-64 0x1p-64 0x1p-64))

  ;; y = max(x, 0) on the bits, as relu32 in float_bits.ts: a lane is zeroed when its sign bit is
  ;; set unless it is a NaN (magnitude bits above those of ∞), so NaN passes and −0 becomes +0.
  (func (export "relu") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128) (local $zero v128) (local $abs v128) (local $inf_bits v128)
    (local.set $abs (global.get $g_abs))
    (local.set $inf_bits (global.get $g_inf_bits))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $zero (v128.andnot
        (i32x4.shr_s (local.get $v) (i32.const 31))
        (i32x4.shr_s (i32x4.sub (local.get $inf_bits) (v128.and (local.get $v) (local.get $abs))) (i32.const 31))))
      (v128.store (local.get $y) (v128.andnot (local.get $v) (local.get $zero)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $next))))

  ;; 1 if any of the n floats at $x is NaN or ±∞, else 0: as nonFinite32 in float_bits.ts, the
  ;; exponent bits plus one in their lowest place carry into the sign bit exactly when all are ones.
  (func (export "nonfinite") (param $x i32) (param $n i32) (result i32)
    (local $end i32) (local $acc v128) (local $inf_bits v128) (local $low v128)
    (local.set $inf_bits (global.get $g_inf_bits))
    (local.set $low (global.get $g_exp_low))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $acc (v128.or (local.get $acc)
        (i32x4.add (v128.and (v128.load (local.get $x)) (local.get $inf_bits)) (local.get $low))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $next)))
    (i32.ne (i32x4.bitmask (local.get $acc)) (i32.const 0)))

  ;; y = σ(x) as sigmoid32 in activation.ts: e = e^−|x| = 2ᵏ·eʳ with k = round(a·log₂e), r = a − k·ln2
  ;; (ln2 split in two so r is exact to float32), eʳ by its degree-6 Taylor polynomial, 2ᵏ built in
  ;; the exponent bits; q = 1/(1+e) = σ(|x|), and σ(x) = q or e·q chosen by the sign bit.
  ;; Rounding by the magic number 1.5·2²³ (adding it leaves round(t) in the low mantissa bits, read
  ;; back as an integer), −|x| as x with its sign bit set, and the pseudo-max clamp are single
  ;; instructions, where f32x4.nearest, f32x4.max and trunc_sat expand to long sequences on x64.
  ;; The clamp pmax(−|x|, −104) keeps its first operand when that is NaN, so a NaN lane stays NaN
  ;; through every step (NaN times anything, even the garbage exponent built from its bits, is NaN).
  ;; a is clamped at −104, below which e^a rounds to 0 in float32. The results down there are
  ;; subnormal, which the exponent field cannot hold: 2ᵏ is built as 2ᵏ⁺⁶⁴ and the product scaled
  ;; by 2⁻⁶⁴ afterwards (exact for normal results, one rounding for subnormal ones).
  (func (export "sigmoid") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128) (local $a v128) (local $t v128) (local $k v128) (local $r v128) (local $p v128) (local $e v128) (local $q v128) (local $s v128)
    (local $min_a v128) (local $log2e v128) (local $round_magic v128) (local $ln2_hi v128) (local $ln2_lo v128) (local $p5 v128) (local $p6 v128) (local $p4 v128) (local $p3 v128) (local $p2 v128) (local $one v128) (local $exp_bias v128) (local $two_m64 v128) (local $sign v128)
    ;; the constants, read once into locals (see the globals above)
    (local.set $min_a (global.get $g_min_a))
    (local.set $log2e (global.get $g_log2e))
    (local.set $round_magic (global.get $g_round_magic))
    (local.set $ln2_hi (global.get $g_ln2_hi))
    (local.set $ln2_lo (global.get $g_ln2_lo))
    (local.set $p5 (global.get $g_p5))
    (local.set $p6 (global.get $g_p6))
    (local.set $p4 (global.get $g_p4))
    (local.set $p3 (global.get $g_p3))
    (local.set $p2 (global.get $g_p2))
    (local.set $one (global.get $g_one))
    (local.set $exp_bias (global.get $g_exp_bias))
    (local.set $two_m64 (global.get $g_two_m64))
    (local.set $sign (global.get $g_sign))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $a (f32x4.pmax (v128.or (local.get $v) (local.get $sign)) (local.get $min_a)))
      (local.set $t (f32x4.add (f32x4.mul (local.get $a) (local.get $log2e)) (local.get $round_magic)))
      (local.set $k (f32x4.sub (local.get $t) (local.get $round_magic)))
      (local.set $r (f32x4.sub (local.get $a) (f32x4.mul (local.get $k) (local.get $ln2_hi))))
      (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $k) (local.get $ln2_lo))))
      ;; Horner: 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r/720)))))
      (local.set $p (f32x4.add (local.get $p5) (f32x4.mul (local.get $r) (local.get $p6))))
      (local.set $p (f32x4.add (local.get $p4) (f32x4.mul (local.get $r) (local.get $p))))
      (local.set $p (f32x4.add (local.get $p3) (f32x4.mul (local.get $r) (local.get $p))))
      (local.set $p (f32x4.add (local.get $p2) (f32x4.mul (local.get $r) (local.get $p))))
      (local.set $p (f32x4.add (local.get $one) (f32x4.mul (local.get $r) (local.get $p))))
      (local.set $p (f32x4.add (local.get $one) (f32x4.mul (local.get $r) (local.get $p))))
      ;; 2ᵏ⁺⁶⁴: the integer k sits in t's low bits (t − bits(1.5·2²³)); (k + 64 + 127) << 23 is its bit pattern
      (local.set $e (f32x4.mul (f32x4.mul (local.get $p)
        (i32x4.shl (i32x4.add (local.get $t) (local.get $exp_bias)) (i32.const 23)))
        (local.get $two_m64)))
      (local.set $q (f32x4.div (local.get $one) (f32x4.add (local.get $one) (local.get $e))))
      (local.set $s (v128.bitselect (f32x4.mul (local.get $e) (local.get $q)) (local.get $q) (i32x4.shr_s (local.get $v) (i32.const 31))))
      (v128.store (local.get $y) (local.get $s))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $next))))
)
