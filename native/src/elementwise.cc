#include "common.h"
#include "registry.h"

namespace parsimony {
void RegisterElementwise(Napi::Env, Napi::Object) {}
}  // namespace parsimony
