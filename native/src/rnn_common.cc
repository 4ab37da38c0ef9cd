#include "rnn_common.h"

#include <string>

#include "gemm.h"

#ifdef PARSIMONY_HAS_OPENBLAS
#include <cblas.h>
#endif

namespace parsimony {

namespace {

// Masked input rows are materialised this many floats (8 MiB) at a time, in whole sequences. Chunks must stay
// large: at 2^17 floats an IMDB batch (T = 200, D = 300) went in chunks of 2 sequences, and the per-call cost of
// 3 x 64 small GEMMs made a masked LSTM step 3x slower than an unmasked one.
constexpr int64_t kChunkFloats = 1 << 21;

// Per-thread scratch (a GRU runs these on several threads at once, one batch slice each).
thread_local std::vector<float> tlMasked, tlShiftFix;

int64_t SequencesPerChunk(int64_t B, int64_t T, int64_t D) {
  return std::max<int64_t>(1, std::min<int64_t>(B, kChunkFloats / std::max<int64_t>(1, T * D)));
}

// Splits [0, n) evenly over the threads of the enclosing parallel region.
void ThreadRange(int64_t n, int64_t* lo, int64_t* hi) {
  const int64_t threads = omp_get_num_threads(), id = omp_get_thread_num();
  *lo = n * id / threads;
  *hi = n * (id + 1) / threads;
}

}  // namespace

StepWindows::StepWindows(const Napi::Env& env, const View<int32_t>& lengths, int64_t B, int64_t T, bool padLeft)
    : first_(B, 0), end_(B, int32_t(T)) {
  if (lengths.data) {
    for (int64_t b = 0; b < B; ++b) {
      const int32_t len = lengths.data[b];
      Require(env, len >= 0 && len <= T,
              "lengths[" + std::to_string(b) + "] = " + std::to_string(len) + " is outside [0, T = " + std::to_string(T) + "]");
      first_[b] = padLeft ? int32_t(T - len) : 0;
      end_[b] = padLeft ? int32_t(T) : len;
    }
  }
}

void StepWindows::RealRows(int64_t b0, int64_t b1, int64_t t, int64_t* lo, int64_t* hi) const {
  int64_t l = b1, h = b0;
  for (int64_t b = b0; b < b1; ++b) {
    if (Valid(b, t)) {
      l = std::min(l, b);
      h = b + 1;
    }
  }
  *lo = l;
  *hi = std::max(l, h);
}

SingleThreadGemmScope::SingleThreadGemmScope() : openBlas_(CurrentGemm() == GemmLibrary::kOpenBlas) {
#ifdef PARSIMONY_HAS_OPENBLAS
  if (openBlas_) openblas_set_num_threads(1);
#endif
}

SingleThreadGemmScope::~SingleThreadGemmScope() {
#ifdef PARSIMONY_HAS_OPENBLAS
  if (openBlas_) openblas_set_num_threads(NumThreads());
#endif
}

int SequenceSlices(int64_t B, int64_t T, int64_t flopsPerRowStep) {
  constexpr int64_t kMinRows = 8;             // below this a slice's per-step GEMM is too thin to run well
  constexpr int64_t kMinWork = int64_t(1) << 21;  // flops of a whole pass worth waking a second thread for
  const int64_t threads = std::min<int64_t>(NumThreads(), B / kMinRows);
  return threads > 1 && B * T * flopsPerRowStep >= kMinWork ? int(threads) : 1;
}

void InputProjection(const float* x, const float* inputMask, const float* W, int64_t B, int64_t T, int64_t D,
                     int64_t G, float* out) {
  if (!inputMask) {
    Sgemm(false, false, B * T, G, D, 1.f, x, D, W, G, 0.f, out, G);
    return;
  }
  const int64_t chunk = SequencesPerChunk(B, T, D);
  float* masked = GrowOnlyScratch(tlMasked, chunk * T * D);
  for (int64_t b0 = 0; b0 < B; b0 += chunk) {
    const int64_t rows = std::min(chunk, B - b0) * T;
    const float* xc = x + b0 * T * D;
#pragma omp parallel for schedule(static) if (rows * D > kParallelGrain)
    for (int64_t r = 0; r < rows; ++r) {
      const float* m = inputMask + (b0 + r / T) * D;
      for (int64_t d = 0; d < D; ++d) masked[r * D + d] = xc[r * D + d] * m[d];
    }
    Sgemm(false, false, rows, G, D, 1.f, masked, D, W, G, 0.f, out + b0 * T * G, G);
  }
}

void InputProjectionBackward(const float* x, const float* inputMask, const float* W, const float* dS, int64_t B,
                             int64_t T, int64_t D, int64_t G, float* dX, float* dW, float* dInputMask,
                             bool accumulate) {
  if (!inputMask) {
    Sgemm(true, false, D, G, B * T, 1.f, x, D, dS, G, accumulate ? 1.f : 0.f, dW, G);
    Sgemm(false, true, B * T, D, G, 1.f, dS, G, W, G, 0.f, dX, D);
    return;
  }
  const int64_t chunk = SequencesPerChunk(B, T, D);
  float* masked = GrowOnlyScratch(tlMasked, chunk * T * D);
  std::fill(dInputMask, dInputMask + B * D, 0.f);
  if (B * T == 0 && !accumulate) std::fill(dW, dW + D * G, 0.f);
  for (int64_t b0 = 0; b0 < B; b0 += chunk) {
    const int64_t nb = std::min(chunk, B - b0), rows = nb * T;
    const float* xc = x + b0 * T * D;
    const float* dSc = dS + b0 * T * G;
    float* dXc = dX + b0 * T * D;
    Sgemm(false, true, rows, D, G, 1.f, dSc, G, W, G, 0.f, dXc, D);  // dX~ for this chunk
    // Each thread owns a range of input features: it builds those columns of x~, and accumulates the same
    // columns of dInputMask without sharing them.
#pragma omp parallel if (rows * D > kParallelGrain)
    {
      int64_t d0, d1;
      ThreadRange(D, &d0, &d1);
      for (int64_t lb = 0; lb < nb; ++lb) {
        const float* m = inputMask + (b0 + lb) * D;
        float* dm = dInputMask + (b0 + lb) * D;
        for (int64_t t = 0; t < T; ++t) {
          const int64_t r = (lb * T + t) * D;
          for (int64_t d = d0; d < d1; ++d) {
            dm[d] += dXc[r + d] * xc[r + d];
            dXc[r + d] *= m[d];
            masked[r + d] = xc[r + d] * m[d];
          }
        }
      }
    }
    Sgemm(true, false, D, G, rows, 1.f, masked, D, dSc, G, b0 == 0 && !accumulate ? 0.f : 1.f, dW, G);
  }
}

void RecurrentWeightGrad(const float* hs, const float* h0, const float* dS, int64_t B, int64_t T, int64_t H,
                         int64_t G, float* dU, bool accumulate) {
  if (B * T == 0) {
    if (!accumulate) std::fill(dU, dU + H * G, 0.f);
    return;
  }
  // Flat row r = b*T + t of hs pairs with row r + 1 of dS: right for t < T - 1, and for t = T - 1 it pairs
  // hs[b, T-1] with dS[b+1, 0], which should have been h0[b+1]. The correction adds
  // (h0[b] - hs[b-1, T-1])^T dS[b, 0] over b (with hs[-1, T-1] = 0).
  Sgemm(true, false, H, G, B * T - 1, 1.f, hs, H, dS + G, G, accumulate ? 1.f : 0.f, dU, G);
  float* fix = GrowOnlyScratch(tlShiftFix, B * H);
  for (int64_t b = 0; b < B; ++b) {
    const float* last = b > 0 ? hs + ((b - 1) * T + T - 1) * H : nullptr;
    for (int64_t j = 0; j < H; ++j) fix[b * H + j] = (h0 ? h0[b * H + j] : 0.f) - (last ? last[j] : 0.f);
  }
  Sgemm(true, false, H, G, B, 1.f, fix, H, dS, T * G, 1.f, dU, G);
}

void Transpose(const float* a, int64_t rows, int64_t cols, float* out) {
  constexpr int64_t kTile = 32;  // tiles of both matrices stay in L1
#pragma omp parallel for schedule(static) if (rows * cols > kParallelGrain)
  for (int64_t r0 = 0; r0 < rows; r0 += kTile) {
    for (int64_t c0 = 0; c0 < cols; c0 += kTile) {
      const int64_t r1 = std::min(rows, r0 + kTile), c1 = std::min(cols, c0 + kTile);
      for (int64_t c = c0; c < c1; ++c)
        for (int64_t r = r0; r < r1; ++r) out[c * rows + r] = a[r * cols + c];
    }
  }
}

void ColumnSums(const float* x, int64_t rows, int64_t cols, float* out) {
  std::fill(out, out + cols, 0.f);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) out[c] += x[r * cols + c];
}

}  // namespace parsimony
