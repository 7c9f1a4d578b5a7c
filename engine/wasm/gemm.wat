;; C[mp×np] += A[mp×k] · B[k×n] in float32 with WebAssembly SIMD: the fast path of
;; engine/ops/gemm_kernel.ts (which stays the readable reference and the fallback).
;; The caller (engine/wasm/gemm.ts) lays the operands out in this module's memory:
;;   A row-major with mp = m rounded up to 4 (extra rows zero), B row-major k×n,
;;   C zeroed, row-major mp×np with np = n rounded up to 8, and a scratch area for packed B.
;; B is packed per k-block into panels of 8 columns (zero past n), so the 4×8 register tile
;; below reads one contiguous 32-byte row of its panel per step and 4 broadcast values of A.
;; conv (at the end) runs the same tile on the im2col matrix of an image, gathered panel by panel.
(module
  (memory (export "memory") 1)

  ;; Pack B[k0..k0+kc, :] into panels: bp[(jp·kc + p)·8 + c] = B[k0+p, jp·8+c], or 0 past n.
  (func $pack (param $b i32) (param $bp i32) (param $k0 i32) (param $kc i32) (param $n i32) (param $np i32)
    (local $j i32) (local $p i32) (local $c i32) (local $src i32) (local $dst i32)
    (local.set $dst (local.get $bp))
    (local.set $j (i32.const 0))
    (block $done_j (loop $next_j
      (br_if $done_j (i32.ge_u (local.get $j) (local.get $np)))
      (local.set $p (i32.const 0))
      (block $done_p (loop $next_p
        (br_if $done_p (i32.ge_u (local.get $p) (local.get $kc)))
        ;; src = &B[k0+p, j]
        (local.set $src (i32.add (local.get $b)
          (i32.shl (i32.add (i32.mul (i32.add (local.get $k0) (local.get $p)) (local.get $n)) (local.get $j)) (i32.const 2))))
        (if (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $n))
          (then
            (v128.store (local.get $dst) (v128.load (local.get $src)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src))))
          (else ;; the last, partial panel: copy what exists, zero the rest
            (local.set $c (i32.const 0))
            (block $done_c (loop $next_c
              (br_if $done_c (i32.ge_u (local.get $c) (i32.const 8)))
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
                (if (result f32) (i32.lt_u (i32.add (local.get $j) (local.get $c)) (local.get $n))
                  (then (f32.load (i32.add (local.get $src) (i32.shl (local.get $c) (i32.const 2)))))
                  (else (f32.const 0))))
              (local.set $c (i32.add (local.get $c) (i32.const 1)))
              (br $next_c)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next_p)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $next_j))))

  ;; The register tile: C[4×8 at $c, row stride $ldc bytes] += A[4 rows at $a, row stride $lda
  ;; bytes, kc columns] · panel[kc×8 at $b]. Eight f32x4 accumulators, two B vectors, one splat.
  (func $tile (param $a i32) (param $lda i32) (param $b i32) (param $kc i32) (param $c i32) (param $ldc i32)
    (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $end i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a1 (i32.add (local.get $a) (local.get $lda)))
    (local.set $a2 (i32.add (local.get $a1) (local.get $lda)))
    (local.set $a3 (i32.add (local.get $a2) (local.get $lda)))
    (local.set $end (i32.add (local.get $b) (i32.shl (local.get $kc) (i32.const 5))))
    (loop $step
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (v128.load32_splat (local.get $a)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (local.get $a3)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $a (i32.add (local.get $a) (i32.const 4)))
      (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
      (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
      (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (br_if $step (i32.lt_u (local.get $b) (local.get $end))))
    (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c00)))
    (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c10)))
    (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c20)))
    (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c30)))
    (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c31))))

  ;; gemm(a, b, c, bp, mp, k, n, np, kcMax, mcMax): byte addresses, mp % 4 = 0, np % 8 = 0,
  ;; mcMax % 4 = 0. Loops as in GotoBLAS: k-blocks (pack B) → blocks of mcMax rows of A (which stay
  ;; in L2) → 8-column panels of B (in L1) → 4-row tiles.
  (func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $bp i32)
    (param $mp i32) (param $k i32) (param $n i32) (param $np i32) (param $kcMax i32) (param $mcMax i32)
    (local $k0 i32) (local $kc i32) (local $i0 i32) (local $iEnd i32) (local $i i32) (local $j i32)
    (local $lda i32) (local $ldc i32)
    (local.set $lda (i32.shl (local.get $k) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $np) (i32.const 2)))
    (local.set $k0 (i32.const 0))
    (block $done_k (loop $next_k
      (br_if $done_k (i32.ge_u (local.get $k0) (local.get $k)))
      (local.set $kc (select (local.get $kcMax) (i32.sub (local.get $k) (local.get $k0))
        (i32.lt_u (local.get $kcMax) (i32.sub (local.get $k) (local.get $k0)))))
      (call $pack (local.get $b) (local.get $bp) (local.get $k0) (local.get $kc) (local.get $n) (local.get $np))
      (local.set $i0 (i32.const 0))
      (block $done_i0 (loop $next_i0
        (br_if $done_i0 (i32.ge_u (local.get $i0) (local.get $mp)))
        (local.set $iEnd (select (i32.add (local.get $i0) (local.get $mcMax)) (local.get $mp)
          (i32.lt_u (i32.add (local.get $i0) (local.get $mcMax)) (local.get $mp))))
        (local.set $j (i32.const 0))
        (block $done_j (loop $next_j
          (br_if $done_j (i32.ge_u (local.get $j) (local.get $np)))
          (local.set $i (local.get $i0))
          (block $done_i (loop $next_i
            (br_if $done_i (i32.ge_u (local.get $i) (local.get $iEnd)))
            (call $tile
              ;; &A[i, k0]
              (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $k0)) (i32.const 2)))
              (local.get $lda)
              ;; panel j/8 of the packed block
              (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $j) (local.get $kc)) (i32.const 2)))
              (local.get $kc)
              ;; &C[i, j]
              (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $np)) (local.get $j)) (i32.const 2)))
              (local.get $ldc))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $next_i)))
          (local.set $j (i32.add (local.get $j) (i32.const 8)))
          (br $next_j)))
        (local.set $i0 (local.get $iEnd))
        (br $next_i0)))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kcMax)))
      (br $next_k))))

  ;; The implicit im2col matrix of a 2-D convolution, one 8-column panel at a time: column q of B is
  ;; output position (oh, ow) = (q / OW, q % OW), row k a kernel offset (ci, kh, kw), and
  ;; B[k, q] = x[ci, oh·sh − padT + kh·dh, ow·sw − padL + kw·dw], or 0 in the padding.
  ;; $geo holds H, W, OW, sh, sw, padT, padL (i32); $tab three i32 per row k of the block:
  ;; base = ci·H·W + kh·dh·W + kw·dw, khd = kh·dh, kwd = kw·dw (all in floats). The 8 columns'
  ;; origins (oh·sh − padT, ow·sw − padL) go to $org first. Where the 8 positions lie in one output
  ;; row, stride 1 and all 8 inputs inside the image, a row of the panel is two vector loads.
  (func $pack_window (param $x i32) (param $geo i32) (param $tab i32) (param $kc i32) (param $j i32) (param $dst i32) (param $org i32)
    (local $H i32) (local $W i32) (local $OW i32) (local $sh i32) (local $sw i32) (local $padT i32) (local $padL i32)
    (local $oh i32) (local $ow i32) (local $c i32) (local $contig i32) (local $ih0 i32) (local $iw0 i32)
    (local $end i32) (local $base i32) (local $ih i32) (local $iw i32) (local $src i32)
    (local.set $H (i32.load (local.get $geo)))
    (local.set $W (i32.load offset=4 (local.get $geo)))
    (local.set $OW (i32.load offset=8 (local.get $geo)))
    (local.set $sh (i32.load offset=12 (local.get $geo)))
    (local.set $sw (i32.load offset=16 (local.get $geo)))
    (local.set $padT (i32.load offset=20 (local.get $geo)))
    (local.set $padL (i32.load offset=24 (local.get $geo)))
    (local.set $oh (i32.div_u (local.get $j) (local.get $OW)))
    (local.set $ow (i32.rem_u (local.get $j) (local.get $OW)))
    ;; (8 columns in one output row end inside the output: j < P, so that row exists)
    (local.set $contig (i32.and
      (i32.le_u (i32.add (local.get $ow) (i32.const 8)) (local.get $OW))
      (i32.eq (local.get $sw) (i32.const 1))))
    ;; origins of the 8 columns (those past P read somewhere inside the image or 0, into columns of C
    ;; that are never copied out)
    (local.set $c (i32.const 0))
    (block $done_c (loop $next_c
      (br_if $done_c (i32.ge_u (local.get $c) (i32.const 8)))
      (i32.store (i32.add (local.get $org) (i32.shl (local.get $c) (i32.const 3)))
        (i32.sub (i32.mul (local.get $oh) (local.get $sh)) (local.get $padT)))
      (i32.store offset=4 (i32.add (local.get $org) (i32.shl (local.get $c) (i32.const 3)))
        (i32.sub (i32.mul (local.get $ow) (local.get $sw)) (local.get $padL)))
      (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
      (if (i32.eq (local.get $ow) (local.get $OW))
        (then (local.set $ow (i32.const 0)) (local.set $oh (i32.add (local.get $oh) (i32.const 1)))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $next_c)))
    (local.set $ih0 (i32.load (local.get $org)))
    (local.set $iw0 (i32.load offset=4 (local.get $org)))
    (local.set $end (i32.add (local.get $tab) (i32.mul (local.get $kc) (i32.const 12))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $tab) (local.get $end)))
      (local.set $base (i32.load (local.get $tab)))
      (local.set $ih (i32.add (local.get $ih0) (i32.load offset=4 (local.get $tab))))
      (local.set $iw (i32.add (local.get $iw0) (i32.load offset=8 (local.get $tab))))
      (if (i32.and (i32.and (local.get $contig) (i32.lt_u (local.get $ih) (local.get $H)))
                   (i32.and (i32.ge_s (local.get $iw) (i32.const 0)) (i32.le_s (i32.add (local.get $iw) (i32.const 8)) (local.get $W))))
        (then
          (local.set $src (i32.add (local.get $x) (i32.shl
            (i32.add (local.get $base) (i32.add (i32.mul (local.get $ih0) (local.get $W)) (local.get $iw0))) (i32.const 2))))
          (v128.store (local.get $dst) (v128.load (local.get $src)))
          (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src))))
        (else
          (local.set $c (i32.const 0))
          (block $done_s (loop $next_s
            (br_if $done_s (i32.ge_u (local.get $c) (i32.const 8)))
            (local.set $src (i32.add (local.get $org) (i32.shl (local.get $c) (i32.const 3))))
            (local.set $ih (i32.load (local.get $src)))
            (local.set $iw (i32.load offset=4 (local.get $src)))
            (f32.store (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2)))
              (if (result f32) (i32.and
                  (i32.lt_u (i32.add (local.get $ih) (i32.load offset=4 (local.get $tab))) (local.get $H))
                  (i32.lt_u (i32.add (local.get $iw) (i32.load offset=8 (local.get $tab))) (local.get $W)))
                (then (f32.load (i32.add (local.get $x) (i32.shl
                  (i32.add (local.get $base) (i32.add (i32.mul (local.get $ih) (local.get $W)) (local.get $iw))) (i32.const 2)))))
                (else (f32.const 0))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $next_s)))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (local.set $tab (i32.add (local.get $tab) (i32.const 12)))
      (br $next))))

  ;; conv(a, x, c, bp, geo, tab, mp, k, np, kcMax): C[mp×np] += A[mp×k] · B with B the implicit
  ;; im2col matrix of the image at x (see $pack_window). Each panel is packed just in time into bp
  ;; (kcMax×8 floats, in L1) and used at once by every 4-row tile, so B is never written out whole.
  (func (export "conv") (param $a i32) (param $x i32) (param $c i32) (param $bp i32) (param $geo i32) (param $tab i32)
    (param $mp i32) (param $k i32) (param $np i32) (param $kcMax i32)
    (local $k0 i32) (local $kc i32) (local $i i32) (local $j i32) (local $lda i32) (local $ldc i32) (local $org i32)
    (local.set $lda (i32.shl (local.get $k) (i32.const 2)))
    (local.set $ldc (i32.shl (local.get $np) (i32.const 2)))
    (local.set $org (i32.add (local.get $bp) (i32.shl (local.get $kcMax) (i32.const 5))))
    (local.set $k0 (i32.const 0))
    (block $done_k (loop $next_k
      (br_if $done_k (i32.ge_u (local.get $k0) (local.get $k)))
      (local.set $kc (select (local.get $kcMax) (i32.sub (local.get $k) (local.get $k0))
        (i32.lt_u (local.get $kcMax) (i32.sub (local.get $k) (local.get $k0)))))
      (local.set $j (i32.const 0))
      (block $done_j (loop $next_j
        (br_if $done_j (i32.ge_u (local.get $j) (local.get $np)))
        (call $pack_window (local.get $x) (local.get $geo) (i32.add (local.get $tab) (i32.mul (local.get $k0) (i32.const 12)))
          (local.get $kc) (local.get $j) (local.get $bp) (local.get $org))
        (local.set $i (i32.const 0))
        (block $done_i (loop $next_i
          (br_if $done_i (i32.ge_u (local.get $i) (local.get $mp)))
          (call $tile
            (i32.add (local.get $a) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $k)) (local.get $k0)) (i32.const 2)))
            (local.get $lda)
            (local.get $bp)
            (local.get $kc)
            (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $np)) (local.get $j)) (i32.const 2)))
            (local.get $ldc))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $next_i)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $next_j)))
      (local.set $k0 (i32.add (local.get $k0) (local.get $kcMax)))
      (br $next_k))))
)
