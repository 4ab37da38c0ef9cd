// Fused sparse softmax cross-entropy (src/engine/ops/sparse_softmax_cross_entropy.ts): the forward computes the mean
// loss and saves only each row's log-sum-exp; the gradient rebuilds softmax from the logits and that log-sum-exp and
// writes dlogits in one pass, so no [rows, classes] log-probabilities or one-hot array is ever built.
#include <cmath>
#include <cstdint>
#include <string>

#include "common.h"
#include "fast_math.h"
#include "registry.h"
#include "row_reduce.h"

namespace parsimony {

namespace {

// GCC tunes -march=native auto-vectorisation to 256-bit vectors even on AVX-512 machines; these exp-bound row loops
// run ~1.6x faster with 512-bit ones (the attribute changes nothing where AVX-512 is absent). noinline: the tuning
// applies to the function's own body, not to a caller it would be inlined into.
#if defined(__GNUC__) && !defined(__clang__)
#define WIDE_VECTORS __attribute__((noinline, target("prefer-vector-width=512")))
#else
#define WIDE_VECTORS
#endif

// Throws (naming the row, the label and the class count) unless every label is in [0, classes).
void CheckLabels(const Napi::Env& env, const View<int32_t>& labels, int64_t classes) {
  for (size_t i = 0; i < labels.length; ++i) {
    const int32_t label = labels.data[i];
    if (label < 0 || label >= classes)
      throw Napi::RangeError::New(env, "sparseSoftmaxCrossEntropy: label " + std::to_string(label) + " (row " +
                                           std::to_string(i) + ") is outside [0, " + std::to_string(classes) +
                                           ") for " + std::to_string(classes) + " classes");
  }
}

// log(sum(exp(x))) of one row, shifted by its max; the sum accumulates in double (as the tfjs kernels do).
WIDE_VECTORS float LogSumExp(const float* x, int64_t n) {
  const float m = MaxF32(x, n);
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t j = 0; j < n; ++j) s += FastExp(x[j] - m);
  return float(double(m) + std::log(s));
}

// out = exp(x - logSumExp) * scale: one row of softmax, scaled.
WIDE_VECTORS void ScaledSoftmaxRow(const float* __restrict x, float logSumExp, float scale, float* __restrict out, int64_t n) {
  for (int64_t j = 0; j < n; ++j) out[j] = FastExp(x[j] - logSumExp) * scale;
}

struct LossArgs {
  View<float> logits;
  View<int32_t> labels;
  int64_t rows, classes;
};

LossArgs ParseLossArgs(const Napi::CallbackInfo& info, const char* name) {
  auto env = info.Env();
  LossArgs a{F32(info[0], "logits"), I32(info[1], "labels"), 0, 0};
  a.rows = int64_t(a.labels.length);
  a.classes = Int(info[2], "classes");
  Require(env, a.classes >= 0 && a.logits.length == size_t(a.rows * a.classes),
          std::string(name) + ": logits must have labels.length*classes elements");
  CheckLabels(env, a.labels, a.classes);
  return a;
}

// sparseSoftmaxCrossEntropy(logits, labels, classes, logSumExp): fills logSumExp [rows] and returns the mean over
// rows of logSumExp - logits[row, label] (NaN for no rows, as a mean over nothing).
Napi::Value JsSparseSoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const LossArgs a = ParseLossArgs(info, "sparseSoftmaxCrossEntropy");
  auto lse = F32(info[3], "logSumExp");
  Require(env, lse.length == size_t(a.rows), "sparseSoftmaxCrossEntropy: logSumExp must have one entry per label");
  double total = 0;
#pragma omp parallel for schedule(static) reduction(+ : total) if (a.rows * a.classes > kParallelGrain)
  for (int64_t i = 0; i < a.rows; ++i) {
    const float* x = a.logits.data + i * a.classes;
    lse.data[i] = LogSumExp(x, a.classes);
    total += double(lse.data[i]) - double(x[a.labels.data[i]]);
  }
  return Napi::Number::New(env, total / double(a.rows));
}

// sparseSoftmaxCrossEntropyGrad(logits, labels, classes, logSumExp, scale, dlogits):
// dlogits = (softmax(logits) - onehot(labels)) * scale, with softmax = exp(logits - logSumExp).
Napi::Value JsSparseSoftmaxCrossEntropyGrad(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const LossArgs a = ParseLossArgs(info, "sparseSoftmaxCrossEntropyGrad");
  auto lse = F32(info[3], "logSumExp");
  const float scale = float(Num(info[4], "scale"));
  auto out = F32(info[5], "dlogits");
  Require(env, lse.length == size_t(a.rows) && out.length == a.logits.length,
          "sparseSoftmaxCrossEntropyGrad: logSumExp must have one entry per label and dlogits the logits' size");
#pragma omp parallel for schedule(static) if (a.rows * a.classes > kParallelGrain)
  for (int64_t i = 0; i < a.rows; ++i) {
    float* o = out.data + i * a.classes;
    ScaledSoftmaxRow(a.logits.data + i * a.classes, lse.data[i], scale, o, a.classes);
    o[a.labels.data[i]] -= scale;
  }
  return env.Undefined();
}

}  // namespace

void RegisterLoss(Napi::Env env, Napi::Object exports) {
  exports.Set("sparseSoftmaxCrossEntropy", Napi::Function::New(env, JsSparseSoftmaxCrossEntropy));
  exports.Set("sparseSoftmaxCrossEntropyGrad", Napi::Function::New(env, JsSparseSoftmaxCrossEntropyGrad));
}

}  // namespace parsimony
