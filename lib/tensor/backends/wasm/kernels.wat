;; The WebAssembly kernels of the wasm backend (lib/tensor/backends/wasm.ts): 128-bit SIMD over
;; float32 row-major matrices in a shared memory, imported so that the buffer never detaches when
;; it grows and a worker can instantiate the same module on the same memory. Every pointer is a
;; byte offset into that memory. The js backend (lib/tensor/backends/js.ts, _fused.ts,
;; activation.ts) is the reference each kernel is tested against (tests/tensor/backends/
;; wasm_test.ts). Built by scripts/build_wasm.ts (features: simd, threads, relaxed_simd).
;;
;; Abbreviations in the product: op(A) is (m, k), op(B) is (k, n), C is (m, n); a tile is 6 rows
;; by 8 columns of C.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; ------------------------------------------------------------------------------------------
  ;; partial vectors: the last 1 to 3 elements of a row

  ;; The first `count` (0 to 4) lanes all ones, the rest zero.
  (func $lane_mask (param $count i32) (result v128)
    (i32x4.lt_s (v128.const i32x4 0 1 2 3) (i32x4.splat (local.get $count))))

  ;; `count` (1 to 3) floats from p into the first lanes; the other lanes are `fill`.
  (func $load_partial (param $p i32) (param $count i32) (param $fill f32) (result v128)
    (local $v v128)
    (local.set $v (f32x4.replace_lane 0 (f32x4.splat (local.get $fill)) (f32.load (local.get $p))))
    (if (i32.gt_u (local.get $count) (i32.const 1))
      (then (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load offset=4 (local.get $p))))))
    (if (i32.gt_u (local.get $count) (i32.const 2))
      (then (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load offset=8 (local.get $p))))))
    (local.get $v))

  ;; The first `count` (1 to 3) lanes of v to p.
  (func $store_partial (param $p i32) (param $count i32) (param $v v128)
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.gt_u (local.get $count) (i32.const 1))
      (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.gt_u (local.get $count) (i32.const 2))
      (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $v))))))

  ;; ------------------------------------------------------------------------------------------
  ;; gemm: C ← alpha · op(A) · op(B) + beta · C
  ;;
  ;; op(A) is packed once, scaled by alpha, in blocks of 6 rows ([block][p][6], zero rows past
  ;; m); op(B) one panel of 8 columns at a time ([p][8], zero columns past n), which stays in L1
  ;; while every block of rows runs over it. The 6×8 tile keeps 12 f32x4 accumulators, 2 panel
  ;; vectors and 1 broadcast in registers (15 of x64's 16; 4×12 and 3×16 tiles spill and run at
  ;; half the speed). relaxed_madd (one FMA instruction where the CPU has FMA) measured 5–10%
  ;; faster than mul + add on a 4×8 tile, and the 6×8 tile needs it: mul + add's temporary makes
  ;; it spill (24 against 47 GFLOP/s). On the machine measured, 12 independent f32x4 FMA chains
  ;; with no memory access run at 53 GFLOP/s: the ceiling of 128-bit SIMD there, against which
  ;; this product reaches 80–90% at the MLP's shapes (bench/gemm_bench.ts). Tiles at the edges
  ;; of C go through a 6×8 scratch tile.

  ;; dst[p·8 + jj] ← op(B)[p, j0 + jj] = src[p·sbp + jj·sbj] for jj < nr, 0 for nr ≤ jj < 8.
  (func $pack_b (param $dst i32) (param $src i32) (param $k i32) (param $nr i32) (param $sbp i32)
    (param $sbj i32)
    (local $jj i32) (local $from i32)
    (if (i32.eqz (local.get $k)) (then (return)))
    (if (i32.and (i32.eq (local.get $nr) (i32.const 8)) (i32.eq (local.get $sbj) (i32.const 4)))
      (then ;; 8 contiguous floats per row of op(B)
        (loop $rows
          (v128.store (local.get $dst) (v128.load (local.get $src)))
          (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
          (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
          (local.set $src (i32.add (local.get $src) (local.get $sbp)))
          (br_if $rows (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
      (else
        (loop $rows
          (v128.store (local.get $dst) (v128.const i32x4 0 0 0 0))
          (v128.store offset=16 (local.get $dst) (v128.const i32x4 0 0 0 0))
          (local.set $jj (i32.const 0))
          (local.set $from (local.get $src))
          (loop $cols
            (f32.store (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 2)))
              (f32.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (local.get $sbj)))
            (br_if $cols (i32.lt_s (local.tee $jj (i32.add (local.get $jj) (i32.const 1)))
              (local.get $nr))))
          (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
          (local.set $src (i32.add (local.get $src) (local.get $sbp)))
          (br_if $rows (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))))

  ;; dst[(block·k + p)·6 + r] ← alpha · op(A)[6·block + r, p], where op(A)[i, p] is
  ;; a[i·sai + p·sap]; 0 for rows past m.
  (func $pack_a (param $dst i32) (param $a i32) (param $m i32) (param $k i32) (param $sai i32)
    (param $sap i32) (param $alpha f32)
    (local $i0 i32) (local $p i32) (local $r i32) (local $src i32) (local $to i32)
    (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $s4 i32) (local $s5 i32)
    (if (i32.eqz (local.get $k)) (then (return)))
    (local.set $s1 (local.get $sai))
    (local.set $s2 (i32.shl (local.get $sai) (i32.const 1)))
    (local.set $s3 (i32.mul (local.get $sai) (i32.const 3)))
    (local.set $s4 (i32.shl (local.get $sai) (i32.const 2)))
    (local.set $s5 (i32.mul (local.get $sai) (i32.const 5)))
    (loop $blocks
      (local.set $src (i32.add (local.get $a) (i32.mul (local.get $i0) (local.get $sai))))
      (local.set $p (local.get $k))
      (if (i32.le_s (i32.add (local.get $i0) (i32.const 6)) (local.get $m))
        (then ;; a full block: 6 rows
          (loop $ps
            (f32.store (local.get $dst) (f32.mul (local.get $alpha) (f32.load (local.get $src))))
            (f32.store offset=4 (local.get $dst) (f32.mul (local.get $alpha)
              (f32.load (i32.add (local.get $src) (local.get $s1)))))
            (f32.store offset=8 (local.get $dst) (f32.mul (local.get $alpha)
              (f32.load (i32.add (local.get $src) (local.get $s2)))))
            (f32.store offset=12 (local.get $dst) (f32.mul (local.get $alpha)
              (f32.load (i32.add (local.get $src) (local.get $s3)))))
            (f32.store offset=16 (local.get $dst) (f32.mul (local.get $alpha)
              (f32.load (i32.add (local.get $src) (local.get $s4)))))
            (f32.store offset=20 (local.get $dst) (f32.mul (local.get $alpha)
              (f32.load (i32.add (local.get $src) (local.get $s5)))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 24)))
            (local.set $src (i32.add (local.get $src) (local.get $sap)))
            (br_if $ps (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
        (else ;; the last block: m − i0 rows, then zeros
          (loop $ps
            (local.set $r (i32.const 0))
            (loop $rows
              (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
              (if (i32.lt_s (i32.add (local.get $i0) (local.get $r)) (local.get $m))
                (then (f32.store (local.get $to) (f32.mul (local.get $alpha)
                  (f32.load (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $sai)))))))
                (else (f32.store (local.get $to) (f32.const 0))))
              (br_if $rows (i32.lt_s (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                (i32.const 6))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 24)))
            (local.set $src (i32.add (local.get $src) (local.get $sap)))
            (br_if $ps (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))))
      (br_if $blocks (i32.lt_s (local.tee $i0 (i32.add (local.get $i0) (i32.const 6)))
        (local.get $m)))))

  ;; Copies the (mr, nr) corner of a matrix with rows of `from_ld` bytes to one with rows of
  ;; `to_ld` bytes (between C and the scratch tile, whose rows are 32 bytes).
  (func $copy_block (param $to i32) (param $to_ld i32) (param $from i32) (param $from_ld i32)
    (param $mr i32) (param $nr i32)
    (local $j i32)
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $cols
        (f32.store (i32.add (local.get $to) (i32.shl (local.get $j) (i32.const 2)))
          (f32.load (i32.add (local.get $from) (i32.shl (local.get $j) (i32.const 2)))))
        (br_if $cols (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 1)))
          (local.get $nr))))
      (local.set $to (i32.add (local.get $to) (local.get $to_ld)))
      (local.set $from (i32.add (local.get $from) (local.get $from_ld)))
      (br_if $rows (local.tee $mr (i32.sub (local.get $mr) (i32.const 1))))))

  ;; The micro-kernel, one 6×8 tile: C[0:6, 0:8] ← Σ_p Apacked[p, 0:6]ᵀ · panel[p, 0:8] +
  ;; beta · C[0:6, 0:8] (C is not read when beta = 0), with alpha already in the packed A.
  ;; pa: the block's packed A, 24 bytes per p; pb: the panel, 32 bytes per p; C's rows are ldc
  ;; bytes apart. k unrolled by 4; the accumulators start from beta · C so that they are the
  ;; only vectors live when they are stored (scaling at the end spilled them inside the loop).
  (func $kernel_6x8 (param $pa i32) (param $pb i32) (param $k i32)
    (param $pc i32) (param $ldc i32) (param $beta f32)
    (local $c00 v128) (local $c01 v128)
    (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128)
    (local $c30 v128) (local $c31 v128)
    (local $c40 v128) (local $c41 v128)
    (local $c50 v128) (local $c51 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128) (local $vb v128) (local $pt i32)
    (if (f32.ne (local.get $beta) (f32.const 0)) (then
      (local.set $vb (f32x4.splat (local.get $beta)))
      (local.set $pt (local.get $pc))
      (local.set $c00 (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $pt))))
      (local.set $c01 (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $pt))))
      (local.set $pt (i32.add (local.get $pt) (local.get $ldc)))
      (local.set $c10 (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $pt))))
      (local.set $c11 (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $pt))))
      (local.set $pt (i32.add (local.get $pt) (local.get $ldc)))
      (local.set $c20 (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $pt))))
      (local.set $c21 (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $pt))))
      (local.set $pt (i32.add (local.get $pt) (local.get $ldc)))
      (local.set $c30 (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $pt))))
      (local.set $c31 (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $pt))))
      (local.set $pt (i32.add (local.get $pt) (local.get $ldc)))
      (local.set $c40 (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $pt))))
      (local.set $c41 (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $pt))))
      (local.set $pt (i32.add (local.get $pt) (local.get $ldc)))
      (local.set $c50 (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $pt))))
      (local.set $c51 (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $pt))))
    ))
    (block $unrolled_done
      (br_if $unrolled_done (i32.lt_s (local.get $k) (i32.const 4)))
      (loop $unrolled
        (local.set $b0 (v128.load offset=0 (local.get $pb)))
        (local.set $b1 (v128.load offset=16 (local.get $pb)))
        (local.set $av (v128.load32_splat offset=0 (local.get $pa)))
        (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
        (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
        (local.set $av (v128.load32_splat offset=4 (local.get $pa)))
        (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
        (local.set $c11 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c11)))
        (local.set $av (v128.load32_splat offset=8 (local.get $pa)))
        (local.set $c20 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c20)))
        (local.set $c21 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c21)))
        (local.set $av (v128.load32_splat offset=12 (local.get $pa)))
        (local.set $c30 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c30)))
        (local.set $c31 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c31)))
        (local.set $av (v128.load32_splat offset=16 (local.get $pa)))
        (local.set $c40 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c40)))
        (local.set $c41 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c41)))
        (local.set $av (v128.load32_splat offset=20 (local.get $pa)))
        (local.set $c50 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c50)))
        (local.set $c51 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c51)))
        (local.set $b0 (v128.load offset=32 (local.get $pb)))
        (local.set $b1 (v128.load offset=48 (local.get $pb)))
        (local.set $av (v128.load32_splat offset=24 (local.get $pa)))
        (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
        (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
        (local.set $av (v128.load32_splat offset=28 (local.get $pa)))
        (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
        (local.set $c11 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c11)))
        (local.set $av (v128.load32_splat offset=32 (local.get $pa)))
        (local.set $c20 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c20)))
        (local.set $c21 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c21)))
        (local.set $av (v128.load32_splat offset=36 (local.get $pa)))
        (local.set $c30 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c30)))
        (local.set $c31 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c31)))
        (local.set $av (v128.load32_splat offset=40 (local.get $pa)))
        (local.set $c40 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c40)))
        (local.set $c41 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c41)))
        (local.set $av (v128.load32_splat offset=44 (local.get $pa)))
        (local.set $c50 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c50)))
        (local.set $c51 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c51)))
        (local.set $b0 (v128.load offset=64 (local.get $pb)))
        (local.set $b1 (v128.load offset=80 (local.get $pb)))
        (local.set $av (v128.load32_splat offset=48 (local.get $pa)))
        (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
        (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
        (local.set $av (v128.load32_splat offset=52 (local.get $pa)))
        (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
        (local.set $c11 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c11)))
        (local.set $av (v128.load32_splat offset=56 (local.get $pa)))
        (local.set $c20 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c20)))
        (local.set $c21 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c21)))
        (local.set $av (v128.load32_splat offset=60 (local.get $pa)))
        (local.set $c30 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c30)))
        (local.set $c31 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c31)))
        (local.set $av (v128.load32_splat offset=64 (local.get $pa)))
        (local.set $c40 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c40)))
        (local.set $c41 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c41)))
        (local.set $av (v128.load32_splat offset=68 (local.get $pa)))
        (local.set $c50 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c50)))
        (local.set $c51 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c51)))
        (local.set $b0 (v128.load offset=96 (local.get $pb)))
        (local.set $b1 (v128.load offset=112 (local.get $pb)))
        (local.set $av (v128.load32_splat offset=72 (local.get $pa)))
        (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
        (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
        (local.set $av (v128.load32_splat offset=76 (local.get $pa)))
        (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
        (local.set $c11 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c11)))
        (local.set $av (v128.load32_splat offset=80 (local.get $pa)))
        (local.set $c20 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c20)))
        (local.set $c21 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c21)))
        (local.set $av (v128.load32_splat offset=84 (local.get $pa)))
        (local.set $c30 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c30)))
        (local.set $c31 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c31)))
        (local.set $av (v128.load32_splat offset=88 (local.get $pa)))
        (local.set $c40 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c40)))
        (local.set $c41 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c41)))
        (local.set $av (v128.load32_splat offset=92 (local.get $pa)))
        (local.set $c50 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c50)))
        (local.set $c51 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c51)))
        (local.set $pa (i32.add (local.get $pa) (i32.const 96)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 128)))
        (local.set $k (i32.sub (local.get $k) (i32.const 4)))
        (br_if $unrolled (i32.ge_s (local.get $k) (i32.const 4)))))
    (block $rest_done
      (br_if $rest_done (i32.eqz (local.get $k)))
      (loop $rest
        (local.set $b0 (v128.load offset=0 (local.get $pb)))
        (local.set $b1 (v128.load offset=16 (local.get $pb)))
        (local.set $av (v128.load32_splat offset=0 (local.get $pa)))
        (local.set $c00 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c00)))
        (local.set $c01 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c01)))
        (local.set $av (v128.load32_splat offset=4 (local.get $pa)))
        (local.set $c10 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c10)))
        (local.set $c11 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c11)))
        (local.set $av (v128.load32_splat offset=8 (local.get $pa)))
        (local.set $c20 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c20)))
        (local.set $c21 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c21)))
        (local.set $av (v128.load32_splat offset=12 (local.get $pa)))
        (local.set $c30 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c30)))
        (local.set $c31 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c31)))
        (local.set $av (v128.load32_splat offset=16 (local.get $pa)))
        (local.set $c40 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c40)))
        (local.set $c41 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c41)))
        (local.set $av (v128.load32_splat offset=20 (local.get $pa)))
        (local.set $c50 (f32x4.relaxed_madd (local.get $av) (local.get $b0) (local.get $c50)))
        (local.set $c51 (f32x4.relaxed_madd (local.get $av) (local.get $b1) (local.get $c51)))
        (local.set $pa (i32.add (local.get $pa) (i32.const 24)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br_if $rest (local.get $k))))
    (v128.store offset=0 (local.get $pc) (local.get $c00))
    (v128.store offset=16 (local.get $pc) (local.get $c01))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store offset=0 (local.get $pc) (local.get $c10))
    (v128.store offset=16 (local.get $pc) (local.get $c11))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store offset=0 (local.get $pc) (local.get $c20))
    (v128.store offset=16 (local.get $pc) (local.get $c21))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store offset=0 (local.get $pc) (local.get $c30))
    (v128.store offset=16 (local.get $pc) (local.get $c31))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store offset=0 (local.get $pc) (local.get $c40))
    (v128.store offset=16 (local.get $pc) (local.get $c41))
    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))
    (v128.store offset=0 (local.get $pc) (local.get $c50))
    (v128.store offset=16 (local.get $pc) (local.get $c51))
  )

  ;; gemm(transA, transB, m, n, k, alpha, beta, a, b, c, work): C ← alpha · op(A) · op(B) +
  ;; beta · C, row-major float32: A is (m, k), or (k, m) when transA; B is (k, n), or (n, k) when
  ;; transB; C is (m, n), written only (never read) when beta = 0. `work` is a scratch area of
  ;; gemm_work_bytes(m, k) bytes, 16-byte aligned, overlapping none of A, B, C.
  (func $gemm (export "gemm") (param $transA i32) (param $transB i32) (param $m i32) (param $n i32)
    (param $k i32) (param $alpha f32) (param $beta f32) (param $a i32) (param $b i32) (param $c i32)
    (param $work i32)
    (local $sai i32) (local $sap i32) (local $sbp i32) (local $sbj i32) (local $ldc i32)
    (local $j0 i32) (local $nr i32) (local $i0 i32) (local $mr i32) (local $tile i32)
    (local $panel i32) (local $packed i32) (local $pa i32) (local $pc i32) (local $block i32)
    (if (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n))) (then (return)))
    ;; op(A)[i, p] is at a + i·sai + p·sap, op(B)[p, j] at b + p·sbp + j·sbj
    (if (local.get $transA)
      (then (local.set $sai (i32.const 4)) (local.set $sap (i32.shl (local.get $m) (i32.const 2))))
      (else (local.set $sai (i32.shl (local.get $k) (i32.const 2))) (local.set $sap (i32.const 4))))
    (if (local.get $transB)
      (then (local.set $sbp (i32.const 4)) (local.set $sbj (i32.shl (local.get $k) (i32.const 2))))
      (else (local.set $sbp (i32.shl (local.get $n) (i32.const 2))) (local.set $sbj (i32.const 4))))
    (local.set $ldc (i32.shl (local.get $n) (i32.const 2)))
    ;; work: the tile (192 bytes, 256 reserved), the panel (32·k), the packed A (24·k per block)
    (local.set $tile (local.get $work))
    (local.set $panel (i32.add (local.get $work) (i32.const 256)))
    (local.set $packed (i32.add (local.get $panel) (i32.shl (local.get $k) (i32.const 5))))
    (local.set $block (i32.mul (local.get $k) (i32.const 24)))
    (call $pack_a (local.get $packed) (local.get $a) (local.get $m) (local.get $k) (local.get $sai)
      (local.get $sap) (local.get $alpha))
    (loop $panels
      (local.set $nr (i32.sub (local.get $n) (local.get $j0)))
      (if (i32.gt_s (local.get $nr) (i32.const 8)) (then (local.set $nr (i32.const 8))))
      (call $pack_b (local.get $panel) (i32.add (local.get $b) (i32.mul (local.get $j0) (local.get $sbj)))
        (local.get $k) (local.get $nr) (local.get $sbp) (local.get $sbj))
      (local.set $i0 (i32.const 0))
      (local.set $pa (local.get $packed))
      (loop $blocks
        (local.set $mr (i32.sub (local.get $m) (local.get $i0)))
        (if (i32.gt_s (local.get $mr) (i32.const 6)) (then (local.set $mr (i32.const 6))))
        (local.set $pc (i32.add (i32.add (local.get $c) (i32.mul (local.get $i0) (local.get $ldc)))
          (i32.shl (local.get $j0) (i32.const 2))))
        (if (i32.and (i32.eq (local.get $mr) (i32.const 6)) (i32.eq (local.get $nr) (i32.const 8)))
          (then
            (call $kernel_6x8 (local.get $pa) (local.get $panel) (local.get $k) (local.get $pc)
              (local.get $ldc) (local.get $beta)))
          (else ;; through the scratch tile, C's corner copied in (when read) and out
            (if (f32.ne (local.get $beta) (f32.const 0))
              (then (call $copy_block (local.get $tile) (i32.const 32) (local.get $pc) (local.get $ldc)
                (local.get $mr) (local.get $nr))))
            (call $kernel_6x8 (local.get $pa) (local.get $panel) (local.get $k) (local.get $tile)
              (i32.const 32) (local.get $beta))
            (call $copy_block (local.get $pc) (local.get $ldc) (local.get $tile) (i32.const 32)
              (local.get $mr) (local.get $nr))))
        (local.set $pa (i32.add (local.get $pa) (local.get $block)))
        (br_if $blocks (i32.lt_s (local.tee $i0 (i32.add (local.get $i0) (i32.const 6)))
          (local.get $m))))
      (br_if $panels (i32.lt_s (local.tee $j0 (i32.add (local.get $j0) (i32.const 8)))
        (local.get $n)))))

  ;; The bytes of scratch gemm needs for op(A) of (m, k): the tile, one panel, the packed A.
  (func $gemm_work_bytes (export "gemm_work_bytes") (param $m i32) (param $k i32) (result i32)
    (i32.add (i32.add (i32.const 256) (i32.shl (local.get $k) (i32.const 5)))
      (i32.mul (i32.mul (i32.div_u (i32.add (local.get $m) (i32.const 5)) (i32.const 6))
        (local.get $k)) (i32.const 24))))

  ;; ------------------------------------------------------------------------------------------
  ;; axpby(n, alpha, x, beta, y): y ← alpha · x + beta · y over n floats (x may be y).
  (func $axpby (export "axpby") (param $n i32) (param $alpha f32) (param $x i32) (param $beta f32)
    (param $y i32)
    (local $va v128) (local $vb v128) (local $end i32)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vb (f32x4.splat (local.get $beta)))
    (local.set $end (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const -4))
      (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
      (loop $vectors
        (v128.store (local.get $y) (f32x4.add (f32x4.mul (local.get $va) (v128.load (local.get $x)))
          (f32x4.mul (local.get $vb) (v128.load (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $y (i32.add (local.get $y) (i32.const 16)))
          (local.get $end)))))
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (if (local.get $n)
      (then (call $store_partial (local.get $y) (local.get $n)
        (f32x4.add (f32x4.mul (local.get $va) (call $load_partial (local.get $x) (local.get $n) (f32.const 0)))
          (f32x4.mul (local.get $vb) (call $load_partial (local.get $y) (local.get $n) (f32.const 0))))))))

  ;; ------------------------------------------------------------------------------------------
  ;; adam(n, p, g, m, v, lr_c1, inv_c2, beta1, one_minus_beta1, beta2, one_minus_beta2, epsilon):
  ;; one Adam step over n floats, as the js backend's adam (lib/tensor/backends/js.ts) but in
  ;; float32: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p − (lr/c1)·m/(√(v·(1/c2)) + ε).
  ;; The caller computes the bias corrections c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ, and 1 − β₁, 1 − β₂,
  ;; in double (as the js backend) and passes lr/c1 and 1/c2 rounded to float32. Plain mul and
  ;; add, no relaxed_madd: the same numbers on every CPU. The whole vectors run in a loop with no
  ;; call and no branch but its own: with the last 1 to 3 elements handled inside it too (a branch
  ;; to $load_partial), the step took twice as long (0.70 against 0.35 ms on the weight below),
  ;; presumably as V8 then keeps the vectors live across the call on the stack. Measured on the
  ;; 784 × 300 weight (235,200 floats; 3.8 MB read, 2.8 MB written) in the module's memory, on an
  ;; AMD EPYC whose 2 cores other jobs shared (load 3 to 4): 0.23 ms at best (1 ns a float),
  ;; 0.3–0.6 ms under that load, against 2.6–4.2 ms for the js loop (7 to 11 times slower, in the
  ;; same runs) and 0.08–0.12 ms for an axpby of the same size (bench/gemm_bench.ts, "Adam step
  ;; on W1").
  (func $adam (export "adam") (param $n i32) (param $p i32) (param $g i32) (param $m i32)
    (param $v i32) (param $lr_c1 f32) (param $inv_c2 f32) (param $beta1 f32)
    (param $one_minus_beta1 f32) (param $beta2 f32) (param $one_minus_beta2 f32)
    (param $epsilon f32)
    (local $vg v128) (local $vm v128) (local $vv v128) (local $b1 v128) (local $a1 v128)
    (local $b2 v128) (local $a2 v128) (local $lr v128) (local $c2 v128) (local $eps v128)
    (local $end i32)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $a1 (f32x4.splat (local.get $one_minus_beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $a2 (f32x4.splat (local.get $one_minus_beta2)))
    (local.set $lr (f32x4.splat (local.get $lr_c1)))
    (local.set $c2 (f32x4.splat (local.get $inv_c2)))
    (local.set $eps (f32x4.splat (local.get $epsilon)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4))
      (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (loop $vectors
        (local.set $vg (v128.load (local.get $g)))
        (local.set $vm (f32x4.add (f32x4.mul (local.get $b1) (v128.load (local.get $m)))
          (f32x4.mul (local.get $a1) (local.get $vg))))
        (local.set $vv (f32x4.add (f32x4.mul (local.get $b2) (v128.load (local.get $v)))
          (f32x4.mul (f32x4.mul (local.get $a2) (local.get $vg)) (local.get $vg))))
        (v128.store (local.get $m) (local.get $vm))
        (v128.store (local.get $v) (local.get $vv))
        (v128.store (local.get $p) (f32x4.sub (v128.load (local.get $p))
          (f32x4.div (f32x4.mul (local.get $lr) (local.get $vm))
            (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vv) (local.get $c2))) (local.get $eps)))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $m (i32.add (local.get $m) (i32.const 16)))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16)))
          (local.get $end)))))
    ;; the last 1 to 3 elements: the same step on partial vectors (zeros in the other lanes,
    ;; where 0/(0 + ε) = 0 is never stored)
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (if (local.get $n)
      (then
        (local.set $vg (call $load_partial (local.get $g) (local.get $n) (f32.const 0)))
        (local.set $vm (f32x4.add
          (f32x4.mul (local.get $b1) (call $load_partial (local.get $m) (local.get $n) (f32.const 0)))
          (f32x4.mul (local.get $a1) (local.get $vg))))
        (local.set $vv (f32x4.add
          (f32x4.mul (local.get $b2) (call $load_partial (local.get $v) (local.get $n) (f32.const 0)))
          (f32x4.mul (f32x4.mul (local.get $a2) (local.get $vg)) (local.get $vg))))
        (call $store_partial (local.get $m) (local.get $n) (local.get $vm))
        (call $store_partial (local.get $v) (local.get $n) (local.get $vv))
        (call $store_partial (local.get $p) (local.get $n) (f32x4.sub
          (call $load_partial (local.get $p) (local.get $n) (f32.const 0))
          (f32x4.div (f32x4.mul (local.get $lr) (local.get $vm))
            (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vv) (local.get $c2))) (local.get $eps))))))))

  ;; adam_rows(n_rows, cols, p, g, rows, k, zero, m, v, lr_c1, …, epsilon): the adam step above
  ;; on an (n_rows, cols) parameter whose gradient is zero but in its k rows `rows` (strictly
  ;; increasing int32), which g holds as (k, cols): row by row, with g's row where there is one
  ;; and a row of zeros (cols floats at `zero`, filled here) elsewhere. Elementwise the same
  ;; numbers as adam on the scattered gradient, without the zeroed (n_rows, cols) gradient that
  ;; would be written and read again: the compacted first layer's route (lib/nn/adam.ts).
  (func $adam_rows (export "adam_rows") (param $n_rows i32) (param $cols i32) (param $p i32)
    (param $g i32) (param $rows i32) (param $k i32) (param $zero i32) (param $m i32)
    (param $v i32) (param $lr_c1 f32) (param $inv_c2 f32) (param $beta1 f32)
    (param $one_minus_beta1 f32) (param $beta2 f32) (param $one_minus_beta2 f32)
    (param $epsilon f32)
    (local $bytes i32) (local $r i32) (local $gr i32)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $zero) (i32.const 0) (local.get $bytes))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $n_rows)))
        (local.set $gr (local.get $zero))
        (if (local.get $k)
          (then
            (if (i32.eq (i32.load (local.get $rows)) (local.get $r))
              (then
                (local.set $gr (local.get $g))
                (local.set $g (i32.add (local.get $g) (local.get $bytes)))
                (local.set $rows (i32.add (local.get $rows) (i32.const 4)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))))))
        (call $adam (local.get $cols) (local.get $p) (local.get $gr) (local.get $m) (local.get $v)
          (local.get $lr_c1) (local.get $inv_c2) (local.get $beta1) (local.get $one_minus_beta1)
          (local.get $beta2) (local.get $one_minus_beta2) (local.get $epsilon))
        (local.set $p (i32.add (local.get $p) (local.get $bytes)))
        (local.set $m (i32.add (local.get $m) (local.get $bytes)))
        (local.set $v (i32.add (local.get $v) (local.get $bytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; ------------------------------------------------------------------------------------------
  ;; exp, and the activations built on it
  ;;
  ;; e^x = 2^n · e^r with n = round(x / ln 2) and r = x − n·ln 2 (ln 2 in two parts, Cody and
  ;; Waite, so r is exact to float32), |r| ≤ ln 2 / 2; e^r is Cephes' expf polynomial,
  ;; 1 + r + r²·P(r) with P of degree 5. 2^n is built in the exponent bits as two factors
  ;; 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋), so results down to the subnormals (x ≥ −103.9) and up to the
  ;; overflow (e^x = ∞ for x > 88.73) come out right; x is clamped into [−104, 89] first, and NaN
  ;; stays NaN. Maximum relative error against Math.exp over [−88, 88], measured on 2²⁰ + 1
  ;; evenly spaced float32 points by tests/tensor/backends/wasm_test.ts: 8.1e-8 where e^x is a
  ;; normal float32 (x ≥ −87.34; rounding alone is up to 6e-8), 1.7e-7 overall (the subnormal
  ;; results below, whose own spacing is that coarse). Bound asserted there: 2.5e-7.
  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $ni v128) (local $h v128)
    ;; pmax/pmin keep a NaN x (and map to one instruction each)
    (local.set $x (f32x4.pmin (f32x4.pmax (local.get $x) (v128.const f32x4 -104 -104 -104 -104))
      (v128.const f32x4 89 89 89 89)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub (f32x4.sub (local.get $x)
      (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (f32x4.add (f32x4.mul (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4)
      (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
      (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r)))
      (local.get $r)) (v128.const f32x4 1 1 1 1)))
    ;; 2^n = 2^h · 2^(n − h), h = ⌊n/2⌋, each factor's exponent field h + 127 in bits 23–30
    (local.set $ni (i32x4.trunc_sat_f32x4_s (local.get $n)))
    (local.set $h (i32x4.shr_s (local.get $ni) (i32.const 1)))
    (f32x4.mul (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (local.get $h) (v128.const i32x4 127 127 127 127)) (i32.const 23)))
      (i32x4.shl (i32x4.add (i32x4.sub (local.get $ni) (local.get $h)) (v128.const i32x4 127 127 127 127))
        (i32.const 23))))

  ;; exp(x, n): x ← e^x over n floats (the approximation on its own, for its test).
  (func $exp_array (export "exp") (param $x i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4))
      (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (loop $vectors
        (v128.store (local.get $x) (call $exp (v128.load (local.get $x))))
        (br_if $vectors (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 16)))
          (local.get $end)))))
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (if (local.get $n)
      (then (call $store_partial (local.get $x) (local.get $n)
        (call $exp (call $load_partial (local.get $x) (local.get $n) (f32.const 0)))))))

  ;; σ(z) = 1/(1 + e^−z): e^−z = ∞ gives 0, e^−z = 0 gives 1. The sum and the quotient are taken
  ;; in double, so that σ near 1 is the correctly rounded float32 (as the js backend's, from
  ;; Math.exp in double): there 1 − h, and so the derivative h(1 − h), rests on the last bits of h,
  ;; which two float32 roundings would move by an ulp (about 6% of 1 − h when h = 1 − 1e-6).
  (func $sigmoid (param $z v128) (result v128)
    (local $e v128)
    (local.set $e (call $exp (f32x4.neg (local.get $z))))
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (f64x2.div (v128.const f64x2 1 1)
        (f64x2.add (v128.const f64x2 1 1) (f64x2.promote_low_f32x4 (local.get $e)))))
      (f32x4.demote_f64x2_zero (f64x2.div (v128.const f64x2 1 1)
        (f64x2.add (v128.const f64x2 1 1) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $e) (local.get $e))))))))

  ;; tanh z: for |z| < 0.625 Cephes' tanhf polynomial z + z³·P(z²) (no cancellation near 0),
  ;; else sign(z) · (1 − 2/(e^{2|z|} + 1)), which is ±1 once e^{2|z|} overflows.
  (func $tanh (param $z v128) (result v128)
    (local $a v128) (local $w v128) (local $small v128) (local $big v128)
    (local.set $a (f32x4.abs (local.get $z)))
    (local.set $big (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.div (v128.const f32x4 2 2 2 2)
      (f32x4.add (call $exp (f32x4.add (local.get $a) (local.get $a))) (v128.const f32x4 1 1 1 1)))))
    (local.set $big (v128.or (local.get $big)
      (v128.and (local.get $z) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
    (local.set $w (f32x4.mul (local.get $z) (local.get $z)))
    (local.set $small (f32x4.add (f32x4.mul (v128.const f32x4 -5.70498872745e-3 -5.70498872745e-3 -5.70498872745e-3 -5.70498872745e-3)
      (local.get $w)) (v128.const f32x4 2.06390887954e-2 2.06390887954e-2 2.06390887954e-2 2.06390887954e-2)))
    (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $w))
      (v128.const f32x4 -5.37397155531e-2 -5.37397155531e-2 -5.37397155531e-2 -5.37397155531e-2)))
    (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $w))
      (v128.const f32x4 1.33314422036e-1 1.33314422036e-1 1.33314422036e-1 1.33314422036e-1)))
    (local.set $small (f32x4.add (f32x4.mul (local.get $small) (local.get $w))
      (v128.const f32x4 -3.33332819422e-1 -3.33332819422e-1 -3.33332819422e-1 -3.33332819422e-1)))
    (local.set $small (f32x4.add (f32x4.mul (f32x4.mul (local.get $small) (local.get $w)) (local.get $z))
      (local.get $z)))
    (v128.bitselect (local.get $small) (local.get $big)
      (f32x4.lt (local.get $a) (v128.const f32x4 0.625 0.625 0.625 0.625))))

  ;; ReLU: z > 0 ? z : 0, as the js backend (NaN and −0 give 0): pmax(0, z) = 0 < z ? z : 0.
  (func $relu (param $z v128) (result v128)
    (f32x4.pmax (v128.const f32x4 0 0 0 0) (local.get $z)))

  ;; f(z) by activation code: 0 none, 1 sigmoid, 2 tanh, 3 relu.
  (func $activate (param $z v128) (param $f i32) (result v128)
    (block $relu (block $tanh (block $sigmoid (block $none
      (br_table $none $sigmoid $tanh $relu (local.get $f)))
      (return (local.get $z)))
      (return (call $sigmoid (local.get $z))))
      (return (call $tanh (local.get $z))))
    (call $relu (local.get $z)))

  ;; bias_activation(z, b, rows, cols, f): Z ← f(Z + b) row by row; Z is (rows, cols), b is
  ;; (cols); f is an activation code (see $activate). Exported as add_bias, bias_sigmoid,
  ;; bias_tanh and bias_relu.
  (func $bias_activation (param $z i32) (param $b i32) (param $rows i32) (param $cols i32)
    (param $f i32)
    (local $j i32) (local $full i32) (local $tail i32) (local $to i32)
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $cols))) (then (return)))
    (local.set $full (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $tail (i32.and (local.get $cols) (i32.const 3)))
    (loop $rows
      ;; the whole vectors: one loop per activation. V8 does not inline these calls: ReLU's
      ;; pmax is written out (5 times faster than calling $relu); σ and tanh call theirs, which
      ;; call $exp (about 7 ns per vector for σ: inlining exp here is the next speed-up)
      (local.set $j (i32.const 0))
      (block $done
        (br_if $done (i32.eqz (local.get $full)))
        (block $relu (block $tanh (block $sigmoid (block $none
          (br_table $none $sigmoid $tanh $relu (local.get $f)))
          (loop $vectors
            (local.set $to (i32.add (local.get $z) (local.get $j)))
            (v128.store (local.get $to) (f32x4.add (v128.load (local.get $to))
              (v128.load (i32.add (local.get $b) (local.get $j)))))
            (br_if $vectors (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16)))
              (local.get $full))))
          (br $done))
          (loop $vectors
            (local.set $to (i32.add (local.get $z) (local.get $j)))
            (v128.store (local.get $to) (call $sigmoid (f32x4.add (v128.load (local.get $to))
              (v128.load (i32.add (local.get $b) (local.get $j))))))
            (br_if $vectors (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16)))
              (local.get $full))))
          (br $done))
          (loop $vectors
            (local.set $to (i32.add (local.get $z) (local.get $j)))
            (v128.store (local.get $to) (call $tanh (f32x4.add (v128.load (local.get $to))
              (v128.load (i32.add (local.get $b) (local.get $j))))))
            (br_if $vectors (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16)))
              (local.get $full))))
          (br $done))
        (loop $vectors
          (local.set $to (i32.add (local.get $z) (local.get $j)))
          (v128.store (local.get $to) (f32x4.pmax (v128.const f32x4 0 0 0 0)
            (f32x4.add (v128.load (local.get $to)) (v128.load (i32.add (local.get $b) (local.get $j))))))
          (br_if $vectors (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16)))
            (local.get $full)))))
      (if (local.get $tail)
        (then (call $store_partial (i32.add (local.get $z) (local.get $j)) (local.get $tail)
          (call $activate
            (f32x4.add (call $load_partial (i32.add (local.get $z) (local.get $j)) (local.get $tail) (f32.const 0))
              (call $load_partial (i32.add (local.get $b) (local.get $j)) (local.get $tail) (f32.const 0)))
            (local.get $f)))))
      (local.set $z (i32.add (local.get $z) (i32.shl (local.get $cols) (i32.const 2))))
      (br_if $rows (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  (func (export "add_bias") (param i32 i32 i32 i32)
    (call $bias_activation (local.get 0) (local.get 1) (local.get 2) (local.get 3) (i32.const 0)))
  (func (export "bias_sigmoid") (param i32 i32 i32 i32)
    (call $bias_activation (local.get 0) (local.get 1) (local.get 2) (local.get 3) (i32.const 1)))
  (func (export "bias_tanh") (param i32 i32 i32 i32)
    (call $bias_activation (local.get 0) (local.get 1) (local.get 2) (local.get 3) (i32.const 2)))
  (func (export "bias_relu") (param i32 i32 i32 i32)
    (call $bias_activation (local.get 0) (local.get 1) (local.get 2) (local.get 3) (i32.const 3)))

  ;; f′ from the output h, by activation code: 1 sigmoid h(1 − h), 2 tanh 1 − h², 3 relu
  ;; (h > 0 ? 1 : 0).
  (func $derivative (param $h v128) (param $f i32) (result v128)
    (block $relu (block $tanh (block $sigmoid
      (br_table $sigmoid $sigmoid $tanh $relu (local.get $f)))
      (return (f32x4.mul (local.get $h) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $h)))))
      (return (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $h) (local.get $h)))))
    (v128.and (f32x4.gt (local.get $h) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))

  ;; activation_backward(dh, h, n, f): dH ← dH ⊙ f′ over n floats, f′ computed from H = f(Z).
  ;; Exported as sigmoid_backward, tanh_backward and relu_backward.
  (func $activation_backward (param $dh i32) (param $h i32) (param $n i32) (param $f i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $dh) (i32.shl (i32.and (local.get $n) (i32.const -4))
      (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $dh) (local.get $end)))
      (loop $vectors
        (v128.store (local.get $dh) (f32x4.mul (v128.load (local.get $dh))
          (call $derivative (v128.load (local.get $h)) (local.get $f))))
        (local.set $h (i32.add (local.get $h) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $dh (i32.add (local.get $dh) (i32.const 16)))
          (local.get $end)))))
    (local.set $n (i32.and (local.get $n) (i32.const 3)))
    (if (local.get $n)
      (then (call $store_partial (local.get $dh) (local.get $n)
        (f32x4.mul (call $load_partial (local.get $dh) (local.get $n) (f32.const 0))
          (call $derivative (call $load_partial (local.get $h) (local.get $n) (f32.const 0))
            (local.get $f)))))))

  (func (export "sigmoid_backward") (param i32 i32 i32)
    (call $activation_backward (local.get 0) (local.get 1) (local.get 2) (i32.const 1)))
  (func (export "tanh_backward") (param i32 i32 i32)
    (call $activation_backward (local.get 0) (local.get 1) (local.get 2) (i32.const 2)))
  (func (export "relu_backward") (param i32 i32 i32)
    (call $activation_backward (local.get 0) (local.get 1) (local.get 2) (i32.const 3)))

  ;; ------------------------------------------------------------------------------------------
  ;; softmax_xent(o, labels, rows, cols, d_o, stats) → correct: softmax with cross-entropy over
  ;; the logits O (rows, cols) and int32 labels (rows), as softmaxCrossEntropyFused
  ;; (lib/tensor/backends/_fused.ts), the logarithms left to the caller: for each row i, with m_i
  ;; its largest logit, writes stats[i] = (s_i, o_(i,c_i) − m_i) as two float64 (s_i =
  ;; Σ_j e^(o_ij − m_i); the loss is log s_i − (o_(i,c_i) − m_i)), and returns the number of rows
  ;; whose first largest logit is the label. When d_o ≠ 0, writes ∂ = (y − t)/rows into dO
  ;; (rows, cols), y = e^(o − m)/s. The labels are checked by the caller; one out of range is
  ;; clamped to the last class here (unsigned, so negatives too), so that it reads and writes
  ;; only its own row of O and dO: the memory's bounds checks would not stop it from reaching
  ;; other matrices in the same memory.
  (func $softmax_xent (export "softmax_xent") (param $o i32) (param $labels i32) (param $rows i32)
    (param $cols i32) (param $d_o i32) (param $stats i32) (result i32)
    (local $j i32) (local $best i32) (local $label i32) (local $correct i32) (local $full i32)
    (local $tail i32) (local $stride i32) (local $m f32) (local $x f32) (local $s f32)
    (local $scale f32) (local $vm v128) (local $e v128) (local $vs v128) (local $inv v128)
    (local $vscale v128) (local $to i32)
    (if (i32.eqz (local.get $rows)) (then (return (i32.const 0))))
    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $full (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $tail (i32.and (local.get $cols) (i32.const 3)))
    (local.set $scale (f32.div (f32.const 1) (f32.convert_i32_u (local.get $rows))))
    (local.set $vscale (f32x4.splat (local.get $scale)))
    (loop $rows
      ;; the largest logit and where it first is
      (local.set $m (f32.load (local.get $o)))
      (local.set $best (i32.const 0))
      (local.set $j (i32.const 1))
      (block $max_done
        (loop $max
          (br_if $max_done (i32.ge_u (local.get $j) (local.get $cols)))
          (local.set $x (f32.load (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))))
          (if (f32.gt (local.get $x) (local.get $m))
            (then (local.set $m (local.get $x)) (local.set $best (local.get $j))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $max)))
      (local.set $label (i32.load (local.get $labels)))
      (if (i32.ge_u (local.get $label) (local.get $cols))
        (then (local.set $label (i32.sub (local.get $cols) (i32.const 1)))))
      (local.set $correct (i32.add (local.get $correct)
        (i32.eq (local.get $best) (local.get $label))))
      ;; s = Σ e^(o − m), the exponentials kept in dO when it is wanted
      (local.set $vm (f32x4.splat (local.get $m)))
      (local.set $vs (v128.const f32x4 0 0 0 0))
      (local.set $j (i32.const 0))
      (block $sum_done
        (br_if $sum_done (i32.eqz (local.get $full)))
        (loop $sum
          (local.set $e (call $exp (f32x4.sub (v128.load (i32.add (local.get $o) (local.get $j)))
            (local.get $vm))))
          (local.set $vs (f32x4.add (local.get $vs) (local.get $e)))
          (if (local.get $d_o)
            (then (v128.store (i32.add (local.get $d_o) (local.get $j)) (local.get $e))))
          (br_if $sum (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16)))
            (local.get $full)))))
      (if (local.get $tail)
        (then
          (local.set $e (v128.and (call $lane_mask (local.get $tail))
            (call $exp (f32x4.sub
              (call $load_partial (i32.add (local.get $o) (local.get $j)) (local.get $tail) (f32.const 0))
              (local.get $vm)))))
          (local.set $vs (f32x4.add (local.get $vs) (local.get $e)))
          (if (local.get $d_o)
            (then (call $store_partial (i32.add (local.get $d_o) (local.get $j)) (local.get $tail)
              (local.get $e))))))
      (local.set $s (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $vs)) (f32x4.extract_lane 1 (local.get $vs)))
        (f32.add (f32x4.extract_lane 2 (local.get $vs)) (f32x4.extract_lane 3 (local.get $vs)))))
      (f64.store (local.get $stats) (f64.promote_f32 (local.get $s)))
      (f64.store offset=8 (local.get $stats) (f64.sub
        (f64.promote_f32 (f32.load (i32.add (local.get $o) (i32.shl (local.get $label) (i32.const 2)))))
        (f64.promote_f32 (local.get $m))))
      ;; dO ← (e/s − t)/rows
      (if (local.get $d_o)
        (then
          (local.set $inv (f32x4.splat (f32.div (f32.const 1) (local.get $s))))
          (local.set $j (i32.const 0))
          (block $grad_done
            (br_if $grad_done (i32.eqz (local.get $full)))
            (loop $grad
              (local.set $to (i32.add (local.get $d_o) (local.get $j)))
              (v128.store (local.get $to) (f32x4.mul (local.get $vscale)
                (f32x4.mul (v128.load (local.get $to)) (local.get $inv))))
              (br_if $grad (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16)))
                (local.get $full)))))
          (if (local.get $tail)
            (then
              (local.set $to (i32.add (local.get $d_o) (local.get $j)))
              (call $store_partial (local.get $to) (local.get $tail) (f32x4.mul (local.get $vscale)
                (f32x4.mul (call $load_partial (local.get $to) (local.get $tail) (f32.const 0))
                  (local.get $inv))))))
          (local.set $to (i32.add (local.get $d_o) (i32.shl (local.get $label) (i32.const 2))))
          (f32.store (local.get $to) (f32.sub (f32.load (local.get $to)) (local.get $scale)))
          (local.set $d_o (i32.add (local.get $d_o) (local.get $stride)))))
      (local.set $o (i32.add (local.get $o) (local.get $stride)))
      (local.set $labels (i32.add (local.get $labels) (i32.const 4)))
      (local.set $stats (i32.add (local.get $stats) (i32.const 16)))
      (br_if $rows (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))
    (local.get $correct))

  ;; column_sums(x, rows, cols, out): out ← Σ_i X[i, :]; X is (rows, cols), out (cols); summed
  ;; row by row, in the js backend's order.
  (func $column_sums (export "column_sums") (param $x i32) (param $rows i32) (param $cols i32)
    (param $out i32)
    (local $j i32) (local $full i32) (local $tail i32) (local $to i32)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $cols) (i32.const 2)))
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $cols))) (then (return)))
    (local.set $full (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2)))
    (local.set $tail (i32.and (local.get $cols) (i32.const 3)))
    (loop $rows
      (local.set $j (i32.const 0))
      (block $done
        (br_if $done (i32.eqz (local.get $full)))
        (loop $vectors
          (local.set $to (i32.add (local.get $out) (local.get $j)))
          (v128.store (local.get $to) (f32x4.add (v128.load (local.get $to))
            (v128.load (i32.add (local.get $x) (local.get $j)))))
          (br_if $vectors (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16)))
            (local.get $full)))))
      (if (local.get $tail)
        (then
          (local.set $to (i32.add (local.get $out) (local.get $j)))
          (call $store_partial (local.get $to) (local.get $tail) (f32x4.add
            (call $load_partial (local.get $to) (local.get $tail) (f32.const 0))
            (call $load_partial (i32.add (local.get $x) (local.get $j)) (local.get $tail) (f32.const 0))))))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
      (br_if $rows (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; ------------------------------------------------------------------------------------------
  ;; column compaction and row copies, as the js backend's primitives

  ;; nonzero_columns(x, rows, cols, out) → count: the columns of X (rows, cols) holding a
  ;; nonzero bit pattern (−0 counts), in increasing order, into the int32 array out (cols of
  ;; room, used first to OR each column's bits together).
  (func $nonzero_columns (export "nonzero_columns") (param $x i32) (param $rows i32)
    (param $cols i32) (param $out i32) (result i32)
    (local $j i32) (local $full i32) (local $bytes i32) (local $to i32) (local $count i32)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $bytes))
    (if (i32.eqz (local.get $cols)) (then (return (i32.const 0))))
    (local.set $full (i32.and (local.get $bytes) (i32.const -16)))
    (block $rows_done
      (br_if $rows_done (i32.eqz (local.get $rows)))
      (loop $rows
        (local.set $j (i32.const 0))
        (block $done
          (br_if $done (i32.eqz (local.get $full)))
          (loop $vectors
            (local.set $to (i32.add (local.get $out) (local.get $j)))
            (v128.store (local.get $to) (v128.or (v128.load (local.get $to))
              (v128.load (i32.add (local.get $x) (local.get $j)))))
            (br_if $vectors (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16)))
              (local.get $full)))))
        (block $done
          (loop $scalars
            (br_if $done (i32.ge_u (local.get $j) (local.get $bytes)))
            (local.set $to (i32.add (local.get $out) (local.get $j)))
            (i32.store (local.get $to) (i32.or (i32.load (local.get $to))
              (i32.load (i32.add (local.get $x) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $scalars)))
        (local.set $x (i32.add (local.get $x) (local.get $bytes)))
        (br_if $rows (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))
    ;; compact in place: the count written so far never passes the column read
    (local.set $j (i32.const 0))
    (loop $compact
      (if (i32.load (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
        (then
          (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2)))
            (local.get $j))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))))
      (br_if $compact (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1)))
        (local.get $cols))))
    (local.get $count))

  ;; gather_columns(x, rows, cols, columns, k, out): out[i, c] ← X[i, columns[c]]; X is
  ;; (rows, cols), columns k int32, out (rows, k).
  (func $gather_columns (export "gather_columns") (param $x i32) (param $rows i32) (param $cols i32)
    (param $columns i32) (param $k i32) (param $out i32)
    (local $c i32) (local $end i32)
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $k))) (then (return)))
    (local.set $end (i32.add (local.get $columns) (i32.shl (local.get $k) (i32.const 2))))
    (loop $rows
      (local.set $c (local.get $columns))
      (loop $cols
        (f32.store (local.get $out) (f32.load (i32.add (local.get $x)
          (i32.shl (i32.load (local.get $c)) (i32.const 2)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 4)))
          (local.get $end))))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
      (br_if $rows (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; gather_rows(x, cols, rows, k, out): out[r, :] ← X[rows[r], :]; rows k int32, out (k, cols).
  (func $gather_rows (export "gather_rows") (param $x i32) (param $cols i32) (param $rows i32)
    (param $k i32) (param $out i32)
    (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $done
      (loop $copy
        (br_if $done (i32.eqz (local.get $k)))
        (memory.copy (local.get $out)
          (i32.add (local.get $x) (i32.mul (i32.load (local.get $rows)) (local.get $bytes)))
          (local.get $bytes))
        (local.set $out (i32.add (local.get $out) (local.get $bytes)))
        (local.set $rows (i32.add (local.get $rows) (i32.const 4)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $copy))))

  ;; scatter_rows(x, cols, rows, k, out): out[rows[r], :] ← X[r, :]; X is (k, cols), rows k
  ;; int32; out's other rows are left as they are.
  (func $scatter_rows (export "scatter_rows") (param $x i32) (param $cols i32) (param $rows i32)
    (param $k i32) (param $out i32)
    (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $done
      (loop $copy
        (br_if $done (i32.eqz (local.get $k)))
        (memory.copy
          (i32.add (local.get $out) (i32.mul (i32.load (local.get $rows)) (local.get $bytes)))
          (local.get $x) (local.get $bytes))
        (local.set $x (i32.add (local.get $x) (local.get $bytes)))
        (local.set $rows (i32.add (local.get $rows) (i32.const 4)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $copy)))))
