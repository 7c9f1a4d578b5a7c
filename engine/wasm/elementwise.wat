;; Float32 Sigmoid and Relu, four lanes at a time with WebAssembly SIMD: the fast path of the
;; loops in engine/ops/activation.ts and float_bits.ts, which stay the reference and the fallback.
;; Both read n floats at byte address $x and write them at $y; the caller pads n to a multiple of 4.
(module
  (memory (export "memory") 1)

  ;; y = max(x, 0) on the bits, as relu32 in float_bits.ts: a lane is zeroed when its sign bit is
  ;; set unless it is a NaN (magnitude bits above those of ∞), so NaN passes and −0 becomes +0.
  (func (export "relu") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128) (local $zero v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $zero (v128.andnot
        (i32x4.shr_s (local.get $v) (i32.const 31))
        (i32x4.shr_s (i32x4.sub (i32x4.splat (i32.const 0x7f800000)) (v128.and (local.get $v) (i32x4.splat (i32.const 0x7fffffff)))) (i32.const 31))))
      (v128.store (local.get $y) (v128.andnot (local.get $v) (local.get $zero)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $next))))

;; y = σ(x) as sigmoid32 in activation.ts: e = e^−|x| = 2ᵏ·eʳ with k = round(a·log₂e), r = a − k·ln2
  ;; (ln2 split in two so r is exact to float32), eʳ by its degree-6 Taylor polynomial, 2ᵏ built in
  ;; the exponent bits; q = 1/(1+e) = σ(|x|), and σ(x) = q or e·q chosen by the sign bit.
  ;; Rounding by the magic number 1.5·2²³ (adding it leaves round(t) in the low mantissa bits, read
  ;; back as an integer) and the pseudo-max clamp are single instructions, where f32x4.nearest,
  ;; f32x4.max and trunc_sat expand to long sequences on x64; NaN lanes are restored at the end.
  ;; a is clamped at −104, below which e^a rounds to 0 in float32. The results down there are
  ;; subnormal, which the exponent field cannot hold: 2ᵏ is built as 2ᵏ⁺⁶⁴ and the product scaled
  ;; by 2⁻⁶⁴ afterwards (exact for normal results, one rounding for subnormal ones).
  (func (export "sigmoid") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128) (local $a v128) (local $t v128) (local $k v128) (local $r v128) (local $p v128) (local $e v128) (local $q v128) (local $s v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128) (local $c5 v128) (local $c6 v128) (local $c7 v128) (local $c8 v128) (local $c9 v128) (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    ;; constants splatted once, outside the loop (V8 does not hoist them)
    (local.set $c0 (f32x4.splat (f32.const -104)))
    (local.set $c1 (f32x4.splat (f32.const 1.44269504)))
    (local.set $c2 (f32x4.splat (f32.const 12582912)))
    (local.set $c3 (f32x4.splat (f32.const 0.693359375)))
    (local.set $c4 (f32x4.splat (f32.const 2.12194440e-4)))
    (local.set $c5 (f32x4.splat (f32.const 0.00833333333)))
    (local.set $c6 (f32x4.splat (f32.const 0.00138888889)))
    (local.set $c7 (f32x4.splat (f32.const 0.0416666667)))
    (local.set $c8 (f32x4.splat (f32.const 0.166666667)))
    (local.set $c9 (f32x4.splat (f32.const 0.5)))
    (local.set $c10 (f32x4.splat (f32.const 1)))
    (local.set $c11 (i32x4.splat (i32.const 0x4b400000)))
    (local.set $c12 (i32x4.splat (i32.const 191)))
    (local.set $c13 (f32x4.splat (f32.const 0x1p-64)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $a (f32x4.pmax (local.get $c0) (f32x4.neg (f32x4.abs (local.get $v)))))
      (local.set $t (f32x4.add (f32x4.mul (local.get $a) (local.get $c1)) (local.get $c2)))
      (local.set $k (f32x4.sub (local.get $t) (local.get $c2)))
      (local.set $r (f32x4.sub (local.get $a) (f32x4.mul (local.get $k) (local.get $c3))))
      (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $k) (local.get $c4))))
      ;; Horner: 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r/720)))))
      (local.set $p (f32x4.add (local.get $c5) (f32x4.mul (local.get $r) (local.get $c6))))
      (local.set $p (f32x4.add (local.get $c7) (f32x4.mul (local.get $r) (local.get $p))))
      (local.set $p (f32x4.add (local.get $c8) (f32x4.mul (local.get $r) (local.get $p))))
      (local.set $p (f32x4.add (local.get $c9) (f32x4.mul (local.get $r) (local.get $p))))
      (local.set $p (f32x4.add (local.get $c10) (f32x4.mul (local.get $r) (local.get $p))))
      (local.set $p (f32x4.add (local.get $c10) (f32x4.mul (local.get $r) (local.get $p))))
      ;; 2ᵏ⁺⁶⁴: the integer k sits in t's low bits (t − bits(1.5·2²³)); (k + 64 + 127) << 23 is its bit pattern
      (local.set $e (f32x4.mul (f32x4.mul (local.get $p)
        (i32x4.shl (i32x4.add (i32x4.sub (local.get $t) (local.get $c11)) (local.get $c12)) (i32.const 23)))
        (local.get $c13)))
      (local.set $q (f32x4.div (local.get $c10) (f32x4.add (local.get $c10) (local.get $e))))
      (local.set $s (v128.bitselect (f32x4.mul (local.get $e) (local.get $q)) (local.get $q) (i32x4.shr_s (local.get $v) (i32.const 31))))
      (v128.store (local.get $y) (v128.bitselect (local.get $v) (local.get $s) (f32x4.ne (local.get $v) (local.get $v))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $next))))
)
