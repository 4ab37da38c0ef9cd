// Row-major single-precision GEMM, dispatched at run time to oneDNN, OpenBLAS or a built-in fallback.
//   C[M,N] = alpha * op(A)[M,K] * op(B)[K,N] + beta * C
#pragma once
#include <cstdint>
#include <string>

namespace parsimony {

enum class GemmLibrary { kDnnl, kOpenBlas, kBuiltin };

void Sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A,
           int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);

GemmLibrary CurrentGemm();
bool SelectGemm(const std::string& name);  // "dnnl" | "openblas" | "builtin"; false if not compiled in
const char* GemmName(GemmLibrary lib);
std::string AvailableGemms();

}  // namespace parsimony
