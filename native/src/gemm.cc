#include "gemm.h"

#include <cmath>

#include <omp.h>
#include <pthread.h>
#include <signal.h>

#include <map>
#include <tuple>

#include "common.h"
#include "registry.h"

#ifdef PARSIMONY_HAS_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif
#ifdef PARSIMONY_HAS_OPENBLAS
#include <cblas.h>
#endif

namespace parsimony {

namespace {

#if defined(PARSIMONY_HAS_DNNL)
GemmLibrary g_gemm = GemmLibrary::kDnnl;
#elif defined(PARSIMONY_HAS_OPENBLAS)
GemmLibrary g_gemm = GemmLibrary::kOpenBlas;
#else
GemmLibrary g_gemm = GemmLibrary::kBuiltin;
#endif
// Per calling thread, like OpenMP's own nthreads-var: worker threads (each its own JS thread) set their own count,
// and one worker's setNumThreads must not resize another's teams. 0 = not set on this thread.
thread_local int g_threads = 0;

// oneDNN's JIT sgemm (2.x, up to 3.11.1; oneDNN issue #4845) points RSP into the heap while it runs, so a
// signal handled on that thread (a profiler's SIGPROF, a SIGINT/SIGTERM handler) writes its frame into the
// heap and corrupts it. Asynchronous signals are therefore held back on the calling thread for the length
// of the call (they are delivered right after), and OpenMP worker threads, which run the same kernels and
// never need signals, keep them blocked for good.
sigset_t AsyncSignals() {
  sigset_t set;
  sigfillset(&set);
  for (int sync : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS}) sigdelset(&set, sync);
  return set;
}

class AsyncSignalsHeld {
 public:
  AsyncSignalsHeld() {
    static const sigset_t kAsync = AsyncSignals();
    pthread_sigmask(SIG_BLOCK, &kAsync, &saved_);
  }
  ~AsyncSignalsHeld() { pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  AsyncSignalsHeld(const AsyncSignalsHeld&) = delete;
  AsyncSignalsHeld& operator=(const AsyncSignalsHeld&) = delete;

 private:
  sigset_t saved_;
};

void BlockAsyncSignalsOnWorkers() {
  const sigset_t async = AsyncSignals();
#pragma omp parallel
  {
    if (omp_get_thread_num() != 0) pthread_sigmask(SIG_BLOCK, &async, nullptr);
  }
}

// Optional per-shape accounting of GEMM calls (off by default): lets the benchmark report the GFLOP/s
// reached inside a training step next to plain sgemm on the same shapes.
struct GemmStats { int64_t calls = 0; double seconds = 0; };
bool g_profile = false;
std::map<std::tuple<bool, bool, int64_t, int64_t, int64_t>, GemmStats> g_stats;

// Only used when neither library was available at build time: correct, cache-blocked, not fast.
void BuiltinSgemm(bool tA, bool tB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
                  const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
#pragma omp parallel for schedule(static) if (M * N * K > kParallelGrain)
  for (int64_t i = 0; i < M; ++i) {
    float* c = C + i * ldc;
    if (beta == 0.f) for (int64_t j = 0; j < N; ++j) c[j] = 0.f;
    else if (beta != 1.f) for (int64_t j = 0; j < N; ++j) c[j] *= beta;
    for (int64_t k = 0; k < K; ++k) {
      const float a = alpha * (tA ? A[k * lda + i] : A[i * lda + k]);
      if (a == 0.f) continue;
      if (!tB) {
        const float* b = B + k * ldb;
        for (int64_t j = 0; j < N; ++j) c[j] += a * b[j];
      } else {
        for (int64_t j = 0; j < N; ++j) c[j] += a * B[j * ldb + k];
      }
    }
  }
}

}  // namespace

int NumThreads() { return g_threads > 0 ? g_threads : omp_get_max_threads(); }

void SetNumThreads(int n) {
  g_threads = n;
  omp_set_num_threads(n);
  BlockAsyncSignalsOnWorkers();
#ifdef PARSIMONY_HAS_OPENBLAS
  openblas_set_num_threads(n);
#endif
}

void Sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (M == 0 || N == 0) return;
  if (K == 0) {  // libraries differ on K == 0; define it: C = beta * C
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) C[i * ldc + j] = beta == 0.f ? 0.f : beta * C[i * ldc + j];
    return;
  }
  if (g_profile) {
    g_profile = false;  // time the real call below, once
    const double t0 = omp_get_wtime();
    Sgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    auto& st = g_stats[{transA, transB, M, N, K}];
    st.calls += 1;
    st.seconds += omp_get_wtime() - t0;
    g_profile = true;
    return;
  }
  switch (g_gemm) {
#ifdef PARSIMONY_HAS_DNNL
    case GemmLibrary::kDnnl: {
      AsyncSignalsHeld held;
      dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
      return;
    }
#endif
#ifdef PARSIMONY_HAS_OPENBLAS
    case GemmLibrary::kOpenBlas:
      cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, M, N, K,
                  alpha, A, lda, B, ldb, beta, C, ldc);
      return;
#endif
    default:
      BuiltinSgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

GemmLibrary CurrentGemm() { return g_gemm; }

const char* GemmName(GemmLibrary lib) {
  switch (lib) {
    case GemmLibrary::kDnnl: return "dnnl";
    case GemmLibrary::kOpenBlas: return "openblas";
    default: return "builtin";
  }
}

std::string AvailableGemms() {
  std::string s;
#ifdef PARSIMONY_HAS_DNNL
  s += "dnnl,";
#endif
#ifdef PARSIMONY_HAS_OPENBLAS
  s += "openblas,";
#endif
  return s + "builtin";
}

bool SelectGemm(const std::string& name) {
#ifdef PARSIMONY_HAS_DNNL
  if (name == "dnnl") { g_gemm = GemmLibrary::kDnnl; return true; }
#endif
#ifdef PARSIMONY_HAS_OPENBLAS
  if (name == "openblas") { g_gemm = GemmLibrary::kOpenBlas; return true; }
#endif
  if (name == "builtin") { g_gemm = GemmLibrary::kBuiltin; return true; }
  return false;
}

namespace {

// sgemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, offA?, offB?, offC?)
Napi::Value JsSgemm(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const bool tA = Bool(info[0]), tB = Bool(info[1]);
  const int64_t M = Int(info[2], "M"), N = Int(info[3], "N"), K = Int(info[4], "K");
  const float alpha = float(Num(info[5], "alpha"));
  auto A = F32(info[6], "A");
  const int64_t lda = Int(info[7], "lda");
  auto B = F32(info[8], "B");
  const int64_t ldb = Int(info[9], "ldb");
  const float beta = float(Num(info[10], "beta"));
  auto C = F32(info[11], "C");
  const int64_t ldc = Int(info[12], "ldc");
  Require(env, (M == 0 || K == 0 || A.length >= size_t((tA ? K : M) - 1) * lda + (tA ? M : K)), "sgemm: A too small");
  Require(env, (N == 0 || K == 0 || B.length >= size_t((tB ? N : K) - 1) * ldb + (tB ? K : N)), "sgemm: B too small");
  Require(env, (M == 0 || N == 0 || C.length >= size_t(M - 1) * ldc + N), "sgemm: C too small");
  Sgemm(tA, tB, M, N, K, alpha, A.data, lda, B.data, ldb, beta, C.data, ldc);
  return env.Undefined();
}

// batchMatMul(a, b, out, batch, M, N, K, transA, transB, aBatchStride, bBatchStride, bias|null, activation)
// activation: 0 linear, 1 relu, 2 sigmoid, 3 tanh(unused by tfjs), 4 relu6, 5 elu, 6 leakyrelu(alpha in arg 13)
Napi::Value JsBatchMatMul(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto a = F32(info[0], "a");
  auto b = F32(info[1], "b");
  auto out = F32(info[2], "out");
  const int64_t batch = Int(info[3], "batch"), M = Int(info[4], "M"), N = Int(info[5], "N"), K = Int(info[6], "K");
  const bool tA = Bool(info[7]), tB = Bool(info[8]);
  const int64_t sa = Int(info[9], "aBatchStride"), sb = Int(info[10], "bBatchStride");
  auto bias = F32Opt(info[11], "bias");
  const int act = int(Int(info[12], "activation"));
  const float leak = info.Length() > 13 ? float(Num(info[13], "leakyreluAlpha")) : 0.2f;
  Require(env, out.length == size_t(batch * M * N), "batchMatMul: out has the wrong size");
  Require(env, batch == 0 || a.length >= size_t((batch - 1) * sa + M * K) || sa == 0, "batchMatMul: a too small");
  Require(env, bias.length == 0 || bias.length == size_t(N) || bias.length == size_t(M * N),
          "batchMatMul: bias must have N or M*N elements");
  const int64_t lda = tA ? M : K, ldb = tB ? K : N;
  // a batch-shared B with a non-transposed A is one tall GEMM: far better blocking than `batch` small ones
  if (sb == 0 && !tA && sa == M * K && batch > 1) {
    Sgemm(false, tB, batch * M, N, K, 1.f, a.data, lda, b.data, ldb, 0.f, out.data, N);
  } else {
    for (int64_t i = 0; i < batch; ++i)
      Sgemm(tA, tB, M, N, K, 1.f, a.data + i * sa, lda, b.data + i * sb, ldb, 0.f, out.data + i * M * N, N);
  }
  if (bias.length == 0 && act == 0) return env.Undefined();
  const int64_t total = batch * M * N;
  const int64_t biasLen = int64_t(bias.length);
  float* o = out.data;
#pragma omp parallel for schedule(static) if (total > kParallelGrain)
  for (int64_t idx = 0; idx < total; ++idx) {
    float v = o[idx];
    if (biasLen) v += bias.data[biasLen == N ? idx % N : idx % (M * N)];
    switch (act) {
      case 1: v = v > 0.f ? v : 0.f; break;
      case 2: v = 1.f / (1.f + std::exp(-v)); break;
      case 3: v = std::tanh(v); break;
      case 4: v = v < 0.f ? 0.f : (v > 6.f ? 6.f : v); break;
      case 5: v = v > 0.f ? v : std::expm1(v); break;
      case 6: v = v > 0.f ? v : leak * v; break;
      default: break;
    }
    o[idx] = v;
  }
  return env.Undefined();
}
}  // namespace

void RegisterGemm(Napi::Env env, Napi::Object exports) {
  exports.Set("sgemm", Napi::Function::New(env, JsSgemm));
  exports.Set("batchMatMul", Napi::Function::New(env, JsBatchMatMul));
  exports.Set("gemmLibrary", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::String::New(info.Env(), GemmName(CurrentGemm()));
  }));
  exports.Set("availableGemmLibraries", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::String::New(info.Env(), AvailableGemms());
  }));
  exports.Set("selectGemmLibrary", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "selectGemmLibrary: expected a name");
    return Napi::Boolean::New(info.Env(), SelectGemm(info[0].As<Napi::String>().Utf8Value()));
  }));
  exports.Set("setNumThreads", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    const int64_t n = Int(info[0], "threads");
    Require(info.Env(), n >= 1 && n <= 1024, "setNumThreads: threads must be in [1, 1024]");
    SetNumThreads(int(n));
    return info.Env().Undefined();
  }));
  exports.Set("gemmProfile", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    // gemmProfile(enable): switches accounting on/off and returns (then clears) what was recorded:
    // [{transA, transB, M, N, K, calls, seconds}]
    auto env = info.Env();
    auto list = Napi::Array::New(env);
    uint32_t i = 0;
    for (const auto& [key, st] : g_stats) {
      auto o = Napi::Object::New(env);
      o.Set("transA", std::get<0>(key));
      o.Set("transB", std::get<1>(key));
      o.Set("M", double(std::get<2>(key)));
      o.Set("N", double(std::get<3>(key)));
      o.Set("K", double(std::get<4>(key)));
      o.Set("calls", double(st.calls));
      o.Set("seconds", st.seconds);
      list.Set(i++, o);
    }
    g_stats.clear();
    g_profile = Bool(info[0]);
    return list;
  }));
  exports.Set("numThreads", Napi::Function::New(env, [](const Napi::CallbackInfo& info) -> Napi::Value {
    return Napi::Number::New(info.Env(), NumThreads());
  }));
}

}  // namespace parsimony
