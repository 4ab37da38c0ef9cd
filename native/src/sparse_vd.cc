// Fused SparseVD kernels (src/engine/ops/sparse_vd.ts): the KL of a whole Bayesian tensor and its gradient in one pass
// each, and the weight sample theta + exp(log sigma) * eps. Composed from tfjs ops these are ~15 elementwise passes
// forward and ~30 backward over tensors of millions of elements (the 20 003 x 300 embedding), which dominated a step.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "common.h"
#include "fast_math.h"
#include "registry.h"

namespace parsimony {

namespace {

constexpr float kClip = 8.0f;       // log alpha is clipped to [-8, 8] (spec §2.1)
constexpr float kTinyTheta = 1e-16f;  // keeps log theta^2 finite at theta = 0, as src/nn/bayes/kl.ts

// As in loss.cc: GCC's -march=native vectorisation prefers 256-bit vectors; these exp/log-bound loops gain from 512.
#if defined(__GNUC__) && !defined(__clang__)
#define WIDE_VECTORS __attribute__((noinline, target("prefer-vector-width=512")))
#else
#define WIDE_VECTORS
#endif

inline float Sigmoid(float x) { return FastSigmoid(x); }
// softplus(x) = max(x, 0) + log1p(exp(-|x|))
// (plain comparisons instead of std::fmax/fmin here and below: GCC emits those as scalar libm calls, blocking SIMD)
inline float Softplus(float x) { return (x > 0.0f ? x : 0.0f) + FastLog1pNonNegative(FastExp(-std::fabs(x))); }

// Unclipped log alpha = 2 log sigma - 2 log(|theta| + 1e-16) (|theta| + 1e-16 is a positive normal float).
inline float RawLogAlpha(float theta, float logSigma) {
  return 2.0f * logSigma - 2.0f * FastLogPositive(std::fabs(theta) + kTinyTheta);
}

// KL(a) and dKL/da for a = clipped log alpha: Molchanov et al. 2017, and the authors' repo variant.
inline float KlMolchanov(float a) { return 0.63576f * (1.0f - Sigmoid(1.8732f + 1.48695f * a)) + 0.5f * Softplus(-a); }
inline float KlRepo(float a) { return 0.5f * Softplus(-a) - (0.64f * Sigmoid(1.5f * (a + 1.3f)) + 0.03f); }
inline float KlSlopeMolchanov(float a) {
  const float s = Sigmoid(1.8732f + 1.48695f * a);
  return -0.63576f * 1.48695f * s * (1.0f - s) - 0.5f * Sigmoid(-a);
}
inline float KlSlopeRepo(float a) {
  const float s = Sigmoid(1.5f * (a + 1.3f));
  return -0.5f * Sigmoid(-a) - 0.64f * 1.5f * s * (1.0f - s);
}

// Sums in float within chunks of kChunk elements (a vectorised reduction, which plain FP reductions are not without
// -ffast-math) and in double across chunks, so the total keeps double accuracy at scale.
constexpr int64_t kChunk = 1024;

template <int kForm>
WIDE_VECTORS float KlChunk(const float* theta, const float* logSigma, int64_t n) {
  float sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int64_t i = 0; i < n; ++i) {
    const float raw = RawLogAlpha(theta[i], logSigma[i]);
    const float a = raw < -kClip ? -kClip : (raw > kClip ? kClip : raw);  // NaN stays NaN, as tf.clipByValue
    sum += kForm == 0 ? KlMolchanov(a) : KlRepo(a);
  }
  return sum;
}

double KlSum(const float* theta, const float* logSigma, int64_t n, int form) {
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  double sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum) if (n > kParallelGrain)
  for (int64_t c = 0; c < chunks; ++c) {
    const int64_t begin = c * kChunk;
    const int64_t len = std::min(kChunk, n - begin);
    sum += double(form == 0 ? KlChunk<0>(theta + begin, logSigma + begin, len) : KlChunk<1>(theta + begin, logSigma + begin, len));
  }
  return sum;
}

// scale * d(sum KL)/d(theta, logSigma); zero where the raw log alpha is outside [-8, 8] (the clip's hard switch; the
// boundary passes, as tf.clipByValue's gradient).
template <int kForm>
WIDE_VECTORS void KlGrad(const float* theta, const float* logSigma, int64_t n, float scale, float* dTheta, float* dLogSigma) {
#pragma omp parallel for simd schedule(static) if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) {
    const float t = theta[i];
    const float raw = RawLogAlpha(t, logSigma[i]);
    const bool inside = raw >= -kClip && raw <= kClip;
    const float g = inside ? scale * (kForm == 0 ? KlSlopeMolchanov(raw) : KlSlopeRepo(raw)) : 0.0f;
    dLogSigma[i] = 2.0f * g;
    // d/dtheta of -2 log(|theta| + tiny) = -2 sign(theta) / (|theta| + tiny); at theta = 0 the raw log alpha is
    // ~74 + 2 log sigma, far outside the clip, so g = 0 there
    dTheta[i] = -2.0f * g * std::copysign(1.0f, t) / (std::fabs(t) + kTinyTheta);
  }
}

int Form(const Napi::Value& v) { return int(Int(v, "form")); }

// sparseVdKl(theta, logSigma, form) -> sum over elements of KL(clip(log alpha)), accumulated in double.
Napi::Value JsSparseVdKl(const Napi::CallbackInfo& info) {
  auto theta = F32(info[0], "theta"), logSigma = F32(info[1], "logSigma");
  const int form = Form(info[2]);
  Require(info.Env(), theta.length == logSigma.length, "sparseVdKl: theta and logSigma differ in size");
  const double sum = KlSum(theta.data, logSigma.data, int64_t(theta.length), form);
  return Napi::Number::New(info.Env(), sum);
}

// sparseVdKlGrad(theta, logSigma, form, scale, dTheta, dLogSigma): scale * d(sum KL)/d(theta, logSigma). The clip is a
// hard switch: zero gradient where the raw log alpha is outside [-8, 8] (the boundary passes, as tf.clipByValue).
Napi::Value JsSparseVdKlGrad(const Napi::CallbackInfo& info) {
  auto theta = F32(info[0], "theta"), logSigma = F32(info[1], "logSigma");
  const int form = Form(info[2]);
  const float scale = float(Num(info[3], "scale"));
  auto dTheta = F32(info[4], "dTheta"), dLogSigma = F32(info[5], "dLogSigma");
  const size_t n0 = theta.length;
  Require(info.Env(), logSigma.length == n0 && dTheta.length == n0 && dLogSigma.length == n0,
          "sparseVdKlGrad: theta, logSigma, dTheta and dLogSigma must have the same size");
  if (form == 0) KlGrad<0>(theta.data, logSigma.data, int64_t(n0), scale, dTheta.data, dLogSigma.data);
  else KlGrad<1>(theta.data, logSigma.data, int64_t(n0), scale, dTheta.data, dLogSigma.data);
  return info.Env().Undefined();
}

// sparseVdSample(theta, logSigma, eps, out, sigmaEps): out = theta + exp(logSigma) * eps; sigmaEps keeps
// exp(logSigma) * eps, the backward's d out / d logSigma.
Napi::Value JsSparseVdSample(const Napi::CallbackInfo& info) {
  auto theta = F32(info[0], "theta"), logSigma = F32(info[1], "logSigma"), eps = F32(info[2], "eps");
  auto out = F32(info[3], "out"), sigmaEps = F32(info[4], "sigmaEps");
  const size_t n0 = theta.length;
  Require(info.Env(), logSigma.length == n0 && eps.length == n0 && out.length == n0 && sigmaEps.length == n0,
          "sparseVdSample: theta, logSigma, eps, out and sigmaEps must have the same size");
  const int64_t n = int64_t(n0);
#pragma omp parallel for schedule(static) if (n > kParallelGrain)
  for (int64_t i = 0; i < n; ++i) {
    const float se = FastExp(logSigma.data[i]) * eps.data[i];
    sigmaEps.data[i] = se;
    out.data[i] = theta.data[i] + se;
  }
  return info.Env().Undefined();
}

}  // namespace

void RegisterSparseVd(Napi::Env env, Napi::Object exports) {
  exports.Set("sparseVdKl", Napi::Function::New(env, JsSparseVdKl));
  exports.Set("sparseVdKlGrad", Napi::Function::New(env, JsSparseVdKlGrad));
  exports.Set("sparseVdSample", Napi::Function::New(env, JsSparseVdSample));
}

}  // namespace parsimony
