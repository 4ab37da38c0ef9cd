// Seedable random fills on Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"), a
// counter-based generator: element i depends only on (key, i), so results are identical for any thread count.
// Without a seed, each call takes a fresh key from a process-wide stream.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>

#include "common.h"
#include "registry.h"

namespace parsimony {

namespace {

struct PhiloxKey {
  uint32_t k0, k1;
};

// Philox works on 16 counters at a time, in struct-of-arrays form so that -O3 vectorises the rounds.
constexpr int kLanes = 16;
constexpr int64_t kTileValues = 4 * kLanes;  // 32-bit outputs per tile

// Philox4x32-10 of counters {first + l, 0, 0} for l < kLanes; word q of counter first + l goes to bits[q * kLanes + l].
// The 32-bit words are held in 64-bit lanes, which lets the compiler vectorise the 32x32->64 products.
inline void PhiloxTile(uint64_t first, PhiloxKey key, uint32_t* bits) {
  constexpr uint64_t kLow = 0xFFFFFFFFu;
  uint64_t c0[kLanes], c1[kLanes], c2[kLanes], c3[kLanes];
  for (int l = 0; l < kLanes; ++l) {
    const uint64_t ctr = first + uint64_t(l);
    c0[l] = ctr & kLow;
    c1[l] = ctr >> 32;
    c2[l] = 0;
    c3[l] = 0;
  }
  uint64_t k0 = key.k0, k1 = key.k1;
  for (int round = 0; round < 10; ++round) {
#pragma omp simd
    for (int l = 0; l < kLanes; ++l) {
      const uint64_t p0 = 0xD2511F53u * c0[l], p1 = 0xCD9E8D57u * c2[l];
      const uint64_t n0 = (p1 >> 32) ^ c1[l] ^ k0, n2 = (p0 >> 32) ^ c3[l] ^ k1;
      c1[l] = p1 & kLow;
      c3[l] = p0 & kLow;
      c0[l] = n0;
      c2[l] = n2;
    }
    k0 = (k0 + 0x9E3779B9u) & kLow;
    k1 = (k1 + 0xBB67AE85u) & kLow;
  }
  for (int l = 0; l < kLanes; ++l) {
    bits[l] = uint32_t(c0[l]);
    bits[kLanes + l] = uint32_t(c1[l]);
    bits[2 * kLanes + l] = uint32_t(c2[l]);
    bits[3 * kLanes + l] = uint32_t(c3[l]);
  }
}

inline uint64_t SplitMix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::atomic<uint64_t>& GlobalStream() {
  static std::atomic<uint64_t> state{uint64_t(std::random_device{}()) << 32 ^
                                     uint64_t(std::chrono::steady_clock::now().time_since_epoch().count())};
  return state;
}

// A number seed (any double; equal numbers give equal streams), or null/undefined for the process-wide stream.
PhiloxKey KeyFor(const Napi::Value& seed) {
  uint64_t bits;
  if (seed.IsNull() || seed.IsUndefined()) {
    bits = GlobalStream().fetch_add(0x9E3779B97F4A7C15ull) ^ 0x5DEECE66Dull;
  } else {
    double s = Num(seed, "seed");
    if (s == 0) s = 0;  // -0 and 0 are the same seed
    std::memcpy(&bits, &s, sizeof bits);
  }
  const uint64_t k = SplitMix64(bits);
  return {uint32_t(k), uint32_t(k >> 32)};
}

// Element i of a fill is output word i % kTileValues of tile i / kTileValues. emit(start, bits, count) fills
// elements [start, start + count) from bits[0, count).
template <typename Emit>
void ForEachTile(int64_t n, PhiloxKey key, Emit emit) {
  const int64_t tiles = (n + kTileValues - 1) / kTileValues;
#pragma omp parallel for schedule(static) if (n > kParallelGrain)
  for (int64_t t = 0; t < tiles; ++t) {
    uint32_t bits[kTileValues];
    PhiloxTile(uint64_t(t) * kLanes, key, bits);
    emit(t * kTileValues, bits, std::min(kTileValues, n - t * kTileValues));
  }
}

// randomUniform(out, lo, hi, seed?): values in [lo, hi)
Napi::Value JsRandomUniform(const Napi::CallbackInfo& info) {
  auto out = F32(info[0], "out");
  const double lo = Num(info[1], "lo"), hi = Num(info[2], "hi");
  const float lof = float(lo), span = float(hi - lo), hif = float(hi);
  // the largest float below hi, for the rare sums that round up to hi
  const float below = hi > lo ? std::nextafter(hif, -INFINITY) : hif;
  ForEachTile(int64_t(out.length), KeyFor(info[3]), [&](int64_t start, const uint32_t* bits, int64_t count) {
    float* o = out.data + start;
    for (int64_t j = 0; j < count; ++j) {
      const float v = lof + span * (float(bits[j] >> 8) * 0x1p-24f);  // u in [0, 1) on a 2^-24 grid
      o[j] = v >= hif && hi > lo ? below : v;
    }
  });
  return info.Env().Undefined();
}

// randomNormal(out, mean, std, seed?): Box-Muller on pairs of 32-bit uniforms
Napi::Value JsRandomNormal(const Napi::CallbackInfo& info) {
  auto out = F32(info[0], "out");
  const float mean = float(Num(info[1], "mean")), stddev = float(Num(info[2], "std"));
  ForEachTile(int64_t(out.length), KeyFor(info[3]), [&](int64_t start, const uint32_t* bits, int64_t count) {
    float z[kTileValues];
    for (int64_t j = 0; j < count; j += 2) {
      // single precision is plenty for samples; u1 keeps all 32 bits, so |z| reaches 6.8
      const float u1 = float((double(bits[j]) + 0.5) * 0x1p-32);  // (0, 1): log is finite
      const float theta = float(2 * M_PI * 0x1p-32) * float(bits[j + 1]);
      const float radius = std::sqrt(-2.f * std::log(u1));
      z[j] = radius * std::cos(theta);
      z[j + 1] = radius * std::sin(theta);
    }
    float* o = out.data + start;
    for (int64_t j = 0; j < count; ++j) o[j] = mean + stddev * z[j];
  });
  return info.Env().Undefined();
}

// bernoulli(out, p, seed?): 1 with probability p, else 0 (p <= 0 gives all 0, p >= 1 all 1)
Napi::Value JsBernoulli(const Napi::CallbackInfo& info) {
  auto out = F32(info[0], "out");
  const double p = Num(info[1], "p");
  // u = bits / 2^32 < p  <=>  bits < ceil(p * 2^32)
  const int64_t threshold = p <= 0 ? 0 : p >= 1 ? (int64_t(1) << 32) : int64_t(std::ceil(p * 0x1p32));
  ForEachTile(int64_t(out.length), KeyFor(info[2]), [&](int64_t start, const uint32_t* bits, int64_t count) {
    float* o = out.data + start;
    for (int64_t j = 0; j < count; ++j) o[j] = int64_t(bits[j]) < threshold ? 1.f : 0.f;
  });
  return info.Env().Undefined();
}

}  // namespace
void RegisterRandom(Napi::Env env, Napi::Object exports) {
  exports.Set("randomUniform", Napi::Function::New(env, JsRandomUniform));
  exports.Set("randomNormal", Napi::Function::New(env, JsRandomNormal));
  exports.Set("bernoulli", Napi::Function::New(env, JsBernoulli));
}

}  // namespace parsimony
