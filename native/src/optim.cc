#include "common.h"
#include "registry.h"

namespace parsimony {
void RegisterOptim(Napi::Env, Napi::Object) {}
}  // namespace parsimony
