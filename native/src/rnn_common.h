// Pieces shared by the fused whole-sequence recurrent ops (lstm.cc, gru.cc): which steps of a padded batch are
// real, how the recurrence is spread over threads (whole batch slices, or row blocks within a step), and the
// time-batched GEMMs around the recurrence (input projection and its backward, the recurrent-weight gradient).
//
// Layouts are row-major and batch-major: x [B, T, D], per-step gate rows [B, T, G] (row b*T + t), hidden
// states [B, T, H]. Masks are per sequence: inputMask [B, D].
#pragma once
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "common.h"
#include "fast_math.h"

namespace parsimony {

// A Float32Array argument of exactly n elements; otherwise a TypeError or a RangeError naming it, e.g.
// "<fn>: <name> has m elements, expected n".
inline View<float> SizedF32(const Napi::Env& env, const Napi::Value& v, int64_t n, const char* fn, const char* name) {
  const View<float> a = F32(v, name);
  Require(env, a.length == size_t(n),
          std::string(fn) + ": " + name + " has " + std::to_string(a.length) + " elements, expected " + std::to_string(n));
  return a;
}

// The same for an optional argument: null or undefined give an empty view.
inline View<float> SizedF32Opt(const Napi::Env& env, const Napi::Value& v, int64_t n, const char* fn,
                               const char* name) {
  return v.IsNull() || v.IsUndefined() ? View<float>{} : SizedF32(env, v, n, fn, name);
}

// Gate activations (sigmoid-like gates of the cells), with the derivative taken from the activation's output.
struct SigmoidGate {
  static float Apply(float a) { return FastSigmoid(a); }
  static float GradFromValue(float y) { return y * (1.f - y); }
};

// clip(0.2 a + 0.5, 0, 1); its slope is 0.2 strictly inside the ramp, which the output alone tells.
struct HardSigmoidGate {
  static float Apply(float a) {
    const float y = 0.2f * a + 0.5f;
    return y < 0.f ? 0.f : (y > 1.f ? 1.f : y);
  }
  static float GradFromValue(float y) { return y > 0.f && y < 1.f ? 0.2f : 0.f; }
};

// Step t of sequence b is real iff first[b] <= t < end[b] ('right' padding: [0, len); 'left': [T - len, T)).
// A padded step carries the state unchanged and receives no parameter gradient.
class StepWindows {
 public:
  // lengths may be empty (every step real); throws a RangeError naming the bad entry when a length is outside [0, T].
  StepWindows(const Napi::Env& env, const View<int32_t>& lengths, int64_t B, int64_t T, bool padLeft);
  bool Valid(int64_t b, int64_t t) const { return t >= first_[b] && t < end_[b]; }
  // Sequence b's real steps are [First(b), End(b)).
  int64_t First(int64_t b) const { return first_[b]; }
  int64_t End(int64_t b) const { return end_[b]; }
  // Rows [*lo, *hi) of [b0, b1) span every sequence with a real step t (*lo == *hi: none), so the step's GEMM can
  // skip padded rows at the ends of the range.
  void RealRows(int64_t b0, int64_t b1, int64_t t, int64_t* lo, int64_t* hi) const;

 private:
  std::vector<int32_t> first_, end_;
};

// GEMMs issued from inside our own parallel region must run on the calling thread. oneDNN and the built-in GEMM
// see the enclosing OpenMP region; OpenBLAS (pthreads build) has its own pool, so it is told for the duration.
class SingleThreadGemmScope {
 public:
  SingleThreadGemmScope();
  ~SingleThreadGemmScope();
  SingleThreadGemmScope(const SingleThreadGemmScope&) = delete;
  SingleThreadGemmScope& operator=(const SingleThreadGemmScope&) = delete;

 private:
  bool openBlas_;
};

// How many contiguous slices of the batch a recurrence is split into, one per thread. Rows are independent
// through time, so each slice runs its whole recurrence (a small GEMM per step on its own thread, then the cell
// update) without any synchronisation; a shared machine cannot stall it at every step. It takes enough rows per
// slice to keep those GEMMs efficient and enough work (flopsPerRowStep per row and step) to pay for the team.
// 1 means: one slice on the calling thread, the library's threads inside each step's GEMM.
int SequenceSlices(int64_t B, int64_t T, int64_t flopsPerRowStep);

// Runs fn(b0, b1) for each of `slices` contiguous parts of [0, B), one thread each (GEMMs inside stay on their
// thread); a single slice runs on the calling thread. fn may also take the slice's index first: fn(k, b0, b1)
// (e.g. to write per-slice partial sums).
template <typename F>
void ForEachSequenceSlice(int64_t B, int slices, F fn) {
  auto run = [&](int k, int64_t b0, int64_t b1) {
    if constexpr (std::is_invocable_v<F&, int, int64_t, int64_t>) fn(k, b0, b1);
    else fn(b0, b1);
  };
  if (slices <= 1) {
    run(0, int64_t(0), B);
    return;
  }
  const SingleThreadGemmScope serial;
#pragma omp parallel for schedule(static, 1) num_threads(slices)
  for (int k = 0; k < slices; ++k) run(k, B * k / slices, B * (k + 1) / slices);
}

// A grow-only scratch buffer: training calls with the same shapes every step, and a fresh allocation of a few MB
// would page-fault every 4 KiB each time. Use one thread_local vector per purpose.
inline float* GrowOnlyScratch(std::vector<float>& buf, int64_t n) {
  if (buf.size() < size_t(n)) buf.resize(size_t(n));
  return buf.data();
}

// Calls fn(b, j0, j1) for every row b < B over unit ranges [j0, j1) that cover [0, H), in parallel when B*H
// reaches `grain`. Ranges are split only when there are too few rows to keep every thread busy; the split
// points are multiples of 16 so the inner loops stay aligned to whole vectors.
template <typename F>
void ForEachRowBlock(int64_t B, int64_t H, int64_t grain, F fn) {
  const int threads = NumThreads();
  const bool parallel = threads > 1 && B * H >= grain;
  int64_t blockSize = H;
  if (parallel && B < 2 * threads) {
    const int64_t blocks = std::min<int64_t>((H + 15) / 16, (2 * threads + B - 1) / B);
    blockSize = ((H + blocks - 1) / blocks + 15) / 16 * 16;
  }
  const int64_t blocksPerRow = blockSize > 0 ? (H + blockSize - 1) / blockSize : 1;
  const int64_t tasks = B * blocksPerRow;
#pragma omp parallel for schedule(static) if (parallel)
  for (int64_t task = 0; task < tasks; ++task) {
    const int64_t b = task / blocksPerRow, j0 = (task % blocksPerRow) * blockSize;
    fn(b, j0, std::min(H, j0 + blockSize));
  }
}

// out[B*T, G] = (x * inputMask) W for every step at once; inputMask may be null. Masked rows are built in
// cache-sized chunks instead of one [B, T, D] copy.
void InputProjection(const float* x, const float* inputMask, const float* W, int64_t B, int64_t T, int64_t D,
                     int64_t G, float* out);

// Backward of InputProjection given dS [B*T, G] (the gradient w.r.t. out):
//   dW = (x * inputMask)^T dS,  dX = (dS W^T) * inputMask,  dInputMask[b] = sum_t (dS W^T)[b, t] * x[b, t].
// dInputMask is written only when inputMask is given. accumulate: dW += instead of = (dX, dInputMask are still
// written), so the rows of several calls (e.g. each sequence's real steps) can sum into one dW.
void InputProjectionBackward(const float* x, const float* inputMask, const float* W, const float* dS, int64_t B,
                             int64_t T, int64_t D, int64_t G, float* dX, float* dW, float* dInputMask,
                             bool accumulate = false);

// dU[H, G] = sum over b, t of hPrev(b, t)^T dS[b, t], where hPrev(b, t) = hs[b, t - 1] and hPrev(b, 0) = h0[b]
// (h0 null = zeros). Done as one GEMM over the flat [B*T] rows shifted by one step, plus a rank-B
// correction for the rows where the shift crosses from one sequence into the next. accumulate: dU += instead of =.
void RecurrentWeightGrad(const float* hs, const float* h0, const float* dS, int64_t B, int64_t T, int64_t H,
                         int64_t G, float* dU, bool accumulate = false);

// out[cols, rows] = a[rows, cols]^T.
void Transpose(const float* a, int64_t rows, int64_t cols, float* out);

// Sums rows of a [rows, cols] matrix into out[cols].
void ColumnSums(const float* x, int64_t rows, int64_t cols, float* out);

}  // namespace parsimony
