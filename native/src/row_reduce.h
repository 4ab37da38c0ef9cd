// Contiguous float32 reductions shared by reduce.cc and elementwise.cc, with the tfjs cpu semantics:
// sums accumulate in double; max is NaN as soon as any element is NaN.
#pragma once
#include <cstdint>
#include <limits>

namespace parsimony {

inline double SumF32(const float* x, int64_t n) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t j = 0; j < n; ++j) s += x[j];
  return s;
}

// -Inf for n == 0. NaN is tracked apart because the vector max instructions drop it.
inline float MaxF32(const float* x, int64_t n) {
  float m = -std::numeric_limits<float>::infinity();
  int32_t nan = 0;
#pragma omp simd reduction(max : m) reduction(| : nan)
  for (int64_t j = 0; j < n; ++j) {
    m = x[j] > m ? x[j] : m;
    nan |= x[j] != x[j];
  }
  return nan ? std::numeric_limits<float>::quiet_NaN() : m;
}

}  // namespace parsimony
