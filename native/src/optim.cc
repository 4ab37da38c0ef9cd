// Fused in-place optimizer updates (Adam, SGD with momentum) and global-norm gradient clipping.
// Each update runs in float32 in exactly the order of tfjs's AdamOptimizer / MomentumOptimizer ops (each of
// which rounds to float32), so results match tfjs on the cpu backend bit for bit: hence no FMA contraction here.
#include <cmath>
#include <cstdint>
#include <algorithm>
#include <vector>

#if defined(__AVX__)
#include <immintrin.h>
#endif

#include "common.h"
#include "registry.h"

#pragma GCC optimize("fp-contract=off")

namespace parsimony {

namespace {

// GCC only vectorises sqrt under -fno-math-errno, which `#pragma GCC optimize` does not set, so the Adam loop
// runs on explicit 8-lane vectors (GCC vector extensions) with a lane-wise IEEE sqrt.
#if defined(__AVX__)
using Lanes = float __attribute__((vector_size(32)));
constexpr int64_t kLanes = 8;
inline Lanes Sqrt(Lanes x) { return Lanes(_mm256_sqrt_ps(__m256(x))); }
#else
using Lanes = float;
constexpr int64_t kLanes = 1;
#endif
inline float Sqrt(float x) { return std::sqrt(x); }

template <typename T>
inline T Load(const float* p) {
  T x;
  __builtin_memcpy(&x, p, sizeof(T));
  return x;
}
template <typename T>
inline void Store(float* p, T x) { __builtin_memcpy(p, &x, sizeof(T)); }

// An array argument of Float32Arrays (one per variable).
std::vector<View<float>> F32List(const Napi::Value& v, const char* name) {
  if (!v.IsArray()) throw Napi::TypeError::New(v.Env(), std::string(name) + ": expected an array of Float32Arrays");
  auto arr = v.As<Napi::Array>();
  std::vector<View<float>> out(arr.Length());
  for (uint32_t i = 0; i < arr.Length(); ++i) out[i] = F32(arr.Get(i), name);
  return out;
}

void RequireSameSizes(const Napi::Env& env, const std::vector<View<float>>& a, const std::vector<View<float>>& b,
                      const char* what) {
  Require(env, a.size() == b.size(), std::string(what) + ": lists differ in length");
  for (size_t i = 0; i < a.size(); ++i)
    Require(env, a[i].length == b[i].length, std::string(what) + ": arrays differ in size at index " + std::to_string(i));
}

// Must match clipScale in src/engine/optim/clip_global_norm.ts: tf.clip_by_global_norm's factor, in float32.
float ClipScale(double norm, double maxNorm) { return float(maxNorm / std::max(norm, maxNorm)); }

double SumOfSquares(const std::vector<View<float>>& xs) {
  double total = 0;
  for (const auto& x : xs) {
    const float* d = x.data;
    const int64_t n = int64_t(x.length);
    double acc = 0;
#pragma omp parallel for simd schedule(static) reduction(+ : acc) if (n > kParallelGrain)
    for (int64_t i = 0; i < n; ++i) acc += double(d[i]) * double(d[i]);
    total += acc;
  }
  return total;
}

// clipByGlobalNorm(grads, outs | null, maxNorm) -> global norm (double accumulation). With outs (which may alias
// grads) writes grads * maxNorm / max(norm, maxNorm) there.
Napi::Value JsClipByGlobalNorm(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto grads = F32List(info[0], "grads");
  const bool write = !(info[1].IsNull() || info[1].IsUndefined());
  std::vector<View<float>> outs;
  if (write) {
    outs = F32List(info[1], "outs");
    RequireSameSizes(env, grads, outs, "clipByGlobalNorm");
  }
  const double maxNorm = Num(info[2], "maxNorm");
  Require(env, maxNorm > 0, "clipByGlobalNorm: maxNorm must be positive");
  const double norm = std::sqrt(SumOfSquares(grads));
  if (write) {
    const float scale = ClipScale(norm, maxNorm);
    for (size_t t = 0; t < grads.size(); ++t) {
      const float* g = grads[t].data;
      float* o = outs[t].data;
      const int64_t n = int64_t(grads[t].length);
#pragma omp parallel for simd schedule(static) if (n > kParallelGrain)
      for (int64_t i = 0; i < n; ++i) o[i] = g[i] * scale;
    }
  }
  return Napi::Number::New(env, norm);
}

// adamUpdate(params, grads, m, v, gradScale, beta1, oneMinusBeta1, beta2, oneMinusBeta2, oneMinusAccBeta1,
//            oneMinusAccBeta2, epsilon, negLr): params, m and v are updated in place. The (1 - x) constants come
// from JS because tfjs rounds them from double, not as float32 differences.
Napi::Value JsAdamUpdate(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto params = F32List(info[0], "params");
  auto grads = F32List(info[1], "grads");
  auto ms = F32List(info[2], "m");
  auto vs = F32List(info[3], "v");
  RequireSameSizes(env, params, grads, "adamUpdate");
  RequireSameSizes(env, params, ms, "adamUpdate");
  RequireSameSizes(env, params, vs, "adamUpdate");
  const float scale = float(Num(info[4], "gradScale"));
  const float b1 = float(Num(info[5], "beta1")), omb1 = float(Num(info[6], "oneMinusBeta1"));
  const float b2 = float(Num(info[7], "beta2")), omb2 = float(Num(info[8], "oneMinusBeta2"));
  const float omab1 = float(Num(info[9], "oneMinusAccBeta1")), omab2 = float(Num(info[10], "oneMinusAccBeta2"));
  const float eps = float(Num(info[11], "epsilon")), negLr = float(Num(info[12], "negLr"));
  // One Adam step on kLanes elements (T = Lanes) or one (T = float), in tfjs's op order.
  auto step = [&](auto tag, float* p, const float* gr, float* m, float* v) {
    using T = decltype(tag);
    const T g = Load<T>(gr) * scale;
    const T m1 = Load<T>(m) * b1 + g * omb1;
    const T v1 = Load<T>(v) * b2 + (g * g) * omb2;
    const T mHat = m1 / omab1;
    const T vHat = v1 / omab2;
    Store(m, m1);
    Store(v, v1);
    Store(p, (mHat / (Sqrt(vHat) + eps)) * negLr + Load<T>(p));
  };
  for (size_t t = 0; t < params.size(); ++t) {
    float* p = params[t].data;
    const float* g = grads[t].data;
    float* m = ms[t].data;
    float* v = vs[t].data;
    const int64_t n = int64_t(params[t].length), blocks = n / kLanes;
#pragma omp parallel for schedule(static) if (n > kParallelGrain)
    for (int64_t b = 0; b < blocks; ++b) {
      const int64_t i = b * kLanes;
      step(Lanes(), p + i, g + i, m + i, v + i);
    }
    for (int64_t i = blocks * kLanes; i < n; ++i) step(0.f, p + i, g + i, m + i, v + i);
  }
  return env.Undefined();
}

// momentumUpdate(params, grads, accumulations, gradScale, momentum, negLr, nesterov): accumulations is an empty
// list for plain SGD (momentum 0: the accumulation would equal the gradient).
Napi::Value JsMomentumUpdate(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto params = F32List(info[0], "params");
  auto grads = F32List(info[1], "grads");
  auto accs = F32List(info[2], "accumulations");
  RequireSameSizes(env, params, grads, "momentumUpdate");
  const bool plain = accs.empty();
  if (!plain) RequireSameSizes(env, params, accs, "momentumUpdate");
  const float scale = float(Num(info[3], "gradScale"));
  const float mom = float(Num(info[4], "momentum"));
  const float negLr = float(Num(info[5], "negLr"));
  const bool nesterov = Bool(info[6]);
  for (size_t t = 0; t < params.size(); ++t) {
    float* p = params[t].data;
    const float* gr = grads[t].data;
    const int64_t n = int64_t(params[t].length);
    if (plain) {
#pragma omp parallel for simd schedule(static) if (n > kParallelGrain)
      for (int64_t i = 0; i < n; ++i) p[i] = negLr * (gr[i] * scale) + p[i];
      continue;
    }
    float* acc = accs[t].data;
    if (nesterov) {
#pragma omp parallel for simd schedule(static) if (n > kParallelGrain)
      for (int64_t i = 0; i < n; ++i) {
        const float g = gr[i] * scale;
        const float a = mom * acc[i] + g;
        acc[i] = a;
        p[i] = negLr * (g + a * mom) + p[i];
      }
    } else {
#pragma omp parallel for simd schedule(static) if (n > kParallelGrain)
      for (int64_t i = 0; i < n; ++i) {
        const float a = mom * acc[i] + gr[i] * scale;
        acc[i] = a;
        p[i] = negLr * a + p[i];
      }
    }
  }
  return env.Undefined();
}

}  // namespace

void RegisterOptim(Napi::Env env, Napi::Object exports) {
  exports.Set("clipByGlobalNorm", Napi::Function::New(env, JsClipByGlobalNorm));
  exports.Set("adamUpdate", Napi::Function::New(env, JsAdamUpdate));
  exports.Set("momentumUpdate", Napi::Function::New(env, JsMomentumUpdate));
}

}  // namespace parsimony
