// Subnormal floats make x86 arithmetic (GEMM included) up to ~100x slower. Long recurrences produce them in bulk:
// gradients decay through time in backpropagation, saturated gates leave tiny residues. For the duration of one
// call, FlushDenormalsScope sets flush-to-zero and denormals-are-zero on the calling thread and on every thread of
// the OpenMP team (our loops and oneDNN's GEMMs run on that team), as TensorFlow's thread pools do, then restores
// the caller's mode everywhere. A no-op where the x86 MXCSR register does not exist.
#pragma once
#include <omp.h>

#if defined(__SSE__) || defined(_M_X64)
#include <xmmintrin.h>
#define PARSIMONY_HAS_MXCSR 1
#endif

#include "common.h"

namespace parsimony {

class FlushDenormalsScope {
 public:
  FlushDenormalsScope() {
#ifdef PARSIMONY_HAS_MXCSR
    saved_ = _mm_getcsr();
    SetEverywhere(saved_ | kFlushBits);
#endif
  }
  ~FlushDenormalsScope() {
#ifdef PARSIMONY_HAS_MXCSR
    SetEverywhere(saved_);
#endif
  }
  FlushDenormalsScope(const FlushDenormalsScope&) = delete;
  FlushDenormalsScope& operator=(const FlushDenormalsScope&) = delete;

 private:
#ifdef PARSIMONY_HAS_MXCSR
  static constexpr unsigned kFlushBits = 0x8040;  // FTZ (bit 15) | DAZ (bit 6)
  static void SetEverywhere(unsigned csr) {
    _mm_setcsr(csr);
#pragma omp parallel num_threads(NumThreads())
    _mm_setcsr(csr);
  }
  unsigned saved_ = 0;
#endif
};

}  // namespace parsimony
